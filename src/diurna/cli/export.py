"""`diurna export`: events as CSV, Parquet, PLOVER JSON Lines or GDELT 2.0 TSV."""
from __future__ import annotations

import argparse
import sys

from diurna.cli.options import EXIT_OK, add_filter_options, add_no_dedup, filters_from, open_read_only, with_uncertain


def register(sub) -> None:
    p = sub.add_parser("export", help="write events as CSV, Parquet, PLOVER JSON Lines or GDELT 2.0 TSV")
    add_filter_options(p)
    p.add_argument("--format", choices=("csv", "parquet", "plover", "gdelt"), required=True,
                   help="csv, parquet, plover (PLOVER JSON Lines) or gdelt (GDELT 2.0 event TSV)")
    p.add_argument("--out", help="output file (default: standard output)")
    p.add_argument("--header", action="store_true", help="gdelt: first line names the 61 columns")
    p.add_argument("--exclude-uncertain", action="store_true",
                   help="leave out future, hypothetical and negated events")
    add_no_dedup(p, help="every stored per-sentence record instead of one per deduplicated event")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.export import export

    filters = with_uncertain(filters_from(args), False if args.exclude_uncertain else None)
    with open_read_only(args) as store:
        n = export(store.con, filters, args.format, args.out, header=args.header)
    if args.out:
        print(f"{n} events written to {args.out}", file=sys.stderr)
    return EXIT_OK
