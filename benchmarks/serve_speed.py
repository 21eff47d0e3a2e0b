"""How fast `diurna serve` starts and answers, on the coded sample articles.

    python benchmarks/serve_speed.py [--db PATH] [--starts 5] [--requests 50]

Without --db it codes examples/articles into a temporary store first (as
`diurna code examples/articles --db …` does). Then it measures:

* start time: from launching `diurna serve` to its first 200 on /api/health, as the
  median and worst of --starts launches (a new process each time, like a person would);
* latency: /api/events with filters (actor, quad classes, date range, no uncertain
  events, one page), and the dashboard's other calls, each as the median and 95th
  percentile of --requests requests over one kept-alive connection.

Every request goes to 127.0.0.1 and the loops are bounded by --starts and --requests.
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from serving import free_port, start_server, wait_until_up  # noqa: E402  (the tests' server helpers)

REPO = Path(__file__).resolve().parents[1]
FILTERED_EVENTS = ("/api/events?actor=USA,RUS&quad=3,4&since=2024-01-01&until=2025-12-31"
                   "&include_uncertain=false&limit=50")
OTHER_CALLS = ["/api/events?limit=50", "/api/timeline?by=month", "/api/network?top=16", "/api/actors?top=50"]
START_LIMIT = 3.0        # seconds, from the issue
LATENCY_LIMIT = 100.0    # milliseconds, for the filtered /api/events


def sample_store(folder: Path) -> Path:
    from diurna.store.dedup import index_is_current, refresh_dedup
    from diurna.store.database import Store

    db = folder / "sample.duckdb"
    subprocess.run([sys.executable, "-m", "diurna", "code", str(REPO / "examples" / "articles"),
                    "--db", str(db), "--quiet"], check=True)
    with Store(db) as store:                  # the analysis index, if storing did not build it
        if not index_is_current(store.con):
            refresh_dedup(store.con)
    return db


def start_times(db: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        port = free_port()
        process = start_server(str(db), port)
        try:
            times.append(wait_until_up(f"http://127.0.0.1:{port}", process))
        finally:
            process.terminate()
            process.wait(timeout=10)
    return times


def latencies(port: int, path: str, requests: int) -> list[float]:
    """Milliseconds per request, after one warm-up request."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out = []
    for i in range(requests + 1):
        started = time.perf_counter()
        con.request("GET", path)
        response = con.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        if i:
            out.append((time.perf_counter() - started) * 1000)
    con.close()
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: code the sample articles)")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or sample_store(Path(tmp))
        starts = start_times(db, args.starts)
        print(f"start to first /api/health 200: median {statistics.median(starts):.2f} s, "
              f"worst {max(starts):.2f} s over {len(starts)} starts (limit {START_LIMIT:.0f} s)")
        port = free_port()
        process = start_server(str(db), port)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", process)
            filtered = latencies(port, FILTERED_EVENTS, args.requests)
            print(f"{FILTERED_EVENTS}\n  median {statistics.median(filtered):.1f} ms, "
                  f"p95 {p95(filtered):.1f} ms over {len(filtered)} requests (limit {LATENCY_LIMIT:.0f} ms)")
            for path in OTHER_CALLS:
                times = latencies(port, path, args.requests)
                print(f"{path}\n  median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms")
        finally:
            process.terminate()
            process.wait(timeout=10)
    ok = max(starts) < START_LIMIT and statistics.median(filtered) < LATENCY_LIMIT
    print("within the limits" if ok else "OVER A LIMIT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
