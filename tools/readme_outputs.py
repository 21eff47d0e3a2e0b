"""Regenerate every output shown in README.md and docs/*.md from real runs.

    python tools/readme_outputs.py            # rewrite the shown outputs in place
    python tools/readme_outputs.py --check    # exit 1 with a diff when one differs

Markers. A fenced block whose content this script writes is preceded by an HTML
comment naming what produces it; the block's old content is never read:

    <!-- output: diurna actors --db sample.duckdb --top 5 -->
        the block becomes "$ COMMAND" and what the command prints (standard output and
        standard error together, as a terminal shows them). The comment may hold
        several commands, one a line; an empty line between two of them puts an empty
        line between their outputs.
    <!-- output json: COMMAND -->
        the first JSON object COMMAND prints, one field a line; each of its lists of
        objects (a document's actors, events) cut to its first item, laid out one field
        a line too; deeper values whole, on one line. Nothing else is left out.
    <!-- output python -->
        what the ```python block just above this comment prints.

Where the commands run. Each Markdown file's blocks run in order in one fresh
temporary folder, which holds a link to the repository's ``examples/``: relative paths
(``examples/articles``, ``sample.duckdb``) mean there what they mean to a reader who
runs the commands in a checkout, and each block sees the stores as the blocks before it
left them. ``diurna …`` runs in this process, with this checkout's ``src/`` first on the
path (one spaCy model load for the whole run); other commands (``cut``, ``head``) run
in bash. ``$DIURNA_DB`` is unset, so the default store is ``./diurna.duckdb``. A
command that fails (exit status other than 0, or 3 for "completed with skips") stops
the script, so a broken example is never written into the README.

Normalised, and nothing else (the rule for what would differ between two real runs):
* the temporary folder's absolute path, and this checkout's, are removed, leaving
  the relative path a reader would see;
* a duration ("1.32 s", "250 ms") is written "… s" / "… ms".
"""
from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
DOCUMENTS = ("README.md", "docs/*.md")
OK_STATUSES = (0, 3)        # diurna's "done" and "done, with skipped documents"

# A marker starts a line, ends at the first "-->", and is followed by its fenced block.
MARKER = re.compile(r"^<!-- output(?P<kind> json| python)?:?(?P<commands>(?:(?!-->).)*)-->[ \t]*\n"
                    r"(?P<fence>```[^\n]*\n)(?P<body>.*?)^```[ \t]*$", re.S | re.M)
PYTHON_BLOCK = re.compile(r"```python\n(?P<code>.*?)^```", re.S | re.M)
DURATION = re.compile(r"\b\d+(?:\.\d+)? ?(ms|s)\b")


class OutputError(Exception):
    """A shown command could not be run as written."""


@dataclass
class Workspace:
    """The folder one Markdown file's commands run in."""
    path: Path

    def normalise(self, text: str) -> str:
        for root in (str(self.path.resolve()), str(self.path), str(REPO)):
            text = text.replace(root + os.sep, "").replace(root, ".")
        return DURATION.sub(lambda m: f"… {m.group(1)}", text)


def prepare(folder: Path) -> Workspace:
    """An empty folder made a workspace: it gets the link to examples/."""
    (folder / "examples").symlink_to(REPO / "examples")
    return Workspace(folder)


@contextlib.contextmanager
def workspace() -> Iterator[Workspace]:
    with tempfile.TemporaryDirectory(prefix="diurna-readme-") as tmp:
        yield prepare(Path(tmp))


# -- running one command ---------------------------------------------------------------
def run(command: str, ws: Workspace) -> str:
    """What ``command`` prints, run in the workspace."""
    argv = shlex.split(command)
    if argv and argv[0] == "diurna":
        status, out = _run_diurna(argv[1:], ws)
    else:
        env = {k: v for k, v in os.environ.items() if k != "DIURNA_DB"}
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        done = subprocess.run(["bash", "-c", command], cwd=ws.path, env=env, capture_output=True)
        status, out = done.returncode, (done.stdout + done.stderr).decode("utf-8")
    if status not in OK_STATUSES:
        raise OutputError(f"`{command}` exited with {status}:\n{out}")
    return ws.normalise(out)


def _run_diurna(argv: list[str], ws: Workspace) -> tuple[int, str]:
    from diurna.cli.main import main

    with _captured(ws) as buffer:
        try:
            status = main(argv)
        except SystemExit as exc:       # argparse's usage errors
            status = exc.code if isinstance(exc.code, int) else 1
    return status, buffer.getvalue().decode("utf-8")


@contextlib.contextmanager
def _captured(ws: Workspace) -> Iterator[io.BytesIO]:
    """Standard output and error into one buffer, in the order they are written, with
    the workspace as the working folder and no $DIURNA_DB."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    saved = sys.stdout, sys.stderr, os.getcwd(), os.environ.pop("DIURNA_DB", None)
    sys.stdout = sys.stderr = stream
    os.chdir(ws.path)
    try:
        yield raw
    finally:
        stream.flush()
        stream.detach()             # the buffer outlives the wrapper
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.chdir(saved[2])
        if saved[3] is not None:
            os.environ["DIURNA_DB"] = saved[3]


def run_python(code: str, ws: Workspace) -> str:
    """What a Python block prints, run as a script in the workspace."""
    with _captured(ws) as buffer:
        exec(compile(code, "<python block>", "exec"), {"__name__": "__main__"})
    return ws.normalise(buffer.getvalue().decode("utf-8"))


# -- one block ---------------------------------------------------------------------------
def console(commands: str, ws: Workspace) -> str:
    """The "$ COMMAND" lines and their output; an empty line in ``commands`` is kept."""
    parts: list[str] = []
    for line in commands.strip().splitlines():
        line = line.strip()
        if not line:
            parts.append("\n")
            continue
        out = run(line, ws)
        parts.append(f"$ {line}\n{out}" + ("" if not out or out.endswith("\n") else "\n"))
    return "".join(parts)


def record(command: str, ws: Workspace) -> str:
    """The first JSON object ``command`` prints, laid out as the module docstring says."""
    out = run(command.strip(), ws)
    first = next((line for line in out.splitlines() if line.startswith("{")), None)
    if first is None:
        raise OutputError(f"`{command.strip()}` printed no JSON object:\n{out}")
    return layout(json.loads(first)) + "\n"


def layout(obj: dict, indent: int = 0, nested: bool = False) -> str:
    """One field a line; a top-level list of objects keeps its first item, laid out the
    same way (its own lists stay whole, on one line)."""
    pad = " " * (indent + 1)
    lines = []
    for key, value in obj.items():
        head = f"{json.dumps(key)}: "
        if not nested and isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{head}[{layout(value[0], indent + len(head) + 2, nested=True)}]")
        else:
            lines.append(head + json.dumps(value, ensure_ascii=False))
    return "{" + (",\n" + pad).join(lines) + "}"


def render(text: str, ws: Workspace) -> str:
    """``text`` with every marked block rewritten from a real run."""
    markers = len(re.findall(r"^<!-- output", text, re.M))
    if markers != len(MARKER.findall(text)):
        raise OutputError("a line starting `<!-- output` is not a marker followed by its ``` block")
    out, last = [], 0
    for match in MARKER.finditer(text):
        kind, commands = (match["kind"] or "").strip(), match["commands"]
        if kind == "python":
            code = _python_before(text, match.start())
            body = run_python(code, ws)
        elif kind == "json":
            body = record(commands, ws)
        else:
            body = console(commands, ws)
        out.append(text[last:match.start("body")] + body)
        last = match.end("body")
    out.append(text[last:])
    return "".join(out)


def _python_before(text: str, position: int) -> str:
    blocks = list(PYTHON_BLOCK.finditer(text, 0, position))
    if not blocks:
        raise OutputError(f"an `output python` marker at character {position} has no ```python block above it")
    return blocks[-1]["code"]


# -- files -----------------------------------------------------------------------------
def documents(root: Path = REPO) -> list[Path]:
    found: list[Path] = []
    for pattern in DOCUMENTS:
        found.extend(sorted(root.glob(pattern)))
    return [p for p in found if "<!-- output" in p.read_text(encoding="utf-8")]


def regenerate(path: Path) -> tuple[str, str]:
    """The file's text as it is and as the commands make it."""
    old = path.read_text(encoding="utf-8")
    with workspace() as ws:
        return old, render(old, ws)


def diff(path: Path, old: str, new: str) -> str:
    name = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"{name} (as written)", f"{name} (as the commands print it)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and print a diff when a shown output differs")
    parser.add_argument("files", nargs="*", type=Path,
                        help="Markdown files (default: README.md and docs/*.md with markers)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SRC))
    stale = 0
    for path in args.files or documents():
        old, new = regenerate(path)
        if old == new:
            continue
        stale += 1
        if args.check:
            sys.stdout.write(diff(path, old, new))
        else:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}", file=sys.stderr)
    if args.check and stale:
        print(f"{stale} file(s) show output that the commands no longer print; "
              "run python tools/readme_outputs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
