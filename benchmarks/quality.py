"""Coding quality on every evaluation set, in one table.

    python benchmarks/quality.py [--eval-dir ../shared/eval] [--json]

Runs the real coder on dev.jsonl (actor, event, dyad, type F1 and status accuracy, as
../shared/eval/README.md defines them), the open corpus's train and validation splits
(corpus/; validation is scored in aggregate only, never read for errors) with the gap
between them, the PETRARCH-2 validation sentences, the PLOVER gold records and the
ConfliBERT five-class sentences (classes from the events Diurna outputs).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from diurna import Coder
from diurna.evaluate.run import run_eval

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--entities", choices=("rules", "model"), default="rules",
                        help="entities from Diurna's rules (default) or the statistical NER")
    args = parser.parse_args()
    coder = Coder(entities=args.entities)
    rows = []
    for name, path in (("dev.jsonl", args.eval_dir / "dev.jsonl"),
                       ("corpus train", REPO / "corpus" / "train.jsonl"),
                       ("corpus validation", REPO / "corpus" / "validation.jsonl"),
                       ("PETRARCH-2 validation", args.eval_dir / "peers" / "PETR2_GSR_validation.xml"),
                       ("PLOVER gold records", args.eval_dir / "peers" / "PLOVER_GSR_CAMEO.txt"),
                       ("ConfliBERT five-class", args.eval_dir / "peers" / "conflibert_cameo_class_train.tsv")):
        started = time.perf_counter()
        _, data = run_eval(path, coder)
        rows.extend(_rows(name, data, time.perf_counter() - started))
    rows.extend(_gaps(rows))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'data set':<24} {'measure':<34} {'value':>7}   seconds")
    for name, measure, value, seconds in rows:
        print(f"{name:<24} {measure:<34} {value:>7.3f}   {seconds:6.1f}")


def _gaps(rows):
    """Train minus validation for the corpus's F1 figures: how much of the train figure
    is fitted to train."""
    values = {(name, measure): value for name, measure, value, _ in rows}
    for measure in ("actor f1", "event f1", "dyad f1"):
        train, validation = values.get(("corpus train", measure)), values.get(("corpus validation", measure))
        if train is not None and validation is not None:
            yield "train - validation", measure, round(train - validation, 3), 0.0


def _rows(name: str, data: dict, seconds: float):
    found = list(_measures(data))
    for measure, value in found:
        yield name, measure, value, seconds


def _measures(data: dict, prefix: str = ""):
    """Every F1, accuracy and precision figure of a report, flattened."""
    for key, value in data.items():
        label = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _measures(value, label + " ")
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and \
                any(word in key for word in ("f1", "accuracy", "precision", "recall")):
            yield label, float(value)


if __name__ == "__main__":
    main()
