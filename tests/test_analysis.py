"""Analysis functions (dyads, top actors, timeline, network), their CLI commands and the
Store's DataFrame methods, over a small hand-built store with known answers."""
from __future__ import annotations

import io
import json
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from diurna.analysis import counts as analysis
from diurna.cli import main
from diurna.store.query import Filters
from test_dedup import doc, ev, store_with

# Counted (deduplicated, certain) events, by month:
#   Jan: USA→RUS CONSULT, RUS→UKR ASSAULT (two reports), UKR→RUS ACCUSE
#   Feb: RUS→UKR ASSAULT, USA→UKR AID            (+ USA→RUS SANCTION, future)
#   Mar: USA+GBR→RUS SANCTION                    (+ CHN→USA THREATEN, negated)
DOCS = [
    doc("d1", [ev("d1a", "CONSULT", ["USA"], ["RUS"], "2024-01-10"),
               ev("d1b", "ASSAULT", ["RUS"], ["UKR"], "2024-01-10", start=20),
               ev("d1c", "ACCUSE", ["UKR"], ["RUS"], "2024-01-10", start=40)], published="2024-01-10"),
    doc("d2", [ev("d2a", "ASSAULT", ["RUS"], ["UKR"], "2024-01-11")], published="2024-01-11"),
    doc("d3", [ev("d3a", "ASSAULT", ["RUS"], ["UKR"], "2024-02-05"),
               ev("d3b", "AID", ["USA"], ["UKR"], "2024-02-05", start=20),
               ev("d3c", "SANCTION", ["USA"], ["RUS"], "2024-02-20", start=40, aux="future")],
        published="2024-02-05"),
    doc("d4", [ev("d4a", "SANCTION", ["USA", "GBR"], ["RUS"], "2024-03-01"),
               ev("d4b", "THREATEN", ["CHN"], ["USA"], "2024-03-01", start=20, aux="negation")],
        published="2024-03-01"),
]
CERTAIN = Filters(include_uncertain=False)


@pytest.fixture()
def store(tmp_path):
    with store_with(tmp_path, DOCS) as s:
        yield s


@pytest.fixture()
def db(store):
    path = store.path
    store.close()
    return path


def rows(frame: pd.DataFrame, *columns) -> list[list]:
    return frame[list(columns)].values.tolist()


# -- dyads -----------------------------------------------------------------------------
def test_dyads_by_month_count_each_event_once(store):
    frame = analysis.dyads(store.con, CERTAIN, by="month")
    assert rows(frame, "period", "actor", "recipient", "events") == [
        [date(2024, 1, 1), "RUS", "UKR", 1], [date(2024, 1, 1), "UKR", "RUS", 1],
        [date(2024, 1, 1), "USA", "RUS", 1],
        [date(2024, 2, 1), "RUS", "UKR", 1], [date(2024, 2, 1), "USA", "UKR", 1],
        [date(2024, 3, 1), "GBR", "RUS", 1], [date(2024, 3, 1), "USA", "RUS", 1]]


def test_dyads_quad_classes_and_scores(store):
    frame = analysis.dyads(store.con, CERTAIN, by="all", actor="USA")
    by_pair = {(r.actor, r.recipient): r for r in frame.itertuples()}
    usa_rus, usa_ukr = by_pair["USA", "RUS"], by_pair["USA", "UKR"]
    assert (usa_rus.events, usa_rus.quad1, usa_rus.quad4, usa_rus.mean_score) == (2, 1, 1, -1.75)
    assert (usa_ukr.events, usa_ukr.quad2, usa_ukr.mean_score) == (1, 1, 10.0)


def test_dyads_for_one_dyad_uncertain_and_raw(store):
    one = analysis.dyads(store.con, CERTAIN, by="all", actor="RUS", recipient="UKR")
    assert rows(one, "actor", "recipient", "events", "quad4") == [["RUS", "UKR", 2, 2]]
    raw = analysis.dyads(store.con, Filters(include_uncertain=False, dedup=False), by="all",
                         actor="RUS", recipient="UKR")
    assert raw["events"].tolist() == [3]
    everything = analysis.dyads(store.con, Filters(include_uncertain=True), by="all")
    assert set(map(tuple, rows(everything, "actor", "recipient"))) >= {("CHN", "USA")}
    assert everything.loc[(everything.actor == "USA") & (everything.recipient == "RUS"), "events"].item() == 3


def test_dyads_filters_and_top(store):
    week = analysis.dyads(store.con, Filters(since=date(2024, 2, 1), until=date(2024, 2, 29),
                                             include_uncertain=False), by="week")
    assert rows(week, "period", "actor", "recipient") == [
        [date(2024, 2, 5), "RUS", "UKR"], [date(2024, 2, 5), "USA", "UKR"]]
    gov = analysis.dyads(store.con, Filters(sector=("GOV",), include_uncertain=False), by="all")
    assert sorted(gov["actor"].unique()) == ["GBR", "USA"]         # the USA+GBR event has a GOV actor
    busiest = analysis.dyads(store.con, CERTAIN, by="month", top=1)
    assert set(busiest["actor"] + ">" + busiest["recipient"]) == {"RUS>UKR"}
    assert analysis.dyads(store.con, Filters(event=("PROTEST",)), by="month").empty
    with pytest.raises(ValueError, match="by"):
        analysis.dyads(store.con, CERTAIN, by="fortnight")


# -- actors, timeline, network ------------------------------------------------------------
def test_top_actors_and_partners(store):
    frame = analysis.top_actors(store.con, CERTAIN, top=3)
    assert rows(frame, "actor", "events", "as_actor", "as_recipient", "top_partners") == [
        ["RUS", 5, 2, 3, "UKR 3, USA 2, GBR 1"],
        ["UKR", 4, 1, 3, "RUS 3, USA 1"],
        ["USA", 3, 3, 0, "RUS 2, UKR 1"]]


def test_timeline_for_an_actor_and_a_pair(store):
    single = analysis.timeline(store.con, CERTAIN, ["rus"], by="month")
    assert rows(single, "period", "events", "as_actor", "as_recipient") == [
        [date(2024, 1, 1), 3, 1, 2], [date(2024, 2, 1), 1, 1, 0], [date(2024, 3, 1), 1, 0, 1]]
    pair = analysis.timeline(store.con, Filters(since=date(2024, 1, 1), until=date(2024, 4, 30),
                                                include_uncertain=False), ["RUS", "UKR"], by="month")
    assert rows(pair, "period", "events", "as_actor", "as_recipient", "quad4") == [
        [date(2024, 1, 1), 2, 1, 1, 1], [date(2024, 2, 1), 1, 1, 0, 1],
        [date(2024, 3, 1), 0, 0, 0, 0], [date(2024, 4, 1), 0, 0, 0, 0]]
    with pytest.raises(ValueError, match="one actor code or two"):
        analysis.timeline(store.con, CERTAIN, ["RUS", "UKR", "USA"])


def test_network_graph_and_its_exports(store, tmp_path):
    graph = analysis.network(store.con, CERTAIN)
    assert sorted(graph.nodes) == ["GBR", "RUS", "UKR", "USA"]
    assert graph["RUS"]["UKR"]["weight"] == 2 and graph["RUS"]["UKR"]["ASSAULT"] == 2
    assert (graph["USA"]["RUS"]["CONSULT"], graph["USA"]["RUS"]["SANCTION"]) == (1, 1)
    assert graph.nodes["RUS"]["events"] == 5
    data = analysis.network_json(graph)
    assert {(l["source"], l["target"], l["weight"]) for l in data["links"]} == {
        ("RUS", "UKR", 2), ("USA", "RUS", 2), ("UKR", "RUS", 1), ("USA", "UKR", 1), ("GBR", "RUS", 1)}
    json.dumps(data)
    analysis.write_graphml(graph, tmp_path / "g.graphml")
    analysis.write_gexf(graph, tmp_path / "g.gexf")
    for read in (nx.read_graphml(tmp_path / "g.graphml"), nx.read_gexf(tmp_path / "g.gexf")):
        assert read.is_directed() and read.number_of_edges() == 5
        assert int(read["RUS"]["UKR"]["weight"]) == 2


# -- the Python API -----------------------------------------------------------------------
def test_store_returns_dataframes(store):
    raw = store.events(actor="RUS", since="2024-01-01")
    assert sorted(raw["event_id"]) == ["d1b", "d2a", "d3a"]           # raw records, both reports
    monthly = store.dyads(by="month", actor="RUS", recipient="UKR", include_uncertain=False)
    assert monthly["events"].tolist() == [1, 1]
    assert store.dyads(by="all", quad_class="4", include_uncertain=False)["events"].sum() == 4


# -- commands -------------------------------------------------------------------------------
def run(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_dyads_command(db, capsys):
    out = run(capsys, "dyads", "--db", db, "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["period", "actor", "recipient", "events", "mean_score",
                                   "quad1", "quad2", "quad3", "quad4"]
    assert len(frame) == 7                                  # uncertain events left out by default
    assert len(pd.read_csv(io.StringIO(run(capsys, "dyads", "--db", db, "--format", "csv",
                                           "--include-uncertain")))) == 9
    table = run(capsys, "dyads", "--db", db, "--actor", "RUS", "--recipient", "UKR", "--by", "all")
    assert "RUS       UKR" in table and "period" not in table
    raw = json.loads(run(capsys, "dyads", "--db", db, "--actor", "RUS", "--by", "all",
                         "--no-dedup", "--format", "json"))
    assert raw == [{"actor": "RUS", "recipient": "UKR", "events": 3, "mean_score": -9.0,
                    "quad1": 0, "quad2": 0, "quad3": 0, "quad4": 3}]


def test_actors_command(db, capsys):
    data = json.loads(run(capsys, "actors", "--db", db, "--top", "2", "--format", "json"))
    assert [(d["actor"], d["events"]) for d in data] == [("RUS", 5), ("UKR", 4)]
    table = run(capsys, "actors", "--db", db, "--since", "2024-03-01")
    assert "USA" in table and "GBR" in table and "UKR" not in table


def test_timeline_command(db, capsys):
    out = run(capsys, "timeline", "RUS", "UKR", "--db", db, "--by", "month", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert frame["events"].tolist() == [2, 1]
    assert main(["timeline", "A", "B", "C", "--db", db]) == 2
    assert "one actor code or two" in capsys.readouterr().err


def test_network_command(db, capsys, tmp_path):
    table = run(capsys, "network", "--db", db)
    assert table.startswith("4 actors, 5 edges") and "RUS → UKR" in table
    data = json.loads(run(capsys, "network", "--db", db, "--format", "json"))
    assert len(data["nodes"]) == 4
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"n.{fmt}"
        run(capsys, "network", "--db", db, "--format", fmt, "--out", str(out))
        graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert graph.number_of_edges() == 5


def test_commands_report_a_missing_store(tmp_path, capsys):
    assert main(["dyads", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no event store" in capsys.readouterr().err


def test_timeline_keeps_undated_events_apart(tmp_path):
    docs = [doc("a", [ev("a1", "AID", ["USA"], ["UKR"], "2024-01-05")]),
            doc("b", [ev("b1", "AID", ["USA"], ["UKR"], "2024-03-05")]),
            doc("c", [ev("c1", "AID", ["USA"], ["UKR"], None)], published=None)]
    with store_with(tmp_path, docs, name="undated.duckdb") as s:
        frame = analysis.timeline(s.con, Filters(), ["USA"], by="month")
    assert rows(frame, "period", "events") == [
        [date(2024, 1, 1), 1], [date(2024, 2, 1), 0], [date(2024, 3, 1), 1], [None, 1]]
