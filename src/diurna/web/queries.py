"""Read-only store queries behind the HTTP API: event pages, one event, one document, and the
analysis module's counts shaped as JSON.

Every value from a request reaches SQL as a bound parameter; the only SQL text built here
is fixed column lists and the conditions from ``query.where_clause``.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import numpy as np
import pandas as pd

from diurna.errors import FilterError, InvalidValue
from diurna.analysis import counts as analysis
from diurna.store.query import Filters, where_clause

EVENT_FIELDS = """
    e.event_id, e.doc_id, e.event, e.mode, e.context, e.cameo, e.aux, e.date, e.date_precision,
    e.trigger_text, e.trigger_start, e.trigger_end, e.sentence_text, e.sentence_start, e.sentence_end,
    e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.loc_geonameid, e.loc_province, e.loc_resolution,
    e.confidence, e.quad_class, e.score, d.title, d.url, d.published
"""
# The one stable order for pages: newest first, undated last, ties broken by the unique id.
PAGE_ORDER = "ORDER BY e.date DESC NULLS LAST, e.event_id"


class BadCursor(InvalidValue):
    """The cursor parameter is not one this server handed out."""


@dataclass(frozen=True)
class Cursor:
    """Position after the last event of a page: its (date, event_id) in PAGE_ORDER."""
    date: date | None
    event_id: str

    def encode(self) -> str:
        raw = json.dumps([self.date.isoformat() if self.date else None, self.event_id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            day, event_id = json.loads(raw)
            if not isinstance(event_id, str) or not (day is None or isinstance(day, str)):
                raise ValueError
            return cls(date.fromisoformat(day) if day else None, event_id)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise BadCursor("not a cursor from a previous page; "
                            "pass next_cursor unchanged, or leave it out for the first page") from None

    def condition(self) -> tuple[str, list]:
        """Events strictly after this position in PAGE_ORDER."""
        if self.date is None:
            return "(e.date IS NULL AND e.event_id > ?)", [self.event_id]
        return ("(e.date < ? OR (e.date = ? AND e.event_id > ?) OR e.date IS NULL)",
                [self.date, self.date, self.event_id])


def _rows(cur, sql: str, params: list) -> list[dict]:
    result = cur.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def _filtered(f: Filters, located: bool) -> tuple[str, list]:
    where, params = where_clause(f)
    if located:
        where += " AND e.loc_lat IS NOT NULL AND e.loc_lon IS NOT NULL"
    return where, params


def event_page(cur, f: Filters, limit: int, after: Cursor | None = None,
               located: bool = False) -> dict:
    """One page of events in PAGE_ORDER, the total that match, and the cursor for the next page."""
    where, params = _filtered(f, located)
    total = cur.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
    if after is not None:
        cond, extra = after.condition()
        where, params = f"{where} AND {cond}", params + extra
    rows = _rows(cur, f"SELECT {EVENT_FIELDS} FROM events e JOIN documents d USING (doc_id) "
                      f"WHERE {where} {PAGE_ORDER} LIMIT ?", params + [limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    records = _with_entities(cur, rows)
    last = rows[-1] if rows else None
    next_cursor = Cursor(last["date"], last["event_id"]).encode() if more and last else None
    return {"events": records, "total": total, "limit": limit, "next_cursor": next_cursor}


def _with_entities(cur, rows: list[dict]) -> list[dict]:
    """Event records with their actor and recipient lists, fetched in one query."""
    ids = [r["event_id"] for r in rows]
    sides: dict[tuple[str, str], list[dict]] = {}
    if ids:
        for row in _rows(cur, "SELECT event_id, role, code, sector, entity_text FROM event_actors "
                              "WHERE event_id IN (SELECT unnest(?)) ORDER BY event_id, role, position",
                         [ids]):
            sides.setdefault((row["event_id"], row["role"]), []).append(
                {"code": row["code"], "sector": row["sector"], "entity_text": row["entity_text"]})
    return [event_record(r, sides.get((r["event_id"], "actor"), []),
                         sides.get((r["event_id"], "recipient"), [])) for r in rows]


def event_record(row: dict, actor: list[dict], recipient: list[dict]) -> dict:
    """A stored event in the public record shape (see schema.Event.to_dict) plus its links."""
    located = row["loc_name"] is not None or row["loc_lat"] is not None
    return {
        "id": row["event_id"], "doc_id": row["doc_id"], "event": row["event"], "mode": row["mode"],
        "context": list(row["context"] or []), "cameo": row["cameo"], "aux": row["aux"],
        "date": row["date"], "date_precision": row["date_precision"],
        "trigger": _span(row, "trigger"), "sentence": _span(row, "sentence"),
        "actor": actor, "recipient": recipient,
        "event_loc": {"name": row["loc_name"], "country": row["loc_country"],
                      "lat": row["loc_lat"], "lon": row["loc_lon"], "geonameid": row["loc_geonameid"],
                      "province": row["loc_province"], "resolution": row["loc_resolution"]}
        if located else None,
        "confidence": row["confidence"], "quad_class": row["quad_class"], "score": row["score"],
        "document": {"doc_id": row["doc_id"], "title": row["title"], "url": row["url"],
                     "published": row["published"]},
        "links": {"event": f"/api/events/{quote(row['event_id'], safe='')}",
                  "document": f"/api/documents/{quote(row['doc_id'], safe='')}",
                  "article": row["url"]},
    }


def _span(row: dict, name: str) -> dict:
    return {"text": row[f"{name}_text"], "start": row[f"{name}_start"], "end": row[f"{name}_end"]}


def one_event(cur, event_id: str) -> dict | None:
    """An event with its evidence: the sentence, the trigger, and where each argument stands."""
    rows = _rows(cur, f"SELECT {EVENT_FIELDS} FROM events e JOIN documents d USING (doc_id) "
                      "WHERE e.event_id = ?", [event_id])
    if not rows:
        return None
    record = _with_entities(cur, rows)[0]
    text, mentions = _document_text(cur, record["doc_id"])
    record["evidence"] = evidence(record, text or "", mentions)
    return record


def document(cur, doc_id: str) -> dict | None:
    """A document's text with its actor mentions and its events, each event's spans located."""
    rows = _rows(cur, "SELECT doc_id, title, url, published, source, notes, text "
                      "FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    doc = rows[0]
    doc["notes"] = list(doc["notes"] or [])
    _, doc["actors"] = _document_text(cur, doc_id, with_text=False)
    events = _rows(cur, f"SELECT {EVENT_FIELDS} FROM events e JOIN documents d USING (doc_id) "
                        "WHERE e.doc_id = ? ORDER BY e.sentence_start, e.trigger_start, e.event_id",
                   [doc_id])
    doc["events"] = [{**record, "evidence": evidence(record, doc["text"], doc["actors"])}
                     for record in _with_entities(cur, events)]
    return doc


def _document_text(cur, doc_id: str, with_text: bool = True) -> tuple[str | None, list[dict]]:
    text = None
    if with_text:
        text = cur.execute("SELECT text FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0]
    mentions = _rows(cur, 'SELECT start, "end", text, code, sector, name, office, wikidata '
                          "FROM actor_mentions WHERE doc_id = ? ORDER BY start", [doc_id])
    return text, mentions


def evidence(record: dict, text: str, mentions: list[dict]) -> dict:
    """Where the event's actor, trigger and recipient stand in the document text.

    The store keeps an argument's text and code but not its offsets, so each is placed on the
    matching actor mention inside the event's sentence nearest the trigger, else on the nearest
    occurrence of its text in that sentence.
    """
    sentence, trigger = record["sentence"], record["trigger"]
    bounds = (sentence["start"] or 0, sentence["end"] or len(text))
    anchor = trigger["start"] if trigger["start"] is not None else bounds[0]
    inside = [m for m in mentions if bounds[0] <= m["start"] and m["end"] <= bounds[1]]
    return {"sentence": sentence, "trigger": trigger,
            "actor": [_place(e, inside, text, bounds, anchor) for e in record["actor"]],
            "recipient": [_place(e, inside, text, bounds, anchor) for e in record["recipient"]],
            "mentions": inside}


def _place(entity: dict, mentions: list[dict], text: str, bounds: tuple[int, int], anchor: int) -> dict:
    wanted = entity["entity_text"] or ""
    spans = [(m["start"], m["end"]) for m in mentions if m["text"] == wanted and m["code"] == entity["code"]]
    if not spans and wanted:
        spans = _occurrences(text, wanted, *bounds)
    start, end = min(spans, key=lambda s: abs(s[0] - anchor)) if spans else (None, None)
    return {**entity, "start": start, "end": end}


def _occurrences(text: str, needle: str, lo: int, hi: int) -> list[tuple[int, int]]:
    found, at = [], text.find(needle, lo, hi)
    while at != -1:
        found.append((at, at + len(needle)))
        at = text.find(needle, at + 1, hi)
    return found


def store_summary(cur) -> dict:
    """Counts and the date range of the stored events."""
    counts = {table: cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("documents", "events", "actor_mentions")}
    first, last = cur.execute("SELECT min(date), max(date) FROM events").fetchone()
    return {"counts": counts, "first_date": first, "last_date": last}


# -- counts: the analysis module's, shaped for JSON ------------------------------------
def records(frame) -> list[dict]:
    """DataFrame rows as JSON-ready dicts: NaN → None, numpy scalars → Python, timestamps → dates."""
    out = []
    for row in frame.to_dict("records"):
        out.append({key: _plain(value) for key, value in row.items()})
    return out


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def overall_timeline(con, f: Filters, by: str = "month") -> dict:
    """Counted events per period over all actors: total, by quad class, mean score.

    Same counting rules as ``analysis.timeline`` (dedup, events dated by their article
    when the text gives no date); periods without events are filled with zeros.
    """
    if by not in TIMELINE_PERIODS:
        raise FilterError("by", f"choose one of {', '.join(TIMELINE_PERIODS)}")
    events_sql, params = analysis.selected_events(con, f)
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {n}) AS quad{n}" for n in analysis.QUADS)
    rows = _rows(con, f"""
        SELECT CAST(date_trunc(?, date) AS DATE) AS period, count(*) AS events,
               round(avg(score), 2) AS mean_score, {quads}
        FROM ({events_sql}) WHERE date IS NOT NULL GROUP BY ALL ORDER BY period""", [by] + params)
    undated = con.execute(f"SELECT count(*) FROM ({events_sql}) WHERE date IS NULL", params).fetchone()[0]
    periods = _with_gaps({r["period"]: r for r in rows}, by)
    return {"by": by, "actors": [], "periods": periods, "undated": undated,
            "total": sum(r["events"] for r in rows) + undated}


def actor_timeline(con, f: Filters, actors: list[str], by: str = "month") -> dict:
    """``analysis.timeline`` for one actor or a pair, in the same shape as ``overall_timeline``."""
    frame = analysis.timeline(con, f, actors, by=by)
    periods = [row for row in records(frame) if row["period"] is not None]
    return {"by": by, "actors": [a.upper() for a in actors], "periods": periods,
            "undated": sum(r["events"] for r in records(frame) if r["period"] is None),
            "total": int(frame["events"].sum()) if not frame.empty else 0}


TIMELINE_PERIODS = ("day", "week", "month", "year")
MAX_FILLED_PERIODS = 2000


def _with_gaps(periods: dict[date, dict], by: str) -> list[dict]:
    """Every period from the first to the last, empty ones included, so bars keep time's spacing."""
    if not periods:
        return []
    starts = sorted(periods)
    filled: list = []
    current = starts[0]
    while current <= starts[-1] and len(filled) < MAX_FILLED_PERIODS:
        filled.append(periods.get(current) or {"period": current, "events": 0, "mean_score": None,
                                                **{f"quad{n}": 0 for n in analysis.QUADS}})
        current = _next_period(current, by)
    return filled if current > starts[-1] else [periods[s] for s in starts]


def _next_period(start: date, by: str) -> date:
    if by in ("day", "week"):
        return start + timedelta(days=1 if by == "day" else 7)
    months = 1 if by == "month" else 12
    total = start.year * 12 + start.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def network_links(con, f: Filters, top: int = 20) -> dict:
    """Node-link JSON of ``analysis.network_frames`` (the keys ``analysis.network_json`` uses),
    kept to the ``top`` busiest actors and the links between them."""
    nodes, links = analysis.network_frames(con, f)
    kept = records(nodes.head(top))
    codes = {n["actor"] for n in kept}
    return {"directed": True,
            "nodes": [{"id": n.pop("actor"), **n} for n in kept],
            "links": [link for link in records(links) if link["source"] in codes and link["target"] in codes]}


def map_places(con, f: Filters, top: int = 500) -> dict:
    """Counted events grouped by where they happened, for the dashboard's map.

    Events with coordinates are grouped by their point (to 0.001°, about 100 m), whatever name
    the text gave it ("Kiev", "Kyiv"); events with a country but no coordinates are grouped by
    country with lat/lon null, for the map to place at the country's shape. The ``top`` busiest
    places are kept; ``unplaced`` counts the selected events with neither.
    """
    events_sql, params = analysis.selected_events(con, f)
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {n}) AS quad{n}" for n in analysis.QUADS)
    placed = f"""
        SELECT s.event_id, s.date, s.quad_class, s.score, x.loc_name, upper(x.loc_country) AS country,
               round(x.loc_lat, 3) AS lat, round(x.loc_lon, 3) AS lon
        FROM ({events_sql}) s JOIN events x USING (event_id)
        WHERE (x.loc_lat IS NOT NULL AND x.loc_lon IS NOT NULL) OR x.loc_country IS NOT NULL"""
    rows = _rows(con, f"""
        SELECT list(DISTINCT loc_name ORDER BY loc_name) FILTER (WHERE loc_name IS NOT NULL) AS names,
               min(country) AS country, lat, lon, count(*) AS events, round(avg(score), 2) AS mean_score,
               {quads}, first(event_id ORDER BY date DESC NULLS LAST, event_id) AS latest_event
        FROM ({placed}) GROUP BY lat, lon, CASE WHEN lat IS NULL THEN country END
        ORDER BY events DESC, lat NULLS LAST, lon, country LIMIT ?""", params + [top])
    total = con.execute(f"SELECT count(*) FROM ({events_sql})", params).fetchone()[0]
    located = con.execute(f"SELECT count(*) FROM ({placed})", params).fetchone()[0]
    for row in rows:
        row["names"] = row["names"] or []
        row["country_numeric"] = _iso_numeric(row["country"])
    return {"places": rows, "total": total, "unplaced": total - located}


def _iso_numeric(alpha3: str | None) -> str | None:
    """ISO 3166-1 alpha-3 → numeric ("UKR" → "804"), the id of the map's country shapes."""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3) if alpha3 else None
    return country.numeric if country else None
