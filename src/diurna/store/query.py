"""Read-only questions over the store. Every filter is a bound parameter, never SQL text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from diurna.errors import FilterError
from diurna.records import AUX_MODES, PLOVER_TYPES

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

UNCERTAIN_AUX = ("future", "hypothetical", "negation")
# Whether future, hypothetical and negated events are kept when the caller does not say
# (``include_uncertain=None``): listings and exports show every record, counts leave them
# out. This is the one place the rule lives; the CLI, the HTTP API and the Python API
# pass None unless told otherwise, so ``Filters()`` counts as `diurna dyads` does.
UNCERTAIN_LISTED = True
UNCERTAIN_COUNTED = False
AUX_CHOICES = ("none",) + AUX_MODES     # "none": a reported fact
QUAD_CLASSES = (1, 2, 3, 4)


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
    include_uncertain: bool | None = None  # keep future/hypothetical/negated events; None: see above
    doc_id: str | None = None
    dedup: bool = True                   # analysis/exports: one event per cluster, no near-duplicate docs

    def __post_init__(self) -> None:
        bad = [e for e in self.event if e not in PLOVER_TYPES]
        if bad:
            raise FilterError("event", f"unknown PLOVER type {', '.join(bad)}; "
                              f"choose from {', '.join(PLOVER_TYPES)}")
        if self.since and self.until and self.since > self.until:
            raise FilterError("since", "the start date is after the end date")
        bad_q = [q for q in self.quad_class if q not in QUAD_CLASSES]
        if bad_q:
            raise FilterError("quad", f"{bad_q[0]!r} is not a quad class; use 1, 2, 3 or 4")
        bad_aux = [a for a in self.aux if a not in AUX_CHOICES]
        if bad_aux:
            raise FilterError("aux", f"{bad_aux[0]!r} is not an auxiliary mode; use {', '.join(AUX_CHOICES)}")

    def keeps_uncertain(self, counting: bool) -> bool:
        """Whether future, hypothetical and negated events are kept, in a count or a listing."""
        if self.include_uncertain is not None:
            return self.include_uncertain
        return UNCERTAIN_COUNTED if counting else UNCERTAIN_LISTED

    @classmethod
    def parse(cls, *, since: date | str | None = None, until: date | str | None = None,
              actor: str | Iterable[str] | None = None, recipient: str | Iterable[str] | None = None,
              sector: str | Iterable[str] | None = None, event: str | Iterable[str] | None = None,
              quad: str | int | Iterable[int | str] | None = None, aux: str | Iterable[str] | None = None,
              include_uncertain: bool | None = None, doc_id: str | None = None,
              dedup: bool = True) -> "Filters":
        """The one reading of filter values given as text ("RUS,UKR", "3,4", "2024-07-01") or
        as Python values, shared by the CLI, the HTTP API and the Python API: the same bad
        value gets the same ``FilterError`` everywhere."""
        return cls(since=_date("since", since), until=_date("until", until),
                   actor=parse_codes(actor), recipient=parse_codes(recipient),
                   sector=parse_codes(sector), event=parse_codes(event), quad_class=_quads(quad),
                   aux=tuple(a.lower() for a in parse_codes(aux)),
                   include_uncertain=include_uncertain, doc_id=doc_id, dedup=dedup)


def _date(field: str, value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(field, f"{value!r} is not a date in YYYY-MM-DD form") from None


def _quads(value: str | int | Iterable[int | str] | None) -> tuple[int, ...]:
    items = parse_codes(str(value) if isinstance(value, int) else value)
    bad = [q for q in items if q not in ("1", "2", "3", "4")]
    if bad:
        raise FilterError("quad", f"{bad[0]!r} is not a quad class; use 1, 2, 3 or 4")
    return tuple(int(q) for q in items)


def where_clause(f: Filters, alias: str = "e", counting: bool = False) -> tuple[str, list[Any]]:
    """SQL conditions and their parameters for the events table aliased ``alias``;
    ``counting``: for a count, whose default leaves uncertain events out."""
    conds: list[str] = ["TRUE"]
    params: list[Any] = []
    if f.since:
        conds.append(f"{alias}.date >= ?")
        params.append(f.since)
    if f.until:
        conds.append(f"{alias}.date <= ?")
        params.append(f.until)
    if f.event:
        conds.append(f"{alias}.event IN ({_marks(f.event)})")
        params.extend(f.event)
    if f.quad_class:
        conds.append(f"{alias}.quad_class IN ({_marks(f.quad_class)})")
        params.extend(f.quad_class)
    if f.doc_id:
        conds.append(f"{alias}.doc_id = ?")
        params.append(f.doc_id)
    for role, codes in (("actor", f.actor), ("recipient", f.recipient)):
        if codes:
            conds.append(f"{alias}.event_id IN (SELECT event_id FROM event_actors "
                         f"WHERE role = '{role}' AND code IN ({_marks(codes)}))")
            params.extend(codes)
    if f.sector:
        conds.append(f"{alias}.event_id IN (SELECT event_id FROM event_actors "
                     f"WHERE sector IN ({_marks(f.sector)}))")
        params.extend(f.sector)
    if f.aux:
        keep = [a for a in f.aux if a != "none"]
        cond = f"{alias}.aux IN ({_marks(keep)})" if keep else "FALSE"
        conds.append(f"({cond} OR {alias}.aux IS NULL)" if "none" in f.aux else cond)
        params.extend(keep)
    elif not f.keeps_uncertain(counting):
        conds.append(f"({alias}.aux IS NULL OR {alias}.aux NOT IN ({_marks(UNCERTAIN_AUX)}))")
        params.extend(UNCERTAIN_AUX)
    return " AND ".join(conds), params


def _marks(values: Sequence[Any]) -> str:
    """Placeholders for a list of bound values: DuckDB plans an explicit list far better
    than IN (SELECT unnest(?))."""
    return ", ".join("?" * len(values))


EVENT_COLUMNS = """
    e.event_id, e.doc_id, e.date, e.date_precision, e.event, e.mode, e.cameo, e.aux,
    e.quad_class, e.score, e.confidence,
    a.actor, a.recipient, a.actor_sector, a.recipient_sector,
    e.trigger_text, e.trigger_start, e.trigger_end, e.sentence_text, e.sentence_start, e.sentence_end,
    e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, d.url, d.title, d.published
"""
ORDER = "e.date DESC NULLS LAST, e.doc_id, e.sentence_start, e.trigger_start"
# Actor and recipient lists, aggregated once per event instead of one subquery per row.
_ARGUMENTS = """
    SELECT event_id,
           list(code ORDER BY position) FILTER (WHERE role = 'actor') AS actor,
           list(code ORDER BY position) FILTER (WHERE role = 'recipient') AS recipient,
           list(coalesce(sector, '') ORDER BY position) FILTER (WHERE role = 'actor') AS actor_sector,
           list(coalesce(sector, '') ORDER BY position) FILTER (WHERE role = 'recipient') AS recipient_sector
    FROM event_actors WHERE event_id IN ({ids}) GROUP BY event_id
"""


def events_sql(f: Filters, limit: int | None = None) -> tuple[str, list[Any]]:
    """One query for all matching events (used for unbounded listings and exports)."""
    where, params = where_clause(f)
    ids = f"SELECT e.event_id FROM events e WHERE {where}"
    sql = (f"SELECT {EVENT_COLUMNS} FROM events e JOIN documents d USING (doc_id) "
           f"LEFT JOIN ({_ARGUMENTS.format(ids=ids)}) a USING (event_id) WHERE {where} ORDER BY {ORDER}")
    params = params + params
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return sql, params


def events(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), limit: int | None = None) -> pd.DataFrame:
    """Events matching the filters, newest first, as a pandas DataFrame.

    With a limit, the page of ids is found first and only those rows are joined:
    DuckDB uses its indexes for an explicit id list, which keeps a filtered page fast
    on stores of millions of events."""
    if limit is None:
        sql, params = events_sql(f)
        return con.execute(sql, params).df()
    where, params = where_clause(f)
    ids = [r[0] for r in con.execute(f"SELECT e.event_id FROM events e WHERE {where} ORDER BY {ORDER} LIMIT ?",
                                     params + [int(limit)]).fetchall()]
    marks = ", ".join("?" * len(ids)) or "NULL"
    sql = (f"SELECT {EVENT_COLUMNS} FROM events e JOIN documents d USING (doc_id) "
           f"LEFT JOIN ({_ARGUMENTS.format(ids=marks)}) a USING (event_id) "
           f"WHERE e.event_id IN ({marks}) ORDER BY {ORDER}")
    return con.execute(sql, ids + ids).df()


def events_by_type(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> dict[str, int]:
    where, params = where_clause(f)
    rows = con.execute(f"SELECT event, count(*) FROM events e WHERE {where} GROUP BY event "
                       "ORDER BY count(*) DESC", params).fetchall()
    return dict(rows)


def parse_codes(value: str | Iterable[str | int] | None) -> tuple[str, ...]:
    """'KOR,usa' (or ['KOR', 'usa']) → ('KOR', 'USA')."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return tuple(v.strip().upper() for v in items if v.strip())
