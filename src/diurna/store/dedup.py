"""Deduplication: near-duplicate documents, and one event per real-world happening.

Both layers sit beside the raw records, which are never changed or deleted.

Documents. A document's text is lower-cased, reduced to its words, and cut into
overlapping 5-word shingles. MinHash signatures split into LSH bands find candidate
pairs without comparing every pair; the exact Jaccard similarity of the two shingle
sets then decides. A document whose similarity to an earlier-stored document is at
least ``NEAR_DUPLICATE`` (0.7) — a wire copy, a republished story, a lightly edited
version — gets a row ``document_links(doc_id, duplicate_of, similarity)`` pointing at
its most similar earlier document, and its events are not counted on their own.
Why 0.7: each edited word removes up to five shingles, so a 100-word story with a new
closing sentence and two changed words already falls to ~0.75, and outlets often trim
or extend wire copy; separately written reports of the same event share well under
0.2 of their shingles, so 0.7 still leaves a wide margin.

Events. Events with the same PLOVER type, the same set of actor codes, the same set of
recipient codes and the same auxiliary mode form one cluster when their dates (the
event's own date, else the document's publication date) fall within ``WINDOW_DAYS``
(3) of the cluster's first report. Two events from one document never merge (the
coder already decides which mentions in a document restate one event), nor do events
whose places are known and differ. Events without any date stay alone. Each cluster
is represented by one event (from a non-duplicate document if it has one, else the
earliest report, then the most confident); ``cluster_id`` is that event's id and
changes if a better representative arrives. ``n_sources`` counts the distinct
documents reporting the cluster, near-duplicate copies included.

``refresh_dedup`` runs after stored batches (in a long run, every few thousand
documents: see Store.deferred_dedup) and only revisits what they touched: their
documents, documents linked to them, and the clusters sharing a key with their events.
Fingerprints (fingerprint.py) are computed here, or handed over by the workers of a
parallel run.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from diurna.store.fingerprint import Bands, bands, jaccard, shingles

Connection = duckdb.DuckDBPyConnection

NEAR_DUPLICATE = 0.7
WINDOW_DAYS = 3
_INCREMENTAL_LIMIT = 2000          # more documents than this in one write: refresh the whole store
_EXPLICIT_LIST = 500               # longer value lists are bound as one array (see _member)
_CHUNK = 1000                      # documents fingerprinted per step

Fingerprints = dict[str, tuple[str, Bands]]    # doc_id → (content hash, LSH band buckets)


@dataclass
class DedupSummary:
    documents: int = 0          # documents (re)fingerprinted
    duplicates: int = 0         # near-duplicate links among them
    events: int = 0             # events (re)clustered, including their cluster neighbours
    clusters: int = 0           # clusters those events form

    def format(self) -> str:
        return (f"{self.documents} documents fingerprinted, {self.duplicates} near duplicates; "
                f"{self.events} events in {self.clusters} clusters")


# -- the refresh ----------------------------------------------------------------
def refresh_dedup(con: Connection, doc_ids: list[str] | None = None, window: int = WINDOW_DAYS,
                  near_duplicates: bool = True, fingerprints: Fingerprints | None = None) -> DedupSummary:
    """Bring document links and event clusters up to date after a write.

    ``doc_ids`` names the documents just written (or replaced); None checks the whole
    store and re-clusters every event, e.g. after a bulk load or to change ``window``.
    ``fingerprints``: band buckets already computed (by the workers of a parallel run),
    by document id, with the content hash they were computed from.
    """
    summary = DedupSummary()
    if doc_ids is not None and len(doc_ids) > _INCREMENTAL_LIMIT:
        doc_ids = None                     # a bulk write: one pass over the store is cheaper
    con.execute("BEGIN")
    try:
        changed: set[str] = set()
        if near_duplicates:
            changed = _refresh_documents(con, doc_ids, summary, fingerprints or {})
        if doc_ids is not None:
            _recluster_documents(con, set(doc_ids) | changed, window, summary)
        if doc_ids is None or not index_is_current(con):
            _recluster_all(con, window, summary)   # first run on an older store, or asked for
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return summary


def pending_documents(con: Connection) -> list[str]:
    """Documents not fingerprinted yet (or changed since), or with events not yet indexed."""
    return _ids(con, """
        SELECT d.doc_id FROM documents d
        WHERE NOT EXISTS (SELECT 1 FROM document_lsh l WHERE l.doc_id = d.doc_id
                          AND l.content_hash = d.content_hash)
        UNION
        SELECT DISTINCT e.doc_id FROM events e
        WHERE NOT EXISTS (SELECT 1 FROM event_clusters c WHERE c.event_id = e.event_id)
        ORDER BY 1""")


def index_is_current(con: Connection) -> bool:
    """Whether every stored event has its row in event_clusters (analysis reads only that)."""
    try:
        n_events, n_indexed = con.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM event_clusters)").fetchall()[0]
    except duckdb.CatalogException:
        return False
    return bool(n_events == n_indexed)


def _refresh_documents(con: Connection, doc_ids: list[str] | None, summary: DedupSummary, known: Fingerprints) -> set[str]:
    """Fingerprint new or changed documents and re-link them; returns documents whose
    duplicate status may have changed. Works through them in the order they were stored,
    so every document's possible originals are fingerprinted before it is linked."""
    stale = _stale_documents(con, doc_ids)
    changed: set[str] = set()
    for i in range(0, len(stale), _CHUNK):
        changed |= _refresh_chunk(con, stale[i:i + _CHUNK], summary, known)
    return changed


def _refresh_chunk(con: Connection, stale: list[str], summary: DedupSummary, known: Fingerprints) -> set[str]:
    cond, params = _member("duplicate_of", stale)
    relink = sorted(set(stale) | set(_ids(con, f"SELECT doc_id FROM document_links WHERE {cond}", params)))
    cond, params = _member("doc_id", stale)
    con.execute(f"DELETE FROM document_lsh WHERE {cond}", params)
    stored = dict(con.execute(f"SELECT doc_id, content_hash FROM documents WHERE {cond}", params).fetchall())
    given = {d: known[d][1] for d, digest in stored.items() if d in known and known[d][0] == digest}
    cond, params = _member("doc_id", sorted(set(stored) - set(given)))
    texts = con.execute(f"SELECT doc_id, text FROM documents WHERE {cond}", params).fetchall()
    sets = {doc_id: shingles(text) for doc_id, text in texts}
    prints = {**given, **{doc_id: bands(hashes) for doc_id, hashes in sets.items()}}
    rows = [(doc_id, band, bucket) for doc_id, fp in prints.items() for band, bucket in fp]
    if rows:
        con.register("new_lsh", pd.DataFrame(rows, columns=["doc_id", "band", "bucket"]))
        con.execute("INSERT INTO document_lsh SELECT n.doc_id, d.content_hash, n.band, n.bucket "
                    "FROM new_lsh n JOIN documents d USING (doc_id)")
        con.unregister("new_lsh")
    cond, params = _member("doc_id", relink)
    con.execute(f"DELETE FROM document_links WHERE {cond}", params)
    links = _best_links(con, relink, sets)
    if links:
        con.executemany("INSERT INTO document_links VALUES (?, ?, ?)", links)
    summary.documents += len(stored)
    summary.duplicates += len(links)
    return set(relink)


def _stale_documents(con: Connection, doc_ids: list[str] | None) -> list[str]:
    """Documents whose fingerprint is missing or was taken from other content, then
    fingerprints of documents that no longer exist; in the order they were stored."""
    fresh = ("EXISTS (SELECT 1 FROM document_lsh l WHERE l.doc_id = d.doc_id "
             "AND l.content_hash = d.content_hash)")
    cond, params = _member("d.doc_id", sorted(set(doc_ids))) if doc_ids is not None else ("TRUE", [])
    stale = _ids(con, f"SELECT d.doc_id FROM documents d WHERE {cond} AND NOT {fresh} "
                      "ORDER BY d.coded_at, d.doc_id", params)
    gone = _ids(con, f"SELECT DISTINCT d.doc_id FROM document_lsh d WHERE {cond} "
                     "AND d.doc_id NOT IN (SELECT doc_id FROM documents) ORDER BY 1", params)
    return stale + gone


def _best_links(con: Connection, doc_ids: list[str], known: dict[str, set[int]] | None = None) -> list[tuple[str, str, float]]:
    """For each document, its most similar earlier-stored document at or above the
    threshold. ``known``: shingle sets already computed, by document."""
    cond, params = _member("a.doc_id", doc_ids)
    pairs = con.execute(f"""
        SELECT DISTINCT a.doc_id, b.doc_id
        FROM document_lsh a JOIN document_lsh b ON a.band = b.band AND a.bucket = b.bucket
        JOIN documents da ON da.doc_id = a.doc_id JOIN documents db ON db.doc_id = b.doc_id
        WHERE {cond} AND a.band >= 0
          AND (db.coded_at < da.coded_at OR (db.coded_at = da.coded_at AND db.doc_id < da.doc_id))""",
                        params).fetchall()
    if not pairs:
        return []
    sets = dict(known or {})
    cond, params = _member("doc_id", sorted({d for pair in pairs for d in pair} - set(sets)))
    texts = con.execute(f"SELECT doc_id, text FROM documents WHERE {cond}", params).fetchall()
    sets.update((doc_id, shingles(text)) for doc_id, text in texts)
    best: dict[str, tuple[float, str]] = {}
    for doc_id, other in pairs:
        similarity = jaccard(sets[doc_id], sets[other])
        if similarity >= NEAR_DUPLICATE and similarity > best.get(doc_id, (0.0, ""))[0]:
            best[doc_id] = (similarity, other)
    return [(doc_id, other, round(sim, 4)) for doc_id, (sim, other) in sorted(best.items())]


# -- event clusters -------------------------------------------------------------
# Events with their cluster key and the facts analysis counts with; cluster_id and
# counted start as "alone and counted" and are settled by _recluster.
_KEY = ("e.event || '|' || coalesce(e.aux, '') || '|' || array_to_string(coalesce(k.actors, []), '+') "
        "|| '>' || array_to_string(coalesce(k.recipients, []), '+')")
_INDEXED_EVENTS = f"""
    SELECT e.event_id, e.doc_id, {_KEY} AS cluster_key, md5_number_lower({_KEY}) AS key_hash,
           e.event_id AS cluster_id, TRUE AS counted, coalesce(e.date, d.published) AS date,
           e.event, e.quad_class, e.score, e.aux,
           coalesce(k.actors, []) AS actors, coalesce(k.recipients, []) AS recipients,
           lower(e.loc_country) AS loc_country, lower(e.loc_name) AS loc_name, e.confidence
    FROM events e JOIN documents d USING (doc_id)
    LEFT JOIN (SELECT event_id,
                      list_sort(list_distinct(list(code) FILTER (WHERE role = 'actor'))) AS actors,
                      list_sort(list_distinct(list(code) FILTER (WHERE role = 'recipient'))) AS recipients
               FROM event_actors {{actor_scope}} GROUP BY event_id) k USING (event_id)
    {{event_scope}}"""


def _recluster_documents(con: Connection, doc_ids: set[str], window: int, summary: DedupSummary) -> None:
    """Re-index the events of these documents, then re-cluster every key they touch."""
    if not doc_ids:
        return
    in_docs, doc_params = _member("doc_id", sorted(doc_ids))
    key_sql = f"SELECT DISTINCT cluster_key, key_hash FROM event_clusters WHERE {in_docs}"
    old_keys = con.execute(key_sql, doc_params).fetchall()
    con.execute(f"DELETE FROM event_clusters WHERE {in_docs}", doc_params)
    events = _ids(con, f"SELECT event_id FROM events WHERE {in_docs}", doc_params)
    if events:
        in_events, event_params = _member("event_id", events)
        con.execute("INSERT INTO event_clusters " + _INDEXED_EVENTS.format(
            actor_scope=f"WHERE {in_events}", event_scope=f"WHERE e.{in_events}"), event_params * 2)
    keys = sorted(set(old_keys) | set(con.execute(key_sql, doc_params).fetchall()))
    if keys:
        # Selecting on the integer hash keeps this a fast filtered scan on a big store.
        in_keys, key_params = _member("c.key_hash", [h for _, h in keys], "UBIGINT")
        _recluster(con, f"WHERE {in_keys}", key_params, window, summary, keys={k for k, _ in keys})


def _recluster_all(con: Connection, window: int, summary: DedupSummary) -> None:
    con.execute("DELETE FROM event_clusters")
    con.execute("INSERT INTO event_clusters " + _INDEXED_EVENTS.format(actor_scope="", event_scope=""))
    _recluster(con, "", [], window, summary)


def _recluster(con: Connection, scope: str, params: list[Any], window: int, summary: DedupSummary,
               keys: set[str] | None = None) -> None:
    """Cluster the events in ``scope`` (only ``keys``, if given) and write back the rows
    whose cluster changed."""
    frame = con.execute(f"""
        SELECT c.event_id, c.doc_id, c.cluster_key, c.cluster_id, c.counted,
               c.loc_country, c.loc_name, c.confidence,
               c.doc_id IN (SELECT doc_id FROM document_links) AS duplicate,
               CAST(c.date - DATE '1970-01-01' AS INTEGER) AS day
        FROM event_clusters c {scope}
        ORDER BY c.cluster_key, c.date NULLS LAST, duplicate, c.event_id""", params).df()
    if keys is not None:                   # a 64-bit hash may collide; the key decides
        frame = frame[frame["cluster_key"].isin(keys)].reset_index(drop=True)
    if frame.empty:
        return
    cluster_ids = np.array(assign_clusters(frame, window), dtype=object)
    representative = cluster_ids == frame["event_id"].to_numpy(dtype=object)
    counted = representative & ~frame["duplicate"].to_numpy(dtype=bool)
    changed = (cluster_ids != frame["cluster_id"].to_numpy(dtype=object)) | \
              (counted != frame["counted"].to_numpy(dtype=bool))
    updates = pd.DataFrame({"event_id": frame["event_id"][changed], "cluster_id": cluster_ids[changed],
                            "counted": counted[changed]})
    if len(updates):
        # One joined UPDATE; the IN list lets DuckDB skip the rest of a big table
        # (row-by-row updates cost ~0.5 ms each, a bare join scans every row).
        con.register("cluster_updates", updates)
        con.execute("UPDATE event_clusters SET cluster_id = u.cluster_id, counted = u.counted "
                    "FROM cluster_updates u WHERE event_clusters.event_id = u.event_id "
                    "AND event_clusters.event_id IN (SELECT unnest(?))", [updates["event_id"].tolist()])
        con.unregister("cluster_updates")
    summary.events += len(frame)
    summary.clusters += len(set(cluster_ids))


def assign_clusters(frame: pd.DataFrame, window: int = WINDOW_DAYS) -> list[str]:
    """Cluster id (the representative's event id) for each row of ``frame``, which is
    sorted by cluster_key, date (nulls last), duplicate, event_id."""
    keys = frame["cluster_key"].to_numpy(dtype=object)
    days = frame["day"].to_numpy(dtype=float, na_value=np.nan)
    docs = frame["doc_id"].to_numpy(dtype=object)
    places = list(zip(_nullable(frame["loc_country"]), _nullable(frame["loc_name"])))
    ids = frame["event_id"].to_numpy(dtype=object)
    result = ids.copy()
    bounds = np.concatenate(([0], np.flatnonzero(keys[1:] != keys[:-1]) + 1, [len(frame)]))
    rank = None
    for start, end in zip(bounds[:-1], bounds[1:]):
        if end - start < 2:
            continue
        for members in _cluster_rows(range(start, end), days, docs, places, window):
            if len(members) > 1:
                rank = rank or _representative_rank(frame)
                rep = ids[min(members, key=rank.__getitem__)]
                result[members] = rep
    return list(result)


def _cluster_rows(rows: Any, days: Any, docs: Any, places: Any, window: int) -> list[list[int]]:
    """Greedy clusters of one key's rows (in date order): a row joins the oldest open
    cluster whose first report is at most ``window`` days earlier, that has no event of
    the same document, and whose place does not contradict the row's."""
    done: list[list[int]] = []
    open_: deque[list[Any]] = deque()          # [anchor day, documents, (country, name), members]
    for row in rows:
        day = days[row]
        if day != day:                   # no date at all: stays alone
            continue
        while open_ and day - open_[0][0] > window:
            done.append(open_.popleft()[3])
        for cluster in open_:
            if docs[row] not in cluster[1] and _compatible(cluster[2], places[row]):
                cluster[1].add(docs[row])
                cluster[2] = _merge_places(cluster[2], places[row])
                cluster[3].append(row)
                break
        else:
            open_.append([day, {docs[row]}, places[row], [row]])
    done.extend(c[3] for c in open_)
    return done


def _compatible(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _merge_places(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(x if x is not None else y for x, y in zip(a, b))


def _representative_rank(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Sort order for representatives: a report from a non-duplicate document, then the
    earliest, then the most confident, then the smallest id (for stability)."""
    day = frame["day"].fillna(1e9).to_numpy(dtype=float)
    conf = frame["confidence"].fillna(0.0).to_numpy(dtype=float)
    dup = frame["duplicate"].to_numpy(dtype=bool)
    ids = frame["event_id"].to_numpy(dtype=object)
    return list(zip(dup, day, -conf, ids))


def _nullable(series: pd.Series) -> np.ndarray:
    return np.asarray(series.replace("", None).to_numpy(dtype=object, na_value=None))


def _member(column: str, values: list[Any], cast: str = "") -> tuple[str, list[Any]]:
    """SQL "column IN …" and its parameters. A short list is bound value by value — an
    explicit list lets DuckDB answer through an ART index or push the filter into the
    scan, which ``IN (SELECT unnest(?))`` does not — and a long one as a single array.
    ``cast`` names the column's type, without which integers bind as HUGEINT."""
    if not values:
        return "FALSE", []
    if len(values) > _EXPLICIT_LIST:
        return f"{column} IN (SELECT unnest(?{'::' + cast + '[]' if cast else ''}))", [list(values)]
    one = f"?::{cast}" if cast else "?"
    return f"{column} IN ({', '.join([one] * len(values))})", list(values)


def _ids(con: Connection, sql: str, params: list[Any] | None = None) -> list[Any]:
    return [r[0] for r in con.execute(sql, params or []).fetchall()]
