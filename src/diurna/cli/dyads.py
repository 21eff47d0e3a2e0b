"""`diurna dyads`: events per actor→recipient pair over time, with quad classes."""
from __future__ import annotations

import argparse

from diurna.cli.options import (EXIT_OK, TABLE_FORMATS, add_filter_options, add_no_dedup, filters_from,
                                open_read_only, positive_int, print_frame)


def register(sub) -> None:
    p = sub.add_parser("dyads", help="events per actor→recipient pair over time, with quad classes")
    add_filter_options(p, counts=True)
    add_no_dedup(p)
    p.add_argument("--by", choices=("day", "week", "month", "year", "all"), default="month",
                   help="period to count by (default month; all: one row per dyad)")
    p.add_argument("--top", type=positive_int, default=None, help="only the N most active dyads")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table", help="table (default), csv or json")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.counts import dyads

    filters = filters_from(args)
    with open_read_only(args) as store:
        frame = dyads(store.con, filters, by=args.by, actor=args.actor, recipient=args.recipient, top=args.top)
    print_frame(frame, args.format)
    return EXIT_OK
