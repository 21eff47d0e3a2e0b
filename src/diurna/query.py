"""Read-only questions over the store. Every filter is a bound parameter, never SQL text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .schema import PLOVER_TYPES

UNCERTAIN_AUX = ("future", "hypothetical", "negation")


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    actor: tuple[str, ...] = ()          # any of these codes on the actor side
    recipient: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()         # either side
    event: tuple[str, ...] = ()
    quad_class: tuple[int, ...] = ()
    aux: tuple[str, ...] = ()            # explicit list of aux modes to keep ("none" = reported fact)
    include_uncertain: bool = True       # False leaves out future/hypothetical/negated events
    doc_id: str | None = None
    dedup: bool = True                   # analysis/exports: one event per cluster, no near-duplicate docs

    def __post_init__(self):
        bad = [e for e in self.event if e not in PLOVER_TYPES]
        if bad:
            raise ValueError(f"event: unknown PLOVER type {', '.join(bad)}; "
                             f"choose from {', '.join(PLOVER_TYPES)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError("since: the start date is after the end date")
        bad_q = [q for q in self.quad_class if q not in (1, 2, 3, 4)]
        if bad_q:
            raise ValueError("quad_class: must be 1, 2, 3 or 4")


def where_clause(f: Filters, alias: str = "e") -> tuple[str, list]:
    """SQL conditions and their parameters for the events table aliased ``alias``."""
    conds, params = ["TRUE"], []
    if f.since:
        conds.append(f"{alias}.date >= ?")
        params.append(f.since)
    if f.until:
        conds.append(f"{alias}.date <= ?")
        params.append(f.until)
    if f.event:
        conds.append(f"{alias}.event IN (SELECT unnest(?))")
        params.append(list(f.event))
    if f.quad_class:
        conds.append(f"{alias}.quad_class IN (SELECT unnest(?))")
        params.append(list(f.quad_class))
    if f.doc_id:
        conds.append(f"{alias}.doc_id = ?")
        params.append(f.doc_id)
    for role, codes in (("actor", f.actor), ("recipient", f.recipient)):
        if codes:
            conds.append(f"{alias}.event_id IN (SELECT event_id FROM event_actors "
                         f"WHERE role = '{role}' AND code IN (SELECT unnest(?)))")
            params.append(list(codes))
    if f.sector:
        conds.append(f"{alias}.event_id IN (SELECT event_id FROM event_actors "
                     "WHERE sector IN (SELECT unnest(?)))")
        params.append(list(f.sector))
    if f.aux:
        keep = [a for a in f.aux if a != "none"]
        cond = f"{alias}.aux IN (SELECT unnest(?))"
        conds.append(f"({cond} OR {alias}.aux IS NULL)" if "none" in f.aux else cond)
        params.append(keep)
    elif not f.include_uncertain:
        conds.append(f"({alias}.aux IS NULL OR {alias}.aux NOT IN (SELECT unnest(?)))")
        params.append(list(UNCERTAIN_AUX))
    return " AND ".join(conds), params


EVENT_COLUMNS = """
    e.event_id, e.doc_id, e.date, e.date_precision, e.event, e.mode, e.cameo, e.aux,
    e.quad_class, e.score, e.confidence,
    (SELECT list(code ORDER BY position) FROM event_actors a WHERE a.event_id = e.event_id AND a.role = 'actor') AS actor,
    (SELECT list(code ORDER BY position) FROM event_actors a WHERE a.event_id = e.event_id AND a.role = 'recipient') AS recipient,
    (SELECT list(coalesce(sector, '') ORDER BY position) FROM event_actors a WHERE a.event_id = e.event_id AND a.role = 'actor') AS actor_sector,
    (SELECT list(coalesce(sector, '') ORDER BY position) FROM event_actors a WHERE a.event_id = e.event_id AND a.role = 'recipient') AS recipient_sector,
    e.trigger_text, e.trigger_start, e.trigger_end, e.sentence_text, e.sentence_start, e.sentence_end,
    e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, d.url, d.title, d.published
"""


def events_sql(f: Filters, limit: int | None = None) -> tuple[str, list]:
    where, params = where_clause(f)
    sql = (f"SELECT {EVENT_COLUMNS} FROM events e JOIN documents d USING (doc_id) WHERE {where} "
           "ORDER BY e.date DESC NULLS LAST, e.doc_id, e.sentence_start, e.trigger_start")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return sql, params


def events(con, f: Filters = Filters(), limit: int | None = None):
    """Events matching the filters, newest first, as a pandas DataFrame."""
    sql, params = events_sql(f, limit)
    return con.execute(sql, params).df()


def events_by_type(con, f: Filters = Filters()) -> dict[str, int]:
    where, params = where_clause(f)
    rows = con.execute(f"SELECT event, count(*) FROM events e WHERE {where} GROUP BY event "
                       "ORDER BY count(*) DESC", params).fetchall()
    return dict(rows)


def parse_codes(value: str | None) -> tuple[str, ...]:
    """'KOR,usa' → ('KOR', 'USA')."""
    if not value:
        return ()
    return tuple(v.strip().upper() for v in value.split(",") if v.strip())
