"""`diurna serve`: the dashboard and JSON API over a store (needs the `web` extra)."""
from __future__ import annotations

import argparse
import sys

from diurna.cli.options import DB_HELP, EXIT_OK, add_coder_options, coder_spec
from diurna.cli.watch import add_feed_options
from diurna.errors import MissingExtra


# A server on a loopback address answers only to these names in the Host header.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def register(sub) -> None:
    p = sub.add_parser("serve", help="browse a store in a web dashboard, or query it over HTTP")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--enable-code", action="store_true",
                   help="allow POST /api/code to code posted text (loads the model on first use)")
    add_coder_options(p)      # for --enable-code
    p.add_argument("--watch", nargs="+", default=[], metavar="FEED",
                   help="also poll these RSS/Atom feeds into the store while serving it (a live monitor)")
    add_feed_options(p)
    p.add_argument("--code-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="time budget of one POST /api/code; a longer document is stopped (default 30)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn
        from diurna.web.app import Settings, create_app
    except ImportError:
        raise MissingExtra("diurna serve", "web") from None
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.store.database import Store, default_db_path

    db = args.db or default_db_path()
    watch = None
    if args.watch:
        # imported here, not at the top: `diurna --help` and the other commands start without it
        from diurna.run.watch import WatchPlan

        Store(db).close()          # created and migrated before the server opens it
        watch = WatchPlan(tuple(args.watch), coder_spec(args), args.interval, args.timeout, args.host_delay)
    settings = Settings(db=db, enable_code=args.enable_code, watch=watch,
                        coder=coder_spec(args) if args.enable_code else None, code_seconds=args.code_timeout,
                        allowed_hosts=LOOPBACK_NAMES if args.host in LOOPBACK_NAMES else None)
    app = create_app(settings)
    shown = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"diurna: serving {settings.db} at http://{shown}:{args.port}/ "
          f"(API schema at /api/openapi.json; Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
