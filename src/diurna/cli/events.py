"""`diurna events`: print stored events, newest first."""
from __future__ import annotations

import argparse
import sys

from diurna.cli.options import EXIT_OK, add_filter_options, filters_from, open_read_only, positive_int


def register(sub) -> None:
    p = sub.add_parser("events", help="print stored events, newest first")
    add_filter_options(p)
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table",
                   help="a table with evidence (default), CSV, or one JSON object per event")
    p.add_argument("--limit", type=positive_int, default=None, help="print at most N events")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.render import print_events
    from diurna.store.query import events

    filters = filters_from(args)
    with open_read_only(args) as store:
        frame = events(store.con, filters, limit=args.limit)
    print_events(frame, args.format, sys.stdout)
    return EXIT_OK
