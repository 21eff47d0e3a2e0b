"""`diurna timeline`: events over time for an actor, or a pair of actors."""
from __future__ import annotations

import argparse

from diurna.cli.options import (EXIT_OK, TABLE_FORMATS, add_filter_options, add_no_dedup, filters_from,
                                open_read_only, print_frame)


def register(sub) -> None:
    p = sub.add_parser("timeline", help="events over time for an actor, or a pair of actors")
    p.add_argument("codes", nargs="+", metavar="ACTOR", help="one actor code, or two for a pair")
    add_filter_options(p, counts=True)
    add_no_dedup(p)
    p.add_argument("--by", choices=("day", "week", "month", "year"), default="month",
                   help="period to count by (default month)")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table", help="table (default), csv or json")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.counts import timeline

    filters = filters_from(args)
    with open_read_only(args) as store:
        frame = timeline(store.con, filters, args.codes, by=args.by)
    print_frame(frame, args.format)
    return EXIT_OK
