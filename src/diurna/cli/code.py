"""`diurna code`: code documents into events and store them."""
from __future__ import annotations

import argparse
import os
import sys

from diurna.cli.options import (DB_HELP, WAIT_HELP, EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, add_coder_options, coder_spec,
                                iso_date, open_out, positive_int)
from diurna.errors import DiurnaError
from diurna.settings import DEFAULT_SECONDS_PER_DOC


def register(sub) -> None:
    p = sub.add_parser("code", help="code documents into events and store them")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders, globs, or - for stdin (.txt .md .html .jsonl .csv, optionally .gz)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--no-db", action="store_true", help="do not write a store")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help=WAIT_HELP)
    p.add_argument("--jsonl", metavar="OUT", help="also write one JSON object per document (- for stdout)")
    add_coder_options(p)
    p.add_argument("--date", type=iso_date, help="publication date for documents that give none")
    p.add_argument("--strict", action="store_true", help="stop with an error at the first skipped document")
    p.add_argument("--max-seconds-per-doc", type=float, default=DEFAULT_SECONDS_PER_DOC, metavar="SECONDS",
                   help="skip a long document whose coding takes longer (default 600; 0: no limit)")
    p.add_argument("--quiet", action="store_true", help="no summary")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, metavar="N", help="code on N processes of this machine")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="code on a Dask cluster, e.g. tcp://host:8786 (pip install 'diurna[dask]')")
    p.add_argument("--out-parquet", metavar="DIR",
                   help="also write a partitioned Parquet dataset (documents, events, actor_mentions)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.cli.progress import Progress
    from diurna.run.backends import make_backend
    from diurna.run.driver import code_inputs
    from diurna.store.database import Store, default_db_path

    missing = [i for i in args.inputs if i != "-" and not any(c in i for c in "*?[") and not os.path.exists(i)]
    if missing:               # before any store is created or any model loaded
        raise DiurnaError(f"{missing[0]}: no such file or folder" + (f" (and {len(missing) - 1} more)"
                                                                       if len(missing) > 1 else ""))
    spec = coder_spec(args)
    # A parallel run's workers load the model while the store opens; its driver never loads spaCy.
    backend = make_backend(spec, args.workers, args.scheduler)
    try:
        store = None if args.no_db else Store(args.db or default_db_path(), wait=args.wait)
        out = open_out(args.jsonl)
    except BaseException:
        backend.close()
        raise
    progress = Progress(enabled=sys.stderr.isatty() and not args.quiet)
    try:
        summary = code_inputs(args.inputs, backend, store, out, args.date, out_parquet=args.out_parquet,
                              on_skip=lambda skip: progress.write(f"skipped {skip.where}: {skip.reason}"),
                              progress=progress.update, report=progress.write, strict=args.strict,
                              show_partitions=_parallel(args), seconds_per_doc=args.max_seconds_per_doc or None)
    finally:
        progress.close()
        if out not in (None, sys.stdout):
            out.close()
        if store is not None:
            store.close()
    if not args.quiet:
        where = f" into {store.path}" if store is not None else ""
        print(summary.format() + (f"\nstored{where}" if store is not None else ""), file=sys.stderr)
    if summary.skipped:
        return EXIT_ERROR if args.strict else EXIT_SKIPPED
    return EXIT_OK


def _parallel(args: argparse.Namespace) -> bool:
    return bool(args.workers or args.scheduler or args.out_parquet)
