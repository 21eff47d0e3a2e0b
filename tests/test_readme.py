"""The README shows what the commands print: tools/readme_outputs.py reruns every marked
block, and here the shown text must equal the rerun. One run of the README's commands
(coding examples/articles into a fresh store) serves every test of the session."""
from __future__ import annotations

import importlib.util
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import pytest

from diurna import analysis
from diurna.cli.main import main as diurna
from diurna.store.query import Filters

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("readme_outputs", ROOT / "tools" / "readme_outputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_outputs"] = module          # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="session")
def rerun(tmp_path_factory):
    """Each Markdown file with markers: (as written, as rerun), and the README's workspace."""
    results, readme_ws = {}, None
    for path in tool.documents():
        ws = tool.prepare(tmp_path_factory.mktemp(path.stem))
        text = path.read_text(encoding="utf-8")
        results[path] = (text, tool.render(text, ws))
        if path.name == "README.md":
            readme_ws = ws
    assert readme_ws is not None, "README.md has no output markers"
    return results, readme_ws


def test_shown_output_is_what_the_commands_print(rerun):
    results, _ = rerun
    stale = {str(p.relative_to(ROOT)): tool.diff(p, old, new) for p, (old, new) in results.items() if old != new}
    assert not stale, ("shown output differs from a real run; `python tools/readme_outputs.py` rewrites it:\n"
                       + "\n".join(stale.values()))


def test_the_readme_marks_its_examples(rerun):
    results, _ = rerun
    readme = results[ROOT / "README.md"][0]
    for shown in ("$ diurna code examples/articles\n", "$ diurna dedup --db sample.duckdb --list\n",
                  "$ diurna network --db sample.duckdb --quad 4\n", "<!-- output json: diurna code examples/articles/"
                  "2025-04-02-kor-nato-foreign-ministers.txt"):
        assert shown in readme
    assert readme.count("<!-- output python -->") == 2


def test_the_record_example_is_the_coders_record(rerun):
    """The "Record shape" block, read as JSON, is the coder's record with its lists cut."""
    readme = rerun[0][ROOT / "README.md"][1]
    block = readme.split("<!-- output json:", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    shown = json.loads(block)
    out = io.StringIO()
    with redirect_stdout(out):
        assert diurna(["code", str(ROOT / "examples/articles/2025-04-02-kor-nato-foreign-ministers.txt"),
                       "--no-db", "--quiet", "--jsonl", "-"]) == 0
    real = json.loads(out.getvalue().splitlines()[0])
    assert shown == {**real, "actors": real["actors"][:1], "events": real["events"][:1]}


def test_check_mode_fails_on_a_stale_block_and_rewriting_fixes_it(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text("Who is Trump?\n\n<!-- output: diurna actors lookup Trump --date 2022-06-01 -->\n"
                    "```\n$ diurna actors lookup Trump --date 2022-06-01\nsomeone else\n```\n", encoding="utf-8")
    assert tool.main(["--check", str(page)]) == 1
    assert "-someone else" in capsys.readouterr().out
    assert "someone else" in page.read_text(encoding="utf-8")          # --check writes nothing
    assert tool.main([str(page)]) == 0
    assert "USA/GOV President 2017-01-20" in page.read_text(encoding="utf-8")
    assert tool.main(["--check", str(page)]) == 0


def test_a_failing_command_stops_the_rewrite(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- output: diurna events --db missing.duckdb -->\n```\n```\n", encoding="utf-8")
    with pytest.raises(tool.OutputError, match="exited with 1"):
        tool.main([str(page)])


def test_volatile_parts_are_normalised(tmp_path):
    ws = tool.Workspace(tmp_path)
    assert ws.normalise(f"stored into {tmp_path}/sample.duckdb in 1.32 s, 250 ms each\n") == \
        "stored into sample.duckdb in … s, … ms each\n"


# -- Python and the CLI count alike --------------------------------------------------------
def _cli_json(*argv: str) -> list | dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert diurna(list(argv)) == 0
    return json.loads(out.getvalue())


def test_python_filters_count_as_the_cli_does(rerun):
    db = str(rerun[1].path / "sample.duckdb")
    con = duckdb.connect(db, read_only=True)
    try:
        graph = analysis.network(con, Filters(quad_class=(4,)))
        everything = analysis.network(con, Filters(quad_class=(4,), include_uncertain=True))
        dyads = analysis.dyads(con, Filters(), by="all")
        top = analysis.top_actors(con, Filters(), top=10)
    finally:
        con.close()
    cli_graph = _cli_json("network", "--db", db, "--quad", "4", "--format", "json")
    assert sorted(graph.nodes) == sorted(n["id"] for n in cli_graph["nodes"])
    assert sorted(graph.edges) == sorted((l["source"], l["target"]) for l in cli_graph["links"])
    # the sample holds uncertain quad-4 events, so the default decides something here
    assert everything.number_of_nodes() > graph.number_of_nodes()
    cli_dyads = _cli_json("dyads", "--db", db, "--by", "all", "--format", "json")
    assert [(d["actor"], d["recipient"], d["events"]) for d in cli_dyads] == \
        list(zip(dyads["actor"], dyads["recipient"], dyads["events"]))
    cli_top = _cli_json("actors", "--db", db, "--top", "10", "--format", "json")
    assert [(a["actor"], a["events"]) for a in cli_top] == list(zip(top["actor"], top["events"]))
