"""Does the learned trigger layer help on text it was not trained on? 5-fold
cross-validation on corpus/train.jsonl: the model is fitted on four folds (by a hash of
the document id) and the whole coder is scored on the fifth, at several adding
thresholds and without the layer. Validation data is never used.

    python benchmarks/learned_cv.py [--l2 1e-4,1e-3] [--add 0.3,0.5,0.7]
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from diurna.evaluate import score as evaluate
from diurna.evaluate.run import batch_coder
from diurna.events import candidates, training
from diurna.events.coder import Coder

REPO = Path(__file__).resolve().parents[1]
FOLDS = 5
WITHOUT = 2.0          # an adding threshold no probability reaches: the rules alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", default="1e-4", help="comma-separated L2 penalties")
    parser.add_argument("--add", default="0.3,0.5,0.7", help="comma-separated adding thresholds")
    args = parser.parse_args()
    docs = list(training.read_documents([REPO / "corpus" / "train.jsonl"]))
    coder = Coder()
    examples = {d["doc_id"]: training.examples([d], coder.parser, coder.lexicon) for d in docs}
    thresholds = [float(a) for a in args.add.split(",")] + [WITHOUT]
    for l2 in (float(x) for x in args.l2.split(",")):
        training.L2 = l2
        coded: dict[float, list[tuple[dict, dict]]] = {a: [] for a in thresholds}
        for fold in range(FOLDS):
            coder.trigger_model = training.fit(_merged(examples[d["doc_id"]] for d in docs
                                                       if _fold(d) != fold), {})
            held_out = [d for d in docs if _fold(d) == fold]
            for threshold in thresholds:
                candidates.ADD_AT = threshold
                coded[threshold] += zip(held_out, batch_coder(coder)(evaluate.gold_inputs(held_out)))
        for threshold, pairs in coded.items():
            report = evaluate.score([g for g, _ in pairs], [p for _, p in pairs]).to_dict()
            label = "rules alone" if threshold == WITHOUT else f"add at {threshold}"
            event = report["event"]
            print(f"l2 {l2:g}, {label:<12} event P/R/F1 {event['precision']:.3f}/{event['recall']:.3f}/"
                  f"{event['f1']:.3f}   dyad F1 {report['dyad']['f1']:.3f}")


def _fold(doc: dict) -> int:
    return int(hashlib.sha1(doc["doc_id"].encode()).hexdigest(), 16) % FOLDS


def _merged(parts) -> training.Examples:
    merged = training.Examples([], [], [])
    for part in parts:
        merged.labels += part.labels
        merged.rows += part.rows
        merged.vectors += part.vectors
    return merged


if __name__ == "__main__":
    main()
