"""`diurna export`: events as CSV, Parquet, PLOVER JSON Lines, GDELT 2.0 events or mentions."""
from __future__ import annotations

import argparse
import sys

from diurna.cli.options import EXIT_OK, add_filter_options, add_no_dedup, filters_from, open_read_only, with_uncertain

FORMATS = ("csv", "parquet", "plover", "gdelt", "gdelt-mentions")


def register(sub) -> None:
    p = sub.add_parser("export", help="write events as CSV, Parquet, PLOVER JSON Lines or GDELT 2.0 TSV")
    add_filter_options(p)
    p.add_argument("--format", choices=FORMATS, required=True,
                   help="csv, parquet, plover (PLOVER JSON Lines), gdelt (GDELT 2.0 event TSV) or "
                        "gdelt-mentions (GDELT 2.0 mentions TSV: one line per report of each event)")
    p.add_argument("--out", help="output file (default: standard output); for parquet, a directory "
                                 "(existing, or a new path without an extension) gets year=/month= partitions; "
                                 "a datapackage.json describing the export is written beside it")
    p.add_argument("--header", action="store_true",
                   help="gdelt, gdelt-mentions: first line names the columns")
    p.add_argument("--license", metavar="ID",
                   help="the data's licence for datapackage.json, as an SPDX or Open Definition id "
                        "(e.g. CC-BY-4.0; default: not specified)")
    p.add_argument("--exclude-uncertain", action="store_true",
                   help="leave out future, hypothetical and negated events")
    add_no_dedup(p, help="every stored per-sentence record instead of one per deduplicated event")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.export import export

    filters = with_uncertain(filters_from(args), False if args.exclude_uncertain else None)
    with open_read_only(args) as store:
        n = export(store.con, filters, args.format, args.out, header=args.header, license=args.license)
    if args.out:
        what = "mentions" if args.format == "gdelt-mentions" else "events"
        print(f"{n} {what} written to {args.out}", file=sys.stderr)
    return EXIT_OK
