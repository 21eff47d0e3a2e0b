"""Deduplication: near-duplicate documents are linked and left out of counts; the same
event reported by several documents becomes one event with its number of sources.

The builders here (``ev``, ``doc``, ``store_with``) are shared by test_analysis.py and
test_export.py. Articles are our own text.
"""
from __future__ import annotations

import duckdb
import pytest

from diurna.analysis import counts as analysis
from diurna.store import dedup
from diurna.errors import StoreError
from diurna.events import cameo
from diurna.store.query import Filters, events
from diurna.records import CodedDocument, Entity, Event, Place, Span
from diurna import Store

CAMEO = {"ASSAULT": "190", "CONSULT": "040", "SANCTION": "160", "AID": "070", "ACCUSE": "112",
         "AGREE": "030", "THREATEN": "130", "PROTEST": "140", "COOPERATE": "060"}

REUTERS = (
    "Russia fired a barrage of missiles at Kyiv on Monday, striking a children's hospital and "
    "killing at least twenty people across the Ukrainian capital, city officials said. Rescue "
    "workers searched the rubble of the hospital's main building through the afternoon while "
    "parents carried young patients to nearby clinics. Ukraine's air force said most of the "
    "missiles were shot down, but several got through the capital's defences during the morning "
    "rush hour. President Volodymyr Zelensky called for a stronger response from Western allies "
    "and said those responsible would be held to account.")
# The same wire story with a new headline sentence and two small edits.
REUTERS_COPY = REUTERS.replace("at least twenty", "at least 21").replace(
    "city officials said", "officials said") + " The attack came on the eve of a NATO summit."
AP = (
    "A Russian missile strike hit Kyiv's largest children's hospital on Monday, Ukrainian "
    "authorities said, as Moscow launched one of its heaviest attacks on the capital in months. "
    "Doctors moved children with cancer to shelters as smoke rose over the wards.")


def ev(eid: str, event: str, actors, recipients=(), day: str | None = "2024-07-08",
       sentence: str = "A sentence.", start: int = 0, aux: str | None = None,
       mode: str | None = None, place: Place | None = None, confidence: float = 0.8) -> Event:
    code = CAMEO.get(event)
    return Event(
        id=eid, event=event,
        actor=tuple(Entity(c, "GOV" if c == "USA" else None, c.title()) for c in actors),
        recipient=tuple(Entity(c, None, c.title()) for c in recipients),
        trigger=Span(sentence.split()[0], start, start + len(sentence.split()[0])),
        sentence=Span(sentence, start, start + len(sentence)), mode=mode, cameo=code, aux=aux,
        date=day, date_precision="day" if day else None, event_loc=place, confidence=confidence,
        quad_class=cameo.quad_class(event, code), score=cameo.score(event, mode))


def doc(doc_id: str, events_: list[Event], text: str | None = None, published: str | None = "2024-07-08",
        url: str | None = None) -> CodedDocument:
    text = text or f"Article {doc_id}: " + " ".join(e.sentence.text for e in events_)
    return CodedDocument(doc_id, published, text, events=tuple(events_),
                         url=url or f"https://news.example/{doc_id}", title=f"Title of {doc_id}")


def store_with(tmp_path, *batches: list[CodedDocument], name: str = "s.duckdb") -> Store:
    store = Store(tmp_path / name)
    for batch in batches:
        store.write(batch)
    return store


def clusters(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT event, actors, recipients, n_sources, n_events, counted FROM clusters "
        "ORDER BY first_date, event, cluster_id").fetchall()


def counted_ids(store: Store) -> list[str]:
    return [r[0] for r in store.con.execute(
        "SELECT event_id FROM event_clusters WHERE counted ORDER BY event_id").fetchall()]


# -- the same event from two sources ---------------------------------------------------
def test_same_event_from_two_sources_is_one_event_with_two_sources(tmp_path):
    reuters = doc("reuters", [ev("r1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", "Russia fired missiles.")],
                  text=REUTERS)
    ap = doc("ap", [ev("a1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-09", "A Russian strike hit Kyiv.")],
             text=AP, published="2024-07-09")
    with store_with(tmp_path, [reuters], [ap]) as store:       # two batches: the incremental path
        assert clusters(store) == [("ASSAULT", ["RUS"], ["UKR"], 2, 2, True)]
        sentences = store.con.execute("SELECT sentences FROM clusters").fetchall()[0][0]
        assert sentences == ["Russia fired missiles.", "A Russian strike hit Kyiv."]
        assert store.con.execute("SELECT count(*) FROM document_links").fetchall()[0][0] == 0
        assert len(events(store.con, Filters())) == 2              # raw records stay
        frame = analysis.dyads(store.con, Filters(), by="all")
        assert frame[["actor", "recipient", "events"]].values.tolist() == [["RUS", "UKR", 1]]
        raw = analysis.dyads(store.con, Filters(dedup=False), by="all")
        assert raw["events"].tolist() == [2]


def test_distinct_events_on_the_same_dyad_and_day_stay_distinct(tmp_path):
    kharkiv, odesa = Place("Kharkiv", "UKR", 49.99, 36.23), Place("Odesa", "UKR", 46.48, 30.73)
    docs = [
        doc("d1", [ev("d1a", "CONSULT", ["USA"], ["RUS"], sentence="Washington talked to Moscow."),
                   ev("d1b", "ASSAULT", ["RUS"], ["UKR"], place=kharkiv, start=40,
                      sentence="Russia shelled Kharkiv.")]),
        doc("d2", [ev("d2a", "SANCTION", ["USA"], ["RUS"], sentence="Washington sanctioned Moscow."),
                   ev("d2b", "ASSAULT", ["RUS"], ["UKR"], place=odesa, start=40,
                      sentence="Russia shelled Odesa.")]),
        doc("d3", [ev("d3a", "ASSAULT", ["UKR"], ["RUS"], sentence="Ukraine struck Belgorod.")]),
    ]
    with store_with(tmp_path, docs) as store:
        assert [(c[0], c[1], c[2], c[3]) for c in clusters(store)] == [
            ("ASSAULT", ["RUS"], ["UKR"], 1), ("ASSAULT", ["RUS"], ["UKR"], 1),
            ("ASSAULT", ["UKR"], ["RUS"], 1), ("CONSULT", ["USA"], ["RUS"], 1),
            ("SANCTION", ["USA"], ["RUS"], 1)]
        frame = analysis.dyads(store.con, Filters(), by="day", actor="RUS", recipient="UKR")
        assert frame["events"].tolist() == [2]


def test_a_report_without_a_place_joins_one_with_a_place(tmp_path):
    kharkiv = Place("Kharkiv", "UKR", 49.99, 36.23)
    docs = [doc("d1", [ev("d1a", "ASSAULT", ["RUS"], ["UKR"], place=kharkiv, sentence="Russia shelled Kharkiv.")]),
            doc("d2", [ev("d2a", "ASSAULT", ["RUS"], ["UKR"], sentence="Russian guns shelled the city.")])]
    with store_with(tmp_path, docs) as store:
        assert [c[3:5] for c in clusters(store)] == [(2, 2)]


def test_two_events_of_one_document_never_merge(tmp_path):
    # The coder decides which mentions in one article restate an event; two records stay two.
    d = doc("d1", [ev("e1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", "Russia struck Kyiv."),
                   ev("e2", "ASSAULT", ["RUS"], ["UKR"], "2024-07-09", "Russia struck again.", start=30)])
    with store_with(tmp_path, [d]) as store:
        assert [c[3:5] for c in clusters(store)] == [(1, 1), (1, 1)]


def test_window_and_publication_date_fallback(tmp_path):
    docs = [
        doc("a", [ev("a1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08")]),
        doc("b", [ev("b1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-11")]),            # 3 days: same
        doc("c", [ev("c1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-13")]),            # 5 days: new
        doc("d", [ev("d1", "ASSAULT", ["RUS"], ["UKR"], None)], published="2024-07-14"),  # falls back
        doc("e", [ev("e1", "ASSAULT", ["RUS"], ["UKR"], None)], published=None),    # no date at all
    ]
    with store_with(tmp_path, docs) as store:
        rows = store.con.execute("SELECT first_date::VARCHAR, n_sources FROM clusters "
                                 "ORDER BY first_date NULLS LAST").fetchall()
        assert rows == [("2024-07-08", 2), ("2024-07-13", 2), (None, 1)]
        summary = dedup.refresh_dedup(store.con, None, window=0)    # every day its own event
        assert summary.clusters == 5
        assert len(counted_ids(store)) == 5


def test_future_and_reported_events_do_not_merge(tmp_path):
    docs = [doc("a", [ev("a1", "SANCTION", ["USA"], ["RUS"])]),
            doc("b", [ev("b1", "SANCTION", ["USA"], ["RUS"], aux="future")])]
    with store_with(tmp_path, docs) as store:
        assert len(clusters(store)) == 2
        assert analysis.dyads(store.con, Filters(include_uncertain=False), by="all")["events"].tolist() == [1]
        assert analysis.dyads(store.con, Filters(include_uncertain=True), by="all")["events"].tolist() == [2]
        assert analysis.dyads(store.con, Filters(), by="all")["events"].tolist() == [1]   # counts' default


def test_representative_prefers_the_earliest_report_and_is_stable(tmp_path):
    late = doc("late", [ev("late1", "AID", ["USA"], ["UKR"], "2024-04-26")])
    early = doc("early", [ev("early1", "AID", ["USA"], ["UKR"], "2024-04-24")])
    with store_with(tmp_path, [late], [early]) as store:
        assert counted_ids(store) == ["early1"]
        ids = store.con.execute("SELECT DISTINCT cluster_id FROM event_clusters").fetchall()
        assert ids == [("early1",)]


# -- near-duplicate documents ---------------------------------------------------------
def test_shingles_and_jaccard():
    assert dedup.jaccard(dedup.shingles(REUTERS), dedup.shingles(REUTERS.upper())) == 1.0
    assert dedup.jaccard(dedup.shingles(REUTERS), dedup.shingles(REUTERS_COPY)) >= dedup.NEAR_DUPLICATE
    assert dedup.jaccard(dedup.shingles(REUTERS), dedup.shingles(AP)) < 0.1
    assert dedup.shingles("too short") == dedup.shingles("Too, short!")
    assert dedup.shingles("") == set()


def test_a_wire_copy_is_linked_and_not_counted_twice(tmp_path):
    strike = "Russia fired missiles at Kyiv."
    original = doc("wire", [ev("w1", "ASSAULT", ["RUS"], ["UKR"], sentence=strike)], text=REUTERS)
    copy = doc("copy", [ev("c1", "ASSAULT", ["RUS"], ["UKR"], sentence=strike),
                        # an event only the edited copy has: still not counted on its own
                        ev("c2", "CONSULT", ["NATO"], ["UKR"], start=500, sentence="NATO met.")],
               text=REUTERS_COPY, published="2024-07-09")
    with store_with(tmp_path, [original], [copy]) as store:
        (doc_id, duplicate_of, similarity), = store.con.execute(
            "SELECT * FROM document_links").fetchall()
        assert (doc_id, duplicate_of) == ("copy", "wire") and similarity >= dedup.NEAR_DUPLICATE
        assert counted_ids(store) == ["w1"]
        assert clusters(store)[0][:5] == ("ASSAULT", ["RUS"], ["UKR"], 2, 2)   # two sources report it
        assert store.counts()["events"] == 3                                  # raw records intact


def test_links_follow_replaced_documents(tmp_path):
    original = doc("wire", [ev("w1", "ASSAULT", ["RUS"], ["UKR"])], text=REUTERS)
    copy = doc("copy", [ev("c1", "ASSAULT", ["RUS"], ["UKR"])], text=REUTERS_COPY)
    with store_with(tmp_path, [original], [copy]) as store:
        assert store.con.execute("SELECT count(*) FROM document_links").fetchall() == [(1,)]
        # The original is re-coded with other content: the copy is no longer a duplicate of it.
        store.write([doc("wire", [ev("w1", "AID", ["USA"], ["UKR"])], text=AP)])
        assert store.con.execute("SELECT count(*) FROM document_links").fetchall() == [(0,)]
        assert counted_ids(store) == ["c1", "w1"]


def test_incremental_refresh_matches_a_full_rebuild(tmp_path):
    batches = [
        [doc("a", [ev("a1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08")], text=REUTERS)],
        [doc("b", [ev("b1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-10"),
                   ev("b2", "ACCUSE", ["UKR"], ["RUS"], "2024-07-10", start=50)], text=AP)],
        [doc("c", [ev("c1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-07")], text=REUTERS_COPY),
         doc("d", [ev("d1", "ACCUSE", ["UKR"], ["RUS"], "2024-07-12")])],
    ]
    with store_with(tmp_path, *batches) as store:
        query = "SELECT event_id, cluster_id, counted FROM event_clusters ORDER BY event_id"
        incremental = store.con.execute(query).fetchall()
        dedup.refresh_dedup(store.con, None)
        assert store.con.execute(query).fetchall() == incremental


def test_large_batches_are_deduplicated_too(tmp_path):
    # Long id lists are bound as arrays rather than one parameter per value.
    batch = [doc(f"d{i:04d}", [ev(f"e{i:04d}", "AID", ["USA"], ["UKR"], "2024-04-24")]) for i in range(510)]
    late = [doc(f"l{i:04d}", [ev(f"l{i:04d}", "AID", ["USA"], ["UKR"], "2024-04-25")]) for i in range(505)]
    with store_with(tmp_path, batch, late) as store:
        assert clusters(store) == [("AID", ["USA"], ["UKR"], 1015, 1015, True)]
        assert counted_ids(store) == ["e0000"]


def test_analysis_refuses_a_store_with_unindexed_events(tmp_path):
    with store_with(tmp_path, [doc("a", [ev("a1", "AID", ["USA"], ["UKR"])])]) as store:
        store.con.execute("INSERT INTO events (event_id, doc_id, event) VALUES ('x', 'a', 'AID')")
        assert not dedup.index_is_current(store.con)
        with pytest.raises(StoreError, match="diurna dedup"):
            analysis.dyads(store.con, Filters())
        dedup.refresh_dedup(store.con)
        assert dedup.index_is_current(store.con)


def test_older_store_is_indexed_at_the_first_write(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.write([doc("a", [ev("a1", "AID", ["USA"], ["UKR"])])])
        store.con.execute("DELETE FROM event_clusters")       # as if written before 0003_dedup
    with Store(path) as store:
        store.write([doc("b", [ev("b1", "AID", ["USA"], ["UKR"], "2024-07-09")])])
        assert sorted(r[0] for r in store.con.execute("SELECT event_id FROM event_clusters").fetchall()) \
            == ["a1", "b1"]
        assert counted_ids(store) == ["a1"]


def test_dedup_command_lists_duplicates(tmp_path, capsys):
    from diurna.cli import main
    original = doc("wire", [ev("w1", "ASSAULT", ["RUS"], ["UKR"])], text=REUTERS)
    copy = doc("copy", [ev("c1", "ASSAULT", ["RUS"], ["UKR"])], text=REUTERS_COPY)
    store_with(tmp_path, [original, copy]).close()
    assert main(["dedup", "--db", str(tmp_path / "s.duckdb"), "--list"]) == 0
    out = capsys.readouterr().out
    assert "copy ≈ wire" in out
    assert "RUS ASSAULT UKR: 2 sources, 2 records" in out


# -- end to end with the real coder ------------------------------------------------------
SOURCE_A = ("Date: 2025-02-04\nTitle: Canada sends aid to Sudan\n\n"
            "Canada sent emergency food aid to Sudan on Monday, the foreign ministry in Ottawa said. "
            "The shipment of grain and medicine left Montreal by air and will be distributed by "
            "relief agencies in Port Sudan.")
SOURCE_B = ("Date: 2025-02-04\nTitle: Ottawa ships emergency supplies\n\n"
            "Canada sent emergency food aid to Sudan on Monday, officials in Ottawa said, as "
            "famine spread in the western region of Darfur.")


@pytest.mark.slow
def test_coding_one_story_from_two_sources_gives_one_event_with_two_sources(tmp_path, coder):
    from diurna.records import Article
    articles = [Article("source-a", SOURCE_A.split("\n\n", 1)[1], "2025-02-04"),
                Article("source-b", SOURCE_B.split("\n\n", 1)[1], "2025-02-04")]
    coded = list(coder.code_articles(articles))
    with store_with(tmp_path, coded[:1], coded[1:]) as store:
        raw = store.counts()["events"]
        shared = store.con.execute("SELECT event, actors, recipients FROM clusters "
                                   "WHERE n_sources = 2").fetchall()
        assert shared, f"no event reported by both sources; clusters: {clusters(store)}"
        assert ("AID", ["CAN"], ["SDN"]) in shared
        counted = store.con.execute("SELECT count(*) FROM event_clusters WHERE counted").fetchall()[0][0]
        assert counted == raw - len(shared)


@pytest.mark.slow
def test_code_command_deduplicates_a_republished_story(tmp_path, capsys):
    from diurna.cli import main
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SOURCE_A, encoding="utf-8")
    (folder / "b.txt").write_text(SOURCE_A.replace("Canada sends aid", "Canada sends food"), encoding="utf-8")
    db = str(tmp_path / "c.duckdb")
    assert main(["code", str(folder), "--db", db, "--quiet"]) == 0
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM document_links").fetchall() == [(1,)]
    raw, counted = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE counted) FROM event_clusters").fetchall()[0]
    assert raw >= 2 and counted == raw // 2


def test_dedup_command_catches_up_an_unindexed_store(tmp_path, capsys):
    from diurna.cli import main
    store = store_with(tmp_path, [doc("a", [ev("a1", "AID", ["USA"], ["UKR"])])])
    store.con.execute("DELETE FROM event_clusters")
    store.con.execute("DELETE FROM document_lsh")
    store.close()
    assert main(["dyads", "--db", str(tmp_path / "s.duckdb")]) == 1
    assert "diurna dedup" in capsys.readouterr().err
    assert main(["dedup", "--db", str(tmp_path / "s.duckdb")]) == 0
    assert capsys.readouterr().out.startswith("1 documents fingerprinted")
    assert main(["dedup", "--db", str(tmp_path / "s.duckdb"), "--list"]) == 0    # nothing left to do:
    assert capsys.readouterr().out.startswith("near-duplicate documents: 0\n")    # the list comes first
    assert main(["dedup", "--db", str(tmp_path / "s.duckdb")]) == 0
    assert capsys.readouterr().out.startswith("already up to date")
    assert main(["dyads", "--db", str(tmp_path / "s.duckdb"), "--by", "all", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("USA,UKR,1,")
