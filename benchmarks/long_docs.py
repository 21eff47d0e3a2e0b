"""Cost of long documents: time against length, and memory of the longest.

    python benchmarks/long_docs.py [--sizes 2000,8000] [--runs 3]

Each document is made of short report sentences (seeded), coded in a fresh process
with the real Coder; the time is the coding alone, after the model is loaded. Prints the
median seconds per size, the ratio of the largest to the smallest (linear would be the
ratio of their lengths) and the peak memory of a process that codes one document of
just under 1,000,000 characters.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
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
