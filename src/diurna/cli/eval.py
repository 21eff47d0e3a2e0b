"""`diurna eval`: score the coder against gold data."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from diurna.cli.options import EXIT_OK, add_coder_options, coder_spec, positive_int


def register(sub) -> None:
    p = sub.add_parser("eval", help="score the coder against gold data")
    p.add_argument("gold", help="gold file: dev.jsonl format, PETRARCH validation XML, "
                   "PLOVER gold records, or the five-class TSV")
    add_coder_options(p)
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--errors", action="store_true", help="list misses and false alarms")
    p.add_argument("--limit", type=positive_int, default=None, help="only the first N items")
    p.add_argument("--sentence-mode", action="store_true",
                   help="five-class only: classify each sentence by its main trigger even where no "
                        "event could be coded (default: the class of the events Diurna outputs)")
    p.add_argument("--predictions", metavar="FILE",
                   help="score these codings instead of running the coder: document-level JSON Lines "
                        "as `diurna code --jsonl` writes, or a second annotator's file in the gold format")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.evaluate.run import run_eval, score_file
    from diurna.nlp.pipeline import freeze_loaded

    if args.predictions:
        text, data = score_file(Path(args.gold), Path(args.predictions), errors=args.errors)
        print(json.dumps(data, indent=2) if args.json else text)
        return EXIT_OK
    coder = coder_spec(args).build()
    freeze_loaded()
    text, data = run_eval(Path(args.gold), coder, errors=args.errors, limit=args.limit,
                          sentence_mode=args.sentence_mode)
    print(json.dumps(data, indent=2) if args.json else text)
    return EXIT_OK
