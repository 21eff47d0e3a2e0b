"""Analysis over the store: dyads, most active actors, timelines, the actor network.

Every function takes a DuckDB connection and a ``query.Filters`` and returns a pandas
DataFrame (or a networkx graph); the CLI, the Python API and the HTTP API share them.

Counting rules, the same everywhere:
* With ``Filters.dedup`` (the default) an event reported by several articles counts
  once, and events of near-duplicate documents are left out (see ``diurna.store.dedup``).
* An event's date is its own date, else its document's publication date.
* Future, hypothetical and negated events are left out unless
  ``Filters.include_uncertain`` is True (the CLI's ``--include-uncertain``); the
  default is ``query.UNCERTAIN_COUNTED``, the same for the CLI and ``Filters()``.
* A dyad is an (actor code, recipient code) pair of one event; an event with two
  recipients counts once for each. Events without a recipient belong to no dyad.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from diurna.errors import FilterError
from diurna.store.dedup import index_is_current
from diurna.errors import StoreError
from diurna.store.query import Filters, where_clause

PERIODS = ("day", "week", "month", "year", "all")
_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
QUADS = (1, 2, 3, 4)


def make_filters(**kw) -> Filters:
    """Filters from keyword arguments, accepting a string ("RUS,UKR"), a list or a tuple
    for code fields and ISO strings for dates: ``make_filters(actor="RUS", since="2024-01-01")``.
    ``quad_class`` is the Python API's name for the CLI's --quad."""
    if "quad_class" in kw:
        kw["quad"] = kw.pop("quad_class")
    return Filters.parse(**kw)


def selected_events(con, f: Filters, counting: bool = True) -> tuple[str, list]:
    """SQL for the events ``f`` selects, from the analysis index ``event_clusters``:
    event_id, doc_id, cluster_id, date (effective), event, quad_class, score, aux,
    actors and recipients (distinct code lists). Every analysis starts from it; an
    export, a listing, passes ``counting=False`` (uncertain events kept by default)."""
    if not index_is_current(con):
        raise StoreError("this store has events that are not indexed for analysis yet; "
                         "run `diurna dedup --db PATH` once (it needs write access)")
    where, params = where_clause(f, "e", counting=counting)
    counted = " AND e.counted" if f.dedup else ""
    return f"SELECT e.* FROM event_clusters e WHERE {where}{counted}", params


def _period(by: str) -> tuple[str, list]:
    if by not in PERIODS:
        raise FilterError("by", f"choose one of {', '.join(PERIODS)}")
    if by == "all":
        return "NULL::DATE", []
    return "date_trunc(?, date)::DATE", [by]


def _quad_columns() -> str:
    return ", ".join(f"count(*) FILTER (WHERE quad_class = {q}) AS quad{q}" for q in QUADS)


def _pairs(events_sql: str) -> str:
    """One row per (event, actor code, recipient code)."""
    return f"SELECT ev.*, a.actor, r.recipient FROM ({events_sql}) ev, " \
           "unnest(ev.actors) AS a(actor), unnest(ev.recipients) AS r(recipient)"


def dyads(con, f: Filters = Filters(), by: str = "month",
          actor: str | Iterable[str] | None = None,
          recipient: str | Iterable[str] | None = None, top: int | None = None) -> pd.DataFrame:
    """Events per actor→recipient pair and period: count, mean score, quad-class counts.
    ``actor``/``recipient`` pick one dyad (or a few); ``top`` keeps the N busiest dyads."""
    events_sql, params = selected_events(con, f)
    period, period_params = _period(by)
    conds, pair_params = [], []
    for column, codes in (("actor", _codes(actor)), ("recipient", _codes(recipient))):
        if codes:
            conds.append(f"{column} IN (SELECT unnest(?))")
            pair_params.append(codes)
    sql = f"""
        SELECT {period} AS period, actor, recipient, count(*) AS events,
               round(avg(score), 2) AS mean_score, {_quad_columns()}
        FROM ({_pairs(events_sql)}) WHERE {' AND '.join(conds) or 'TRUE'}
        GROUP BY ALL ORDER BY period NULLS FIRST, events DESC, actor, recipient"""
    frame = _period_dates(con.execute(sql, period_params + params + pair_params).df())
    return _busiest_dyads(frame, top) if top else frame


def _busiest_dyads(frame: pd.DataFrame, top: int) -> pd.DataFrame:
    totals = frame.groupby(["actor", "recipient"])["events"].sum()
    keep = totals.sort_values(ascending=False, kind="stable").head(top).index
    pairs = pd.MultiIndex.from_frame(frame[["actor", "recipient"]])
    return frame[pairs.isin(keep)].reset_index(drop=True)


def top_actors(con, f: Filters = Filters(), top: int = 15, partners: int = 3) -> pd.DataFrame:
    """The most active actors (events on either side) and their most frequent partners."""
    events_sql, params = selected_events(con, f)
    sql = f"""
        WITH ev AS ({events_sql}),
        sides AS (
            SELECT event_id, score, unnest(actors) AS code, 'actor' AS role, recipients AS others FROM ev
            UNION ALL
            SELECT event_id, score, unnest(recipients), 'recipient', actors FROM ev),
        ranked AS (
            SELECT code AS actor, count(DISTINCT event_id) AS events,
                   count(*) FILTER (WHERE role = 'actor') AS as_actor,
                   count(*) FILTER (WHERE role = 'recipient') AS as_recipient,
                   round(avg(score), 2) AS mean_score
            FROM sides GROUP BY code ORDER BY events DESC, actor LIMIT ?),
        partner_counts AS (
            SELECT code AS actor, partner, count(DISTINCT event_id) AS n
            FROM (SELECT code, event_id, unnest(others) AS partner FROM sides
                  WHERE code IN (SELECT actor FROM ranked))
            WHERE partner <> code GROUP BY ALL),
        best AS (
            SELECT actor, list(partner || ' ' || n ORDER BY n DESC, partner)[1:?] AS partners
            FROM partner_counts GROUP BY actor)
        SELECT r.*, coalesce(array_to_string(b.partners, ', '), '') AS top_partners
        FROM ranked r LEFT JOIN best b USING (actor) ORDER BY events DESC, actor"""
    return con.execute(sql, params + [int(top), int(partners)]).df()


def timeline(con, f: Filters, actors: list[str], by: str = "month") -> pd.DataFrame:
    """Events over time for one actor (on either side) or a pair (either direction).

    ``as_actor`` counts events where the first actor acts (towards the second, for a
    pair), ``as_recipient`` those where it is the target. Empty periods between the
    first and last (or the filter's since/until) are filled with zeros.
    """
    codes = [c.strip().upper() for c in actors]
    if len(codes) not in (1, 2):
        raise FilterError("timeline", "give one actor code or two")
    events_sql, params = selected_events(con, f)
    period, period_params = _period(by)
    first, second = codes[0], codes[-1]
    pair = len(codes) == 2
    sql = f"""
        WITH marked AS (
            SELECT *,
                   CASE WHEN ? THEN list_contains(actors, ?) AND list_contains(recipients, ?)
                        ELSE list_contains(actors, ?) END AS forward,
                   CASE WHEN ? THEN list_contains(actors, ?) AND list_contains(recipients, ?)
                        ELSE list_contains(recipients, ?) END AS backward
            FROM ({events_sql}))
        SELECT {period} AS period, count(*) AS events,
               count(*) FILTER (WHERE forward) AS as_actor,
               count(*) FILTER (WHERE backward) AS as_recipient,
               round(avg(score), 2) AS mean_score, {_quad_columns()}
        FROM marked WHERE forward OR backward
        GROUP BY ALL ORDER BY period NULLS FIRST"""
    frame = con.execute(sql, [pair, first, second, first, pair, second, first, first]
                        + params + period_params).df()
    return _period_dates(_fill_periods(frame, by, f))


def _period_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Periods as datetime.date (the first day of each period), None for by="all"."""
    frame["period"] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame["period"]]
    return frame


def _fill_periods(frame: pd.DataFrame, by: str, f: Filters) -> pd.DataFrame:
    """Add zero rows for periods with no events, from the first period (or ``f.since``)
    to the last (or ``f.until``); undated events keep their row, last."""
    dated = frame[frame["period"].notna()]
    if by == "all" or dated.empty:
        return frame
    known = pd.to_datetime(dated["period"])
    start = pd.Timestamp(f.since) if f.since else known.min()
    end = pd.Timestamp(f.until) if f.until else known.max()
    full = pd.date_range(start.to_period(_pandas_period(by)).start_time, end, freq=_FREQ[by])
    out = dated.assign(period=known).set_index("period").reindex(full)
    counts = [c for c in out.columns if c != "mean_score"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out.index.name = "period"
    return pd.concat([out.reset_index(), frame[frame["period"].isna()]], ignore_index=True)


def _pandas_period(by: str) -> str:
    return {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}[by]


# -- the actor network ------------------------------------------------------------
def network_frames(con, f: Filters = Filters()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (actor: events, as_actor, as_recipient) and edges (actor→recipient: weight,
    mean score, quad-class counts, per-type counts)."""
    events_sql, params = selected_events(con, f)
    edges = con.execute(f"""
        SELECT actor AS source, recipient AS target, count(*) AS weight,
               round(avg(score), 2) AS mean_score, {_quad_columns()}, histogram(event) AS types
        FROM ({_pairs(events_sql)}) GROUP BY ALL ORDER BY weight DESC, source, target""", params).df()
    nodes = con.execute(f"""
        WITH ev AS ({events_sql})
        SELECT code AS actor, count(DISTINCT event_id) AS events,
               count(*) FILTER (WHERE role = 'actor') AS as_actor,
               count(*) FILTER (WHERE role = 'recipient') AS as_recipient
        FROM (SELECT event_id, unnest(actors) AS code, 'actor' AS role FROM ev
              UNION ALL SELECT event_id, unnest(recipients), 'recipient' FROM ev)
        GROUP BY code ORDER BY events DESC, actor""", params).df()
    return nodes, edges


def network(con, f: Filters = Filters()):
    """The actor graph as a networkx DiGraph: nodes are actor codes (``events``
    attribute), edges actor→recipient with ``weight`` (events), ``mean_score``,
    ``quad1``..``quad4`` and one count attribute per PLOVER type seen on the edge."""
    import networkx as nx

    nodes, edges = network_frames(con, f)
    graph = nx.DiGraph()
    for row in nodes.itertuples(index=False):
        graph.add_node(row.actor, label=row.actor, events=int(row.events),
                       as_actor=int(row.as_actor), as_recipient=int(row.as_recipient))
    for row in edges.itertuples(index=False):
        attrs = {"weight": int(row.weight), "mean_score": float(row.mean_score)}
        attrs.update({f"quad{q}": int(getattr(row, f"quad{q}")) for q in QUADS})
        attrs.update({event: int(n) for event, n in _histogram(row.types).items()})
        graph.add_edge(row.source, row.target, **attrs)
    return graph


def network_json(graph) -> dict:
    """Node-link JSON: {"nodes": [{id, events, …}], "links": [{source, target, weight, …}]}."""
    nodes = [{"id": n, **attrs} for n, attrs in graph.nodes(data=True)]
    links = [{"source": s, "target": t, **attrs} for s, t, attrs in graph.edges(data=True)]
    return {"directed": True, "nodes": nodes, "links": links}


def write_graphml(graph, path_or_stream) -> None:
    import networkx as nx
    nx.write_graphml(_with_all_types(graph), path_or_stream)


def write_gexf(graph, path_or_stream) -> None:
    import networkx as nx
    nx.write_gexf(_with_all_types(graph), path_or_stream)


def _with_all_types(graph):
    """GraphML/GEXF declare attributes per graph: give every edge every type column (0 if absent)."""
    keys = sorted({k for _, _, attrs in graph.edges(data=True) for k in attrs})
    out = graph.copy()
    for _, _, attrs in out.edges(data=True):
        for key in keys:
            attrs.setdefault(key, 0)
    return out


def _histogram(value) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return dict(zip(value["key"], value["value"])) if "key" in value else dict(value)


def _codes(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip().upper() for v in value if v and v.strip()]
