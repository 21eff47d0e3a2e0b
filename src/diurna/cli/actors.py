"""`diurna actors`: the most active actors, or `diurna actors lookup NAME`."""
from __future__ import annotations

import argparse
from datetime import date

from diurna.cli.options import (EXIT_OK, TABLE_FORMATS, add_filter_options, filters_from, iso_date,
                                open_read_only, positive_int, print_frame)
from diurna.errors import DiurnaError


def register(sub) -> None:
    p = sub.add_parser("actors", help="most active actors, or `actors lookup NAME`")
    p.add_argument("words", nargs="*", help="lookup NAME… to see what a name resolves to")
    p.add_argument("--date", type=iso_date, help="resolve as of this date (default today)")
    p.add_argument("--actors", action="append", default=[], metavar="FILE", dest="actor_files",
                   help="extra actor file for lookup (YAML or PETRARCH/Phoenix .txt); repeatable")
    add_filter_options(p, counts=True)
    p.add_argument("--top", type=positive_int, default=15, help="how many actors (default 15)")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table", help="table (default), csv or json")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.words and args.words[0] == "lookup":
        return _lookup(args)
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.analysis.counts import top_actors

    filters = filters_from(args)
    with open_read_only(args) as store:
        frame = top_actors(store.con, filters, top=args.top)
    print_frame(frame, args.format)
    return EXIT_OK


def _lookup(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.actors.lookup import explain

    name = " ".join(args.words[1:])
    if not name:
        raise DiurnaError("actors lookup needs a NAME, e.g. diurna actors lookup 'Cho Tae-yul'")
    print(explain(name, date.fromisoformat(args.date) if args.date else date.today(), args.actor_files))
    return EXIT_OK
