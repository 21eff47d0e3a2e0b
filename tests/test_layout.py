"""The package's shape: one subpackage per stage, imports pointing one way, no cycles.

The import graph is built from the source (every import statement, including those
inside functions), so an import hidden in a function cannot hide a cycle."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "diurna"

# What each part may import, besides itself. The order is the architecture:
# cli/web → run/analysis/evaluate → store/events → actors → nlp/ingest → records.
BASE = {"records", "errors", "settings", "yaml_data"}
ALLOWED = {
    "records": {"errors"}, "errors": set(), "settings": set(), "yaml_data": {"errors"},
    "nlp": BASE,
    "ingest": BASE,
    "actors": BASE | {"nlp"},
    "events": BASE | {"nlp", "actors"},
    "store": BASE,
    "run": BASE | {"ingest", "nlp", "events", "store"},
    "analysis": BASE | {"store", "events"},
    "evaluate": BASE | {"nlp", "events"},
    "web": BASE | {"store", "events", "analysis", "run"},
    "cli": BASE | {"ingest", "nlp", "actors", "events", "store", "run", "analysis", "evaluate", "web"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every diurna module that ``path`` imports, at top level or inside functions
    (not those under ``if TYPE_CHECKING:``, which never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                 for stmt in block.body for n in ast.walk(stmt)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("diurna"))
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; the package uses absolute imports"
            if node.module and node.module.startswith("diurna"):
                for alias in node.names:     # `from diurna.store import dedup` imports a module
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if _exists(sub) else node.module)
    return found


def _exists(module: str) -> bool:
    base = PACKAGE.parent.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else "diurna"    # the facade and `python -m`


def test_no_import_cycles():
    edges = graph()
    cycles = _cycles(edges)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_imports_point_one_way():
    wrong = []
    for module, targets in graph().items():
        source = part(module)
        if source == "diurna":           # the package's lazy facade (diurna.Coder, diurna.Store)
            continue
        for target in targets:
            to = part(target)
            if to != source and to != "diurna" and to not in ALLOWED[source]:
                wrong.append(f"{module} imports {target}")
            if to == "diurna" and target != "diurna":
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def test_every_part_is_a_package_or_a_base_module():
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert top == {"records", "errors", "settings", "yaml_data"}
    assert packages == set(ALLOWED) - BASE


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


# -- one exception tree, and no global state changed on import ---------------------------
def all_modules() -> list[str]:
    """Every module but `python -m diurna`'s, which runs the command line when imported."""
    return sorted(module_name(p) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def test_every_exception_the_package_defines_is_a_diurna_error():
    import importlib
    import inspect

    from diurna.errors import DiurnaError

    foreign = []
    for name in all_modules():
        if name.startswith("diurna.web"):
            pytest.importorskip("fastapi")
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, BaseException) and not issubclass(cls, DiurnaError):
                foreign.append(f"{name}.{cls.__name__}")
    assert not foreign, "exceptions outside the DiurnaError tree: " + ", ".join(foreign)


def test_importing_the_package_changes_no_global_state():
    """Log levels and the csv module's field limit are the process's, not ours to set."""
    script = (
        "import csv, logging, pkgutil, importlib, diurna\n"
        "def state():\n"
        "    return (csv.field_size_limit(), {n: logging.getLogger(n).level for n in\n"
        "            ('', 'trafilatura', 'htmldate', 'spacy', 'duckdb', 'httpx')})\n"
        "before = state()\n"
        f"for name in {all_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "assert state() == before, (before, state())\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
