"""Speed benchmark: plain spaCy vs Diurna in-process, with --workers 1 and 2, and on a
two-worker local Dask cluster. Prints one table of medians.

    python benchmarks/speed.py [--articles 2000] [--runs 3] [--eval-dir ../shared/eval]

The corpus is built at run time in a temporary folder (never committed) from the
evaluation data: dev.jsonl texts and the sample articles whole, and articles of 3-8
sentences drawn (seeded) from the PETRARCH, PLOVER and five-class sentences. Every
measurement runs in a fresh process, model loading included, so no run warms another.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARD = 500                        # articles per JSON Lines input file
MODES = ("plain", "inprocess", "workers1", "workers2", "dask2")
LABELS = {
    "plain": "plain nlp.pipe (all components)",
    "inprocess": "diurna code (in-process)",
    "inprocess-full": "diurna code, full parse (fast=False)",
    "workers1": "diurna code --workers 1",
    "workers2": "diurna code --workers 2",
    "dask2": "diurna code --scheduler (2-worker LocalCluster)",
    "inprocess-parquet": "diurna code --no-db --out-parquet (in-process)",
    "workers1-parquet": "diurna code --no-db --out-parquet --workers 1",
    "workers2-parquet": "diurna code --no-db --out-parquet --workers 2",
}


# -- corpus -----------------------------------------------------------------------------
def sentence_pool(eval_dir: Path) -> list[str]:
    peers = eval_dir / "peers"
    pool = [line.split("\t")[0].strip() for line in
            (peers / "conflibert_cameo_class_train.tsv").read_text(encoding="utf-8").splitlines()]
    xml = (peers / "PETR2_GSR_validation.xml").read_text(encoding="utf-8")
    pool += [" ".join(m.split()) for m in re.findall(r"<Text>\s*(.*?)\s*</Text>", xml, re.S)]
    records = json.loads((peers / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8"))
    pool += [" ".join(r["text"].split()) for r in records if r.get("text") and r.get("event") != "DOCUMENT"]
    return [s for s in pool if s]


def whole_articles(eval_dir: Path) -> list[dict]:
    out = [{"id": d["doc_id"], "text": d["text"], "published": d.get("published")}
           for d in map(json.loads, (eval_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines())]
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        out.append({"id": path.stem, "text": body, "published": path.name[:10]})
    return out


def build_corpus(eval_dir: Path, folder: Path, n_articles: int, seed: int = 7) -> int:
    """Write the corpus as JSON Lines shards into ``folder``; returns the article count."""
    rng = random.Random(seed)
    pool = sentence_pool(eval_dir)
    articles = whole_articles(eval_dir)
    while len(articles) < n_articles:
        text = " ".join(rng.sample(pool, rng.randint(3, 8)))
        articles.append({"id": f"bench-{len(articles):05d}", "text": text, "published": "2025-01-15"})
    for n in range(0, len(articles), SHARD):
        lines = (json.dumps(a, ensure_ascii=False) + "\n" for a in articles[n:n + SHARD])
        (folder / f"corpus-{n // SHARD:03d}.jsonl").write_text("".join(lines), encoding="utf-8")
    return len(articles)


# -- one measurement (runs in its own process) -----------------------------------------
def measure(mode: str, corpus: Path, db: Path, scheduler: str | None) -> dict:
    start = time.perf_counter()
    result: dict = {}
    if mode == "plain":
        result["sentences"] = _plain(corpus)
    elif mode == "inprocess":
        from diurna.cli import main
        main(["code", str(corpus), "--db", str(db), "--quiet"])
    elif mode == "inprocess-full":
        _in_process_full(corpus, db)
    elif mode == "inprocess-parquet":
        from diurna.cli import main
        main(["code", str(corpus), "--no-db", "--out-parquet", str(db.with_suffix(".parquet")), "--quiet"])
    else:
        result["worker_peak_mb"] = _parallel(mode, corpus, db, scheduler)
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = _own_peak_mb()
    return result


def _plain(corpus: Path) -> int:
    import spacy

    from diurna.settings import DEFAULT_MODEL

    texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(DEFAULT_MODEL)
    return sum(len(list(doc.sents)) for doc in nlp.pipe(texts))


def _in_process_full(corpus: Path, db: Path) -> None:
    from diurna.events.coder import Coder
    from diurna.run.driver import code_run
    from diurna.store.database import Store

    with Store(db) as store:
        code_run([str(corpus)], Coder(fast=False), store)


def _parallel(mode: str, corpus: Path, db: Path, scheduler: str | None) -> dict:
    # as `diurna code` does it: the workers start loading before the driver opens the store
    from diurna.run.backends import make_backend
    from diurna.settings import DEFAULT_MODEL
    from diurna.events.spec import CoderSpec

    spec = CoderSpec(DEFAULT_MODEL)
    workers = None if mode == "dask2" else int(mode.split("-")[0][-1])
    backend = make_backend(spec, workers, scheduler if mode == "dask2" else None)

    from diurna.run.driver import code_inputs
    from diurna.store.database import Store

    if mode.endswith("-parquet"):         # coding without the DuckDB writes
        summary = code_inputs([str(corpus)], backend, out_parquet=db.with_suffix(".parquet"))
        return summary.worker_peak_mb
    with Store(db) as store:
        summary = code_inputs([str(corpus)], backend, store)
    return summary.worker_peak_mb


def _own_peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the driver ---------------------------------------------------------------------------
def run_once(mode: str, corpus: Path, work: Path, run: int) -> dict:
    db = work / f"{mode}-{run}.duckdb"
    command = [sys.executable, __file__, "--measure", mode, "--corpus", str(corpus), "--db", str(db)]
    cluster = None
    if mode == "dask2":
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        command += ["--scheduler", cluster.scheduler_address]
    try:
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    finally:
        if cluster is not None:
            cluster.close()
    db.unlink(missing_ok=True)
    shutil.rmtree(db.with_suffix(".parquet"), ignore_errors=True)
    return json.loads(output.strip().splitlines()[-1])


def benchmark(corpus: Path, work: Path, modes: list[str], runs: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {mode: [] for mode in modes}
    for run in range(runs):          # interleaved, so load from elsewhere hits every mode alike
        for mode in modes:
            results[mode].append(run_once(mode, corpus, work, run))
            print(f"run {run + 1} {mode}: {results[mode][-1]['seconds']:.1f}s", file=sys.stderr)
    return results


def report(results: dict[str, list[dict]], n_articles: int, sentences: int) -> str:
    median = {mode: statistics.median(r["seconds"] for r in rs) for mode, rs in results.items()}
    lines = [f"{n_articles} articles, {sentences} sentences (spaCy's count); medians of "
             f"{len(next(iter(results.values())))} runs, model loading included", "",
             f"{'':48}{'seconds':>9}{'docs/s':>9}{'sents/s':>9}{'peak MB':>9}"]
    for mode, runs in results.items():
        seconds = median[mode]
        peak = max(max([r["peak_mb"]] + list((r.get("worker_peak_mb") or {}).values())) for r in runs)
        lines.append(f"{LABELS[mode]:48}{seconds:9.1f}{n_articles / seconds:9.1f}"
                     f"{sentences / seconds:9.1f}{peak:9.0f}")
    lines.append("")
    comparisons = [("plain", "inprocess", "diurna in-process vs plain nlp.pipe"),
                   ("workers1", "workers2", "--workers 2 vs --workers 1"),
                   ("workers1", "dask2", "2-worker Dask cluster vs --workers 1"),
                   ("plain", "inprocess-parquet", "diurna in-process, Parquet instead of DuckDB, vs plain nlp.pipe"),
                   ("workers1-parquet", "workers2-parquet", "--workers 2 vs --workers 1, Parquet instead of DuckDB")]
    for slow, fast, label in comparisons:
        if slow in median and fast in median:
            # runs are interleaved, so run i of one mode pairs with run i of the other
            per_run = ", ".join(f"{a['seconds'] / b['seconds']:.2f}" for a, b in zip(results[slow], results[fast]))
            lines.append(f"{label}: {median[slow] / median[fast]:.2f}x (ratio of medians; per run: {per_run})")
    for mode in results:
        if mode.startswith(("workers", "dask")):
            peaks = [p for r in results[mode] for p in (r.get("worker_peak_mb") or {}).values()]
            if peaks:
                lines.append(f"peak RSS per worker, {LABELS[mode]}: max {max(peaks):.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--modes", default=",".join(MODES),
                        help=f"comma-separated, from {', '.join(LABELS)}")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.db, args.scheduler)))
        return 0
    if not (args.eval_dir / "dev.jsonl").is_file():
        parser.error(f"no evaluation data at {args.eval_dir}; pass --eval-dir ../shared/eval")
    modes = [m for m in args.modes.split(",") if m]
    with tempfile.TemporaryDirectory(prefix="diurna-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        n_articles = build_corpus(args.eval_dir, corpus, args.articles)
        results = benchmark(corpus, work, modes, args.runs)
        sentences = (results.get("plain") or [{}])[0].get("sentences") \
            or run_once("plain", corpus, work, 0)["sentences"]
    print(report(results, n_articles, sentences))
    return 0


if __name__ == "__main__":
    sys.exit(main())
