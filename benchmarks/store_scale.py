"""How the event store scales: 5 million synthetic events, then timed queries.

    python benchmarks/store_scale.py [--events 5000000] [--db /tmp/diurna-scale.duckdb]

Generates documents, events and event actors straight into a store created by the
real migrations: ~200 actors with Zipf-like activity, ten years (2015–2024) with a
slowly growing volume, a realistic mix of PLOVER types and auxiliary modes, and some
events with no date of their own (analysis falls back to the publication date). Then
it clusters the events (the deduplication step a coding run does batch by batch) and
times, as the median of five runs:

* a filtered event query: RUS ASSAULT events in a three-month range, newest 100;
* a monthly dyad aggregation over one year, for all dyads and for RUS→UKR.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from diurna.analysis import counts as analysis
from diurna.store import dedup
from diurna.events.cameo import PLOVER_QUAD, PLOVER_SCORES
from diurna.store.query import Filters, events
from diurna.store.database import Store

START = date(2015, 1, 1)
DAYS = 3653                       # ten years
EVENTS_PER_DOC = 5
# Share of each PLOVER type, roughly as in wire-based event data: talk dominates.
TYPE_MIX = {
    "CONSULT": 24, "AGREE": 7, "SUPPORT": 8, "CONCEDE": 1, "COOPERATE": 5, "AID": 4,
    "RETREAT": 2, "REQUEST": 8, "ACCUSE": 10, "REJECT": 5, "THREATEN": 4, "PROTEST": 6,
    "SANCTION": 3, "MOBILIZE": 2, "COERCE": 4, "ASSAULT": 7,
}
AUX_MIX = {None: 85, "future": 6, "hypothetical": 3, "negation": 3, "historical": 3}
SECTORS = [None, None, None, "GOV", "GOV", "MIL", "LEG", "JUD", "OPP", "BUS", "MED", "SOC"]
LEADING_ACTORS = ["USA", "RUS", "CHN", "UKR", "ISR", "IRN", "GBR", "FRA", "DEU", "TUR",
                  "IND", "PAK", "PSE", "SYR", "IRQ", "PRK", "KOR", "JPN", "SAU", "AFG"]


def actor_codes(n: int = 200) -> list[str]:
    """The leading newsmakers first, then other ISO codes, to n in all."""
    import pycountry
    rest = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in LEADING_ACTORS)
    return (LEADING_ACTORS + rest)[:n]


def zipf_weights(n: int, s: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def generate(store: Store, n_events: int, seed: int = 7) -> None:
    """Write n_events synthetic events (and their documents and actors) into the store."""
    rng = np.random.default_rng(seed)
    codes = actor_codes()
    n_docs = -(-n_events // EVENTS_PER_DOC)
    published = _growing_days(rng, n_docs)
    doc_of = np.arange(n_events) // EVENTS_PER_DOC
    frame = _event_frame(rng, n_events, published[doc_of], codes)
    frame["doc"] = doc_of
    con = store.con
    con.execute("BEGIN")
    con.execute("""
        INSERT INTO documents
        SELECT printf('doc%08d', i), printf('%032x', i), ?::DATE + d::INTEGER,
               printf('https://news.example/%d', i), NULL, 'synthetic', 'synthetic text',
               'synthetic', now()::TIMESTAMP, ?, []::VARCHAR[]
        FROM (SELECT unnest(?) AS d, generate_subscripts(?, 1) - 1 AS i)""",
                [START, EVENTS_PER_DOC, published.tolist(), published.tolist()])
    con.register("gen_events", frame)
    con.execute("""
        INSERT INTO events
        SELECT printf('ev%09d', i), printf('doc%08d', doc), event, NULL, []::VARCHAR[], NULL,
               aux, CASE WHEN dated THEN ?::DATE + day::INTEGER END,
               CASE WHEN dated THEN 'day' END,
               'trigger', 0, 7, 'A synthetic sentence.', 0, 21,
               NULL, NULL, NULL, NULL, 0.7, quad, score
        FROM gen_events""", [START])
    con.execute("""
        INSERT INTO event_actors
        SELECT printf('ev%09d', i), 'actor', 0, actor, actor_sector, actor FROM gen_events
        UNION ALL
        SELECT printf('ev%09d', i), 'recipient', 0, recipient, NULL, recipient
        FROM gen_events WHERE recipient IS NOT NULL""")
    con.execute("COMMIT")
    con.unregister("gen_events")


def _growing_days(rng, n: int) -> np.ndarray:
    """Publication day offsets, with volume growing ~2× over the decade."""
    u = rng.random(n)
    days = (np.sqrt(1 + 3 * u) - 1) * DAYS       # inverse CDF of a linear ramp 1→2
    return np.sort(days.astype(np.int32))


def _event_frame(rng, n: int, day: np.ndarray, codes: list[str]) -> pd.DataFrame:
    types = list(TYPE_MIX)
    type_p = np.array(list(TYPE_MIX.values()), float)
    aux_p = np.array(list(AUX_MIX.values()), float)
    event = np.array(types)[rng.choice(len(types), n, p=type_p / type_p.sum())]
    weights = zipf_weights(len(codes))
    actor = rng.choice(len(codes), n, p=weights)
    recipient = rng.choice(len(codes), n, p=weights)
    recipient = np.where(recipient == actor, (recipient + 1) % len(codes), recipient)
    has_recipient = rng.random(n) < 0.85
    code_arr = np.array(codes, dtype=object)
    return pd.DataFrame({
        "i": np.arange(n),
        "event": event,
        "quad": pd.Series(event).map(PLOVER_QUAD).to_numpy(),
        "score": pd.Series(event).map(PLOVER_SCORES).to_numpy(float),
        "aux": np.array(list(AUX_MIX), dtype=object)[rng.choice(len(AUX_MIX), n, p=aux_p / aux_p.sum())],
        "day": np.maximum(day - (rng.random(n) < 0.3), 0),   # some events happened the day before
        "dated": rng.random(n) < 0.75,
        "actor": code_arr[actor],
        "actor_sector": np.array(SECTORS, dtype=object)[rng.integers(0, len(SECTORS), n)],
        "recipient": np.where(has_recipient, code_arr[recipient], None),
    })


def _coded_batch(n_docs: int) -> list:
    """A batch like one `diurna code` writes, on the busiest dyads (the costliest to re-cluster)."""
    from diurna.records import CodedDocument, Entity, Event, Span
    run = time.time_ns()              # new ids each time, so --keep measures a real write
    docs = []
    for d in range(n_docs):
        events = tuple(
            Event(id=f"bench-{run}-{d}-{k}", event=event, actor=(Entity("RUS", None, "Russia"),),
                  recipient=(Entity("UKR", None, "Ukraine"),), trigger=Span("x", 0, 1),
                  sentence=Span("Russia and Ukraine.", 0, 19), date="2024-12-30",
                  quad_class=PLOVER_QUAD[event], score=PLOVER_SCORES[event])
            for k, event in enumerate(["ASSAULT", "ACCUSE", "CONSULT", "REJECT", "COERCE"]))
        docs.append(CodedDocument(f"bench-{run}-{d}", "2024-12-30", f"Benchmark article {run} {d}.",
                                  events=events))
    return docs


def median_seconds(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--db", default="/tmp/diurna-scale.duckdb")
    parser.add_argument("--keep", action="store_true", help="reuse an existing store of the same size")
    args = parser.parse_args(argv)

    path = Path(args.db)
    reuse = args.keep and path.exists()
    if not reuse:
        for p in (path, Path(f"{path}.wal")):
            p.unlink(missing_ok=True)
    store = Store(path)
    if not reuse:
        t0 = time.perf_counter()
        generate(store, args.events)
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = dedup.refresh_dedup(store.con, near_duplicates=False)
        cluster = time.perf_counter() - t0
        print(f"load: {args.events:,} events in {load:.1f} s; "
              f"event clustering: {cluster:.1f} s ({summary.format()})")
    n = store.con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    print(f"store: {path} ({n:,} events, {path.stat().st_size / 2**20:.0f} MiB)")

    checks = [
        ("filtered events (RUS ASSAULT, 3 months, newest 100)",
         lambda: events(store.con, Filters(actor=("RUS",), event=("ASSAULT",),
                                           since=date(2023, 4, 1), until=date(2023, 6, 30)),
                        limit=100)),
        ("monthly dyads, all dyads, 2023",
         lambda: analysis.dyads(store.con, Filters(since=date(2023, 1, 1), until=date(2023, 12, 31),
                                                   include_uncertain=False), by="month")),
        ("monthly dyads, RUS→UKR, 2023",
         lambda: analysis.dyads(store.con, Filters(since=date(2023, 1, 1), until=date(2023, 12, 31),
                                                   include_uncertain=False),
                                by="month", actor="RUS", recipient="UKR")),
    ]
    for label, fn in checks:
        seconds, frame = median_seconds(fn)
        print(f"{label}: median {seconds * 1000:.0f} ms ({len(frame):,} rows)")
    t0 = time.perf_counter()
    store.write(_coded_batch(64))
    print(f"one coding batch (64 documents, 320 events) written and deduplicated: "
          f"{time.perf_counter() - t0:.2f} s")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
