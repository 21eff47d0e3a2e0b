"""`diurna watch`: poll RSS/Atom feeds, code each new item's page, and store it."""
from __future__ import annotations

import argparse
import sys

from diurna.cli.options import DB_HELP, EXIT_OK, EXIT_SKIPPED, WAIT_HELP, add_coder_options, coder_spec


def register(sub) -> None:
    p = sub.add_parser("watch", help="poll RSS/Atom feeds and code every new item")
    p.add_argument("feeds", nargs="+", metavar="FEED_URL_OR_FILE", help="feed URLs or local feed files")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help=WAIT_HELP)
    add_feed_options(p)
    p.add_argument("--once", action="store_true", help="poll once and exit (for cron and tests)")
    p.add_argument("--max-polls", type=int, default=None, metavar="N", help="exit after N polls")
    add_coder_options(p)
    p.add_argument("--quiet", action="store_true", help="no per-poll summary")
    p.set_defaults(run=run_watch)


def add_feed_options(p: argparse.ArgumentParser) -> None:
    """How feeds are polled: by `diurna watch`, and by `diurna serve --watch`."""
    p.add_argument("--interval", type=_positive, default=300.0, metavar="SECONDS",
                   help="seconds between polls (default 300)")
    p.add_argument("--timeout", type=_positive, default=20.0, metavar="SECONDS",
                   help="time limit of one request, however slowly the server answers (default 20)")
    p.add_argument("--host-delay", type=_non_negative, default=1.0, metavar="SECONDS",
                   help="least time between two requests to one host (default 1)")


def run_watch(args) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.ingest.feeds import Fetcher
    from diurna.nlp.pipeline import freeze_loaded
    from diurna.run.watch import FeedWatcher, watch_loop
    from diurna.store.database import default_db_path

    db = args.db or default_db_path()
    coder = coder_spec(args).build()
    freeze_loaded()
    fetcher = Fetcher(timeout=args.timeout, host_delay=args.host_delay)
    watcher = FeedWatcher(coder, fetcher, on_skip=lambda s: print(f"skipped {s.where}: {s.reason}", file=sys.stderr))
    try:
        report = watch_loop(db, args.feeds, watcher, args.interval, 1 if args.once else args.max_polls,
                            on_report=None if args.quiet else lambda r: print(r.format(), file=sys.stderr),
                            wait=args.wait)
    finally:
        fetcher.close()
    return EXIT_SKIPPED if report is not None and report.problems else EXIT_OK


def _positive(value: str) -> float:
    number = _non_negative(value)
    if number == 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number
