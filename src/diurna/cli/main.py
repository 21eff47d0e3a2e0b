"""`diurna`: the command line. Each command is a module of this package with
``register(subparsers)``; each is a thin shell over a library function."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from importlib import import_module

from diurna import __version__
from diurna.cli.options import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from diurna.errors import DiurnaError, InvalidValue

# In the order `diurna --help` lists them.
COMMANDS = ("code", "events", "eval", "actors", "dyads", "timeline", "network", "export", "dedup",
            "serve", "watch", "train")


def main(argv: list[str] | None = None) -> int:
    # SIGTERM ends a run as Ctrl-C does: batches stored so far are kept, workers are stopped
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args) or EXIT_OK
    except InvalidValue as exc:        # a bad filter or option value is a usage error, as argparse's own
        print(f"diurna: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DiurnaError as exc:
        print(f"diurna: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if not _is_store_error(exc):
            raise
        print(f"diurna: error: the event store could not be read or written ({exc}); if the file is "
              "damaged, code the documents again into a new store", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("diurna: interrupted; stored batches are kept, run again to finish", file=sys.stderr)
        return 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _is_store_error(exc: Exception) -> bool:
    """A DuckDB error that reached the command line (a damaged file, a full disk): the
    boundary where the database's own errors become ours. DuckDB is only looked for if
    it was imported."""
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, duckdb.Error)


def build_parser() -> argparse.ArgumentParser:
    # imported here, not at the top: `diurna --help` and the other commands start without it
    parser = argparse.ArgumentParser(prog="diurna", description="News text in, PLOVER event data out.",
                                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"diurna {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")
    for name in COMMANDS:
        # command modules import their heavy parts inside their run functions
        import_module(f"diurna.cli.{name}").register(sub)
    for command in sub.choices.values():
        command.formatter_class = HelpFormatter
    return parser


class HelpFormatter(argparse.HelpFormatter):
    """Every option's help shows its default: in the words of its help text when they
    name it ("(default 15)", "table (default)"), else as "(default: VALUE)" added here.
    Options without one (None, a flag that is off, an empty list) show none."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (not action.option_strings or "default" in text or default is None or default is False
                or default == [] or default is argparse.SUPPRESS):
            return action.help
        return f"{text} (default: %(default)s)"
