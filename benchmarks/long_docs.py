"""Cost of long documents: time against length, and memory of the longest.

    python benchmarks/long_docs.py [--sizes 2000,8000] [--runs 3]

Each document is made of short report sentences (seeded), coded in a fresh process
with the real Coder; the time is the coding alone, after the model is loaded. Prints the
median seconds per size, the ratio of the largest to the smallest (linear would be the
ratio of their lengths) and the peak memory of a process that codes one document of
just under 1,000,000 characters. With --hostile it also runs `diurna code` on inputs made
to hurt: 45,000 short sentences in one document, a gzip file that inflates to 2 GB, and
a JSON Lines file with a 300,000,000-character line between two ordinary ones; for each,
the time, the peak memory and what was coded or skipped.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

COUNTRIES = ["Kenya", "Ethiopia", "France", "Germany", "Brazil", "Japan", "India", "Egypt", "Chile", "Peru"]
VERBS = ["met", "criticised", "accused", "praised", "attacked", "threatened", "visited", "urged"]


def document(sentences: int, seed: int = 1) -> str:
    import random

    rng = random.Random(seed)
    return " ".join(f"{rng.choice(COUNTRIES)} {rng.choice(VERBS)} {rng.choice(COUNTRIES)} on Monday, "
                    "the minister said." for _ in range(sentences))


def measure(sentences: int) -> dict:
    import resource
    import time

    from diurna import Coder

    coder = Coder()
    text = document(sentences)
    started = time.perf_counter()
    doc = coder.code(text, published="2024-01-01")
    seconds = time.perf_counter() - started
    return {"sentences": sentences, "chars": len(text), "seconds": seconds, "events": len(doc.events),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(sentences: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", str(sentences)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def hostile(folder: str) -> None:
    import gzip
    import os
    import time
    from pathlib import Path

    base = Path(folder)
    short = "Kenya's police arrested protesters in Nairobi on Monday."
    (base / "many.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "before", "text": short, "published": "2024-01-01"},
        {"id": "many", "text": " ".join(["We met at the talks."] * 45_000 + [short]), "published": "2024-01-01"},
        {"id": "after", "text": short, "published": "2024-01-01"}]))
    with gzip.open(base / "bomb.txt.gz", "wb", compresslevel=9) as handle:
        block = b"a" * (1 << 24)
        for _ in range(128):                      # 2 GiB inflated
            handle.write(block)
    with (base / "giant.jsonl").open("w") as handle:
        handle.write(json.dumps({"id": "before", "text": short, "published": "2024-01-01"}) + "\n")
        handle.write('{"id": "giant", "text": "')
        for _ in range(300):
            handle.write("a" * 1_000_000)
        handle.write('"}\n')
        handle.write(json.dumps({"id": "after", "text": short, "published": "2024-01-01"}) + "\n")
    for name in ("many.jsonl", "bomb.txt.gz", "giant.jsonl"):
        db = base / f"{name}.duckdb"
        started = time.perf_counter()
        code = (f"import resource; from diurna.cli import main; main(['code', {str(base / name)!r}, '--db', "
                f"{str(db)!r}]); print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        peak = int(result.stdout.split("PEAK")[-1]) / 1024
        summary = " | ".join(line.strip() for line in result.stderr.splitlines() if "documents read" in line
                             or line.strip().startswith("skipped"))
        print(f"{name} ({os.path.getsize(base / name):,} bytes): {time.perf_counter() - started:.1f} s, "
              f"peak {peak:.0f} MB; {summary}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hostile", action="store_true", help="also code the hostile inputs (needs 1 GB of disk)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if args.hostile:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            hostile(folder)
    sizes = [int(s) for s in args.sizes.split(",")]
    medians = {}
    for size in sizes:
        results = [run(size) for _ in range(args.runs)]
        medians[size] = statistics.median(r["seconds"] for r in results)
        each = ", ".join(f"{r['seconds']:.2f}" for r in results)
        print(f"{size:>6} sentences, {results[0]['chars']:>9,} characters: {medians[size]:6.2f} s "
              f"(runs: {each})", flush=True)
    small, large = min(sizes), max(sizes)
    print(f"{large} vs {small} sentences: {medians[large] / medians[small]:.2f}x the time for "
          f"{large / small:.0f}x the text")
    biggest = run(19_400)          # just under 1,000,000 characters
    print(f"one document of {biggest['chars']:,} characters: {biggest['seconds']:.1f} s, "
          f"peak {biggest['peak_mb']:.0f} MB (model included)")


if __name__ == "__main__":
    main()
