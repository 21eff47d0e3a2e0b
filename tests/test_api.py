"""The HTTP API in-process: every endpoint, the filters, cursor pages, one error shape, read-only."""
from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from urllib.parse import quote

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the API needs the web extra: pip install -e '.[web]'")
from fastapi.testclient import TestClient  # noqa: E402  (after the skip)

from conftest import SAMPLES
from diurna.web import queries as api_queries
from diurna.events.spec import CoderSpec
from diurna.web.app import STATIC_DIR, Settings, create_app
from diurna.store.dedup import index_is_current, refresh_dedup
from diurna.records import ActorRef, CodedDocument, Entity, Event, Place, Span
from diurna.store.database import Store

PAIRS = [("USA", "GOV", "Washington", "CHN", None, "Beijing"),
         ("RUS", "MIL", "Moscow", "UKR", None, "Kyiv"),
         ("FRA", None, "Paris", "DEU", "GOV", "Berlin")]
TYPES = [("ACCUSE", "accused", 3, -2.0), ("AID", "aided", 2, 7.0),
         ("ASSAULT", "attacked", 4, -9.0), ("CONSULT", "met", 1, 1.0)]
DATES = ["2024-01-05", "2024-01-05", "2024-02-10", None, "2024-03-01"]   # ties and undated ones
ODD_DOC_ID = "wire/odd id'; DROP TABLE events; --"


def _doc(doc_id: str, published: str, count: int, offset: int = 0) -> CodedDocument:
    """A document of `count` one-event sentences, 'Washington accused Beijing on day 3.'"""
    text, events, actors = "", [], []
    for i in range(offset, offset + count):
        a_code, a_sector, a_text, r_code, r_sector, r_text = PAIRS[i % len(PAIRS)]
        event_type, verb, quad, score = TYPES[i % len(TYPES)]
        start = len(text)
        sentence = f"{a_text} {verb} {r_text} on day {i}."
        text += sentence + " "
        verb_at = start + len(a_text) + 1
        recipient_at = verb_at + len(verb) + 1
        actors += [ActorRef(a_text, start, start + len(a_text), a_code, a_sector),
                   ActorRef(r_text, recipient_at, recipient_at + len(r_text), r_code, r_sector)]
        events.append(Event(
            id=f"{doc_id}#{i:03d}", event=event_type,
            actor=(Entity(a_code, a_sector, a_text),), recipient=(Entity(r_code, r_sector, r_text),),
            trigger=Span(verb, verb_at, verb_at + len(verb)),
            sentence=Span(sentence, start, start + len(sentence)),
            aux="future" if i % 7 == 3 else "hypothetical" if i % 11 == 5 else None,
            date=DATES[i % len(DATES)], date_precision="day" if DATES[i % len(DATES)] else None,
            event_loc=Place("Geneva", "CHE", 46.2, 6.15, 2660646, "Genève", "city") if i % 5 == 0 else None,
            confidence=0.8, quad_class=quad, score=score))
    return CodedDocument(doc_id, published, text.strip(), actors=tuple(actors), events=tuple(events),
                         title=f"Report {doc_id}", url=f"https://example.org/{i}")


DOCS = [_doc("alpha", "2024-01-06", 30), _doc("beta", "2024-03-02", 25, offset=30),
        _doc(ODD_DOC_ID, "2024-02-11", 8, offset=55)]
ALL_EVENTS = [e for d in DOCS for e in d.events]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "events.duckdb"
    with Store(path) as store:
        store.write(DOCS)
        refresh_dedup(store.con)             # the analysis index the counts read
    return path


@pytest.fixture(scope="module")
def client(store_path):
    with TestClient(create_app(Settings(db=str(store_path))), raise_server_exceptions=False) as c:
        yield c


def events(client, **params) -> list[dict]:
    response = client.get("/api/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["events"]


def assert_error(response, status: int, parameter: str | None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "parameter"}
    assert body["error"]["status"] == status
    assert body["error"]["parameter"] == parameter
    if parameter:
        assert body["error"]["message"].startswith(f"{parameter}:"), body["error"]["message"]
    return body["error"]["message"]


# -- health, meta, OpenAPI -------------------------------------------------------
def test_health_reports_the_store(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["counts"] == {"documents": 3, "events": len(ALL_EVENTS),
                              "actor_mentions": 2 * len(ALL_EVENTS)}
    assert body["code_enabled"] is False


def test_meta_lists_the_filter_choices(client):
    body = client.get("/api/meta").json()
    assert "ASSAULT" in body["event_types"] and body["quad_classes"]["4"] == "Material conflict"
    assert (body["first_date"], body["last_date"]) == ("2024-01-05", "2024-03-01")


def test_openapi_describes_every_endpoint_and_the_error_shape(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}", "/api/actors",
                 "/api/dyads", "/api/timeline", "/api/network", "/api/places", "/api/health", "/api/code"):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "actor", "recipient", "sector", "event", "quad", "aux",
            "include_uncertain", "doc_id", "limit", "cursor", "located"} <= params
    for path, methods in paths.items():
        for method, operation in methods.items():
            if operation.get("parameters") or operation.get("requestBody"):
                ref = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (path, method)
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_openapi_matches_what_the_events_endpoint_returns(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    event = events(client, limit=1)[0]
    assert set(event) == set(schema["StoredEvent"]["properties"])
    detail = client.get(event["links"]["event"]).json()
    assert set(detail) == set(schema["EventDetail"]["properties"])


# -- /api/events: filters --------------------------------------------------------
def test_events_default_to_every_event_as_the_cli_does(client):
    body = client.get("/api/events", params={"limit": 500}).json()
    assert body["total"] == len(ALL_EVENTS) == len(body["events"])
    assert body["next_cursor"] is None


@pytest.mark.parametrize("params, keep", [
    ({"actor": "usa"}, lambda e: e.actor[0].code == "USA"),
    ({"recipient": "UKR,DEU"}, lambda e: e.recipient[0].code in ("UKR", "DEU")),
    ({"sector": "MIL"}, lambda e: e.actor[0].sector == "MIL"),
    ({"event": "ACCUSE,AID"}, lambda e: e.event in ("ACCUSE", "AID")),
    ({"quad": "4"}, lambda e: e.quad_class == 4),
    ({"since": "2024-02-01"}, lambda e: e.date is not None and e.date >= "2024-02-01"),
    ({"until": "2024-01-31"}, lambda e: e.date is not None and e.date <= "2024-01-31"),
    ({"include_uncertain": "false"}, lambda e: e.aux is None),
    ({"aux": "future"}, lambda e: e.aux == "future"),
    ({"doc_id": "beta"}, lambda e: e.id.startswith("beta#")),
    ({"located": "true"}, lambda e: e.event_loc is not None),
    ({"actor": "RUS", "quad": "4,3", "since": "2024-01-01"},
     lambda e: e.actor[0].code == "RUS" and e.quad_class in (3, 4) and e.date is not None),
])
def test_each_filter_keeps_exactly_the_matching_events(client, params, keep):
    got = {e["id"] for e in events(client, **params)}
    want = {e.id for e in ALL_EVENTS if keep(e)}
    assert want and got == want


def test_event_records_carry_their_arguments_and_links(client):
    event = next(e for e in events(client, doc_id="alpha") if e["id"] == "alpha#000")
    assert event["actor"] == [{"code": "USA", "sector": "GOV", "entity_text": "Washington"}]
    assert event["recipient"][0]["code"] == "CHN"
    assert event["event_loc"] == {"name": "Geneva", "country": "CHE", "lat": 46.2, "lon": 6.15,
                                  "geonameid": 2660646, "province": "Genève", "resolution": "city"}
    assert event["document"]["title"] == "Report alpha"
    assert event["links"]["event"] == "/api/events/alpha%23000"


# -- /api/events: pages ----------------------------------------------------------
def _walk(client, limit: int, **params) -> list[str]:
    ids, cursor = [], None
    for _ in range(100):
        body = client.get("/api/events", params={"limit": limit, "cursor": cursor, **params}).json()
        ids += [e["id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids
    raise AssertionError("pages never ended")


def test_pages_cover_every_event_once_in_date_then_id_order(client):
    ids = _walk(client, limit=7)
    by_id = {e.id: e for e in ALL_EVENTS}
    expected = sorted(by_id, key=lambda i: (by_id[i].date is None, _neg(by_id[i].date), i))
    assert ids == expected


def _neg(day: str | None) -> tuple:
    return tuple(-int(part) for part in day.split("-")) if day else ()


@pytest.mark.parametrize("limit", [1, 4, 13, 500])
def test_page_size_does_not_change_the_sequence(client, limit):
    assert _walk(client, limit) == _walk(client, 9)


def test_pages_respect_the_filters(client):
    assert _walk(client, 3, actor="RUS") == [e["id"] for e in events(client, actor="RUS")]


def test_a_cursor_gives_the_same_page_every_time(client):
    first = client.get("/api/events", params={"limit": 10}).json()
    again = [client.get("/api/events", params={"limit": 10, "cursor": first["next_cursor"]}).json()
             for _ in range(2)]
    assert again[0] == again[1]
    assert not {e["id"] for e in first["events"]} & {e["id"] for e in again[0]["events"]}


@pytest.mark.parametrize("cursor", ["zzz", "W10", "WyIyMDI0IiwgMV0", "eyJhIjogMX0"])
def test_a_forged_cursor_is_a_422_on_cursor(client, cursor):
    assert_error(client.get("/api/events", params={"cursor": cursor}), 422, "cursor")


# -- one event, one document ------------------------------------------------------
def test_event_detail_locates_actor_trigger_and_recipient_in_the_text(client):
    for event in events(client, doc_id=ODD_DOC_ID):
        detail = client.get(event["links"]["event"]).json()
        text = client.get(detail["links"]["document"]).json()["text"]
        evidence = detail["evidence"]
        trigger, sentence = evidence["trigger"], evidence["sentence"]
        assert text[trigger["start"]:trigger["end"]] == trigger["text"]
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        for side in ("actor", "recipient"):
            for arg in evidence[side]:
                assert text[arg["start"]:arg["end"]] == arg["entity_text"]
                assert sentence["start"] <= arg["start"] < sentence["end"]
        assert {m["code"] for m in evidence["mentions"]} == {detail["actor"][0]["code"],
                                                           detail["recipient"][0]["code"]}


def test_document_has_its_text_mentions_and_events(client):
    doc = client.get(f"/api/documents/{quote(ODD_DOC_ID, safe='')}").json()
    assert doc["doc_id"] == ODD_DOC_ID and doc["title"] == f"Report {ODD_DOC_ID}"
    assert len(doc["events"]) == 8 and len(doc["actors"]) == 16
    for mention in doc["actors"]:
        assert doc["text"][mention["start"]:mention["end"]] == mention["text"]
    assert all(e["evidence"]["actor"][0]["start"] is not None for e in doc["events"])


def test_unknown_event_and_document_are_404_naming_the_parameter(client):
    assert "nope" in assert_error(client.get("/api/events/nope"), 404, "event_id")
    assert_error(client.get("/api/documents/nope"), 404, "doc_id")


def test_unknown_paths_and_methods_get_the_same_error_shape(client):
    assert_error(client.get("/api/nothing-here"), 404, None)
    assert_error(client.delete("/api/events"), 405, None)
    assert client.delete("/api/events").headers["allow"] == "GET"


# -- 4xx messages name the parameter ---------------------------------------------
@pytest.mark.parametrize("path, params, parameter", [
    ("/api/events", {"since": "2024-13-01"}, "since"),
    ("/api/events", {"until": "yesterday"}, "until"),
    ("/api/events", {"since": "2024-05-01", "until": "2024-01-01"}, "since"),
    ("/api/events", {"event": "INVADE"}, "event"),
    ("/api/events", {"quad": "5"}, "quad"),
    ("/api/events", {"quad": "one"}, "quad"),
    ("/api/events", {"aux": "maybe"}, "aux"),
    ("/api/events", {"include_uncertain": "perhaps"}, "include_uncertain"),
    ("/api/events", {"limit": "0"}, "limit"),
    ("/api/events", {"limit": "100000"}, "limit"),
    ("/api/events", {"located": "where"}, "located"),
    ("/api/events", {"actor": "X" * 2000}, "actor"),
    ("/api/actors", {"top": "-1"}, "top"),
    ("/api/dyads", {"by": "fortnight"}, "by"),
    ("/api/timeline", {"by": "decade"}, "by"),
    ("/api/timeline", {"actors": "USA,CHN,RUS"}, "actors"),
    ("/api/network", {"top": "many"}, "top"),
    ("/api/network", {"event": "FOO"}, "event"),
    ("/api/places", {"top": "0"}, "top"),
    ("/api/places", {"quad": "7"}, "quad"),
])
def test_bad_parameters_are_422_naming_the_parameter(client, path, params, parameter):
    assert_error(client.get(path, params=params), 422, parameter)


def test_a_crash_is_a_500_in_the_same_shape_without_details(client, monkeypatch):
    def broken(cur):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(api_queries, "store_summary", broken)
    message = assert_error(client.get("/api/health"), 500, None)
    assert "secret" not in message


# -- read-only --------------------------------------------------------------------
INJECTIONS = ["USA' OR '1'='1", "USA); DROP TABLE events; --", "' UNION SELECT * FROM documents --"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_looking_values_are_plain_data(client, store_path, value):
    for name in ("actor", "recipient", "sector", "doc_id"):
        assert events(client, **{name: value}) == []
    assert client.get("/api/actors", params={"actor": value}).json() == {"actors": []}
    assert_error(client.get(f"/api/events/{quote(value, safe='')}"), 404, "event_id")
    assert_error(client.get("/api/events", params={"event": value}), 422, "event")
    assert client.get("/api/health").json()["counts"]["events"] == len(ALL_EVENTS)


def test_the_server_connection_cannot_write_or_read_files(client):
    con = client.app.state.con
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE sneaky (x INTEGER)")
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM events")
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv('/etc/passwd')")


def test_no_endpoint_but_code_accepts_a_write_method(client):
    schema = client.get("/api/openapi.json").json()
    writes = [(path, m) for path, ops in schema["paths"].items() for m in ops if m != "get"]
    assert writes == [("/api/code", "post")]


def test_a_missing_store_is_refused_at_start(tmp_path):
    from diurna.errors import StoreError
    with pytest.raises(StoreError, match="no event store"):
        create_app(Settings(db=str(tmp_path / "absent.duckdb")))


# -- counts ------------------------------------------------------------------------
def test_actors_counts_either_side(client):
    actors = client.get("/api/actors", params={"top": 3, "include_uncertain": "true"}).json()["actors"]
    assert len(actors) == 3
    usa = client.get("/api/actors", params={"actor": "USA", "include_uncertain": "true"}).json()["actors"]
    assert {a["actor"] for a in usa} == {"USA", "CHN"}
    assert usa[0]["as_actor"] + usa[0]["as_recipient"] >= usa[0]["events"] > 0


def test_counts_leave_out_uncertain_events_unless_asked(client):
    # dedup=false: count every stored report, whatever the dedup clusters say
    def acting(**params):
        found = client.get("/api/actors", params={"dedup": "false", **params}).json()["actors"]
        return sum(a["as_actor"] for a in found)
    sure, every = acting(), acting(include_uncertain="true")
    assert sure == sum(1 for e in ALL_EVENTS if e.aux is None)
    assert every == len(ALL_EVENTS)


def test_dyads_by_period_and_overall(client):
    monthly = client.get("/api/dyads", params={"by": "month"}).json()
    assert monthly["by"] == "month" and all(d["period"] for d in monthly["dyads"])
    overall = client.get("/api/dyads", params={"by": "all", "actor": "RUS"}).json()["dyads"]
    assert [(d["actor"], d["recipient"]) for d in overall] == [("RUS", "UKR")]
    assert sum(overall[0][f"quad{q}"] for q in (1, 2, 3, 4)) == overall[0]["events"]


def test_timeline_covers_every_period_and_adds_up(client):
    params = {"by": "month", "include_uncertain": "true", "dedup": "false"}
    body = client.get("/api/timeline", params=params).json()
    assert [p["period"] for p in body["periods"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert sum(p["events"] for p in body["periods"]) + body["undated"] == body["total"] == len(ALL_EVENTS)
    for p in body["periods"]:
        assert sum(p[f"quad{q}"] for q in (1, 2, 3, 4)) == p["events"]
    weekly = client.get("/api/timeline", params={"by": "week"}).json()["periods"]
    assert any(p["events"] == 0 for p in weekly)       # empty weeks are kept, zeroed


def test_timeline_of_one_actor(client):
    body = client.get("/api/timeline", params={"actors": "usa", "by": "year", "include_uncertain": "true",
                                               "dedup": "false"}).json()
    assert body["actors"] == ["USA"]
    usa_acts = sum(1 for e in ALL_EVENTS if e.actor[0].code == "USA")
    assert sum(p["as_actor"] for p in body["periods"]) == usa_acts


def test_network_is_node_link_json_of_the_actors_and_their_pairs(client):
    body = client.get("/api/network").json()
    assert body["directed"] is True
    assert {n["id"] for n in body["nodes"]} == {code for pair in PAIRS for code in (pair[0], pair[3])}
    assert {(link["source"], link["target"]) for link in body["links"]} == {(p[0], p[3]) for p in PAIRS}
    usa = next(link for link in body["links"] if link["source"] == "USA")
    assert sum(usa["types"].values()) == usa["weight"] == sum(usa[f"quad{q}"] for q in (1, 2, 3, 4))


def test_network_keeps_the_busiest_actors_and_only_their_links(client):
    body = client.get("/api/network", params={"top": 2, "include_uncertain": "true"}).json()
    ids = [n["id"] for n in body["nodes"]]
    assert len(ids) == 2
    assert all(link["source"] in ids and link["target"] in ids for link in body["links"])


# -- the map's places ------------------------------------------------------------------
# Two names for one point, another point, a country without coordinates, and two kinds of
# event the map cannot place (no place at all; a name with neither coordinates nor country).
MAP_PLACES = [Place("Kyiv", "UKR", 50.45, 30.52), Place("Kiev", "UKR", 50.45, 30.52),
              Place("Geneva", "CHE", 46.2, 6.15), Place("Donbas", "UKR"), None, Place("Somewhere")]


@pytest.fixture(scope="module")
def places_client(tmp_path_factory):
    base = _doc("placed", "2024-01-06", 24)
    placed = tuple(replace(e, event_loc=MAP_PLACES[i % len(MAP_PLACES)]) for i, e in enumerate(base.events))
    path = tmp_path_factory.mktemp("places") / "placed.duckdb"
    with Store(path) as store:
        store.write([replace(base, events=placed)])
        refresh_dedup(store.con)
    with TestClient(create_app(Settings(db=str(path))), raise_server_exceptions=False) as c:
        yield c, placed


def _newest(group: list[Event]) -> str:
    """The event the map opens for a place: newest date first, undated last, then by id."""
    return sorted(group, key=lambda e: (e.date is None, _neg(e.date), e.id))[0].id


def test_places_group_events_by_point_or_country(places_client):
    client, placed = places_client
    body = client.get("/api/places", params={"dedup": "false", "include_uncertain": "true"}).json()
    kyiv = [e for e in placed if e.event_loc and e.event_loc.name in ("Kyiv", "Kiev")]
    donbas = [e for e in placed if e.event_loc and e.event_loc.name == "Donbas"]
    geneva = [e for e in placed if e.event_loc and e.event_loc.name == "Geneva"]
    by_names = {tuple(p["names"]): p for p in body["places"]}
    assert set(by_names) == {("Kiev", "Kyiv"), ("Donbas",), ("Geneva",)}
    for names, group in ((("Kiev", "Kyiv"), kyiv), (("Donbas",), donbas), (("Geneva",), geneva)):
        place = by_names[names]
        assert place["events"] == len(group)
        for q in (1, 2, 3, 4):
            assert place[f"quad{q}"] == sum(1 for e in group if e.quad_class == q)
        assert place["latest_event"] == _newest(group)
    assert (by_names[("Kiev", "Kyiv")]["lat"], by_names[("Kiev", "Kyiv")]["lon"]) == (50.45, 30.52)
    assert by_names[("Donbas",)]["lat"] is None and by_names[("Donbas",)]["country"] == "UKR"
    assert by_names[("Donbas",)]["country_numeric"] == "804"      # the id of Ukraine's shape
    assert by_names[("Geneva",)]["country_numeric"] == "756"
    assert [p["events"] for p in body["places"]] == sorted((p["events"] for p in body["places"]), reverse=True)
    assert body["total"] == len(placed)
    assert body["unplaced"] == sum(1 for e in placed if e.event_loc is None or e.event_loc.name == "Somewhere")
    assert sum(p["events"] for p in body["places"]) + body["unplaced"] == body["total"]


def test_places_obey_the_filters_and_top(places_client):
    client, placed = places_client
    body = client.get("/api/places", params={"quad": "4", "dedup": "false", "include_uncertain": "true"}).json()
    assert body["total"] == sum(1 for e in placed if e.quad_class == 4)
    assert body["places"] and all(p["events"] == p["quad4"] for p in body["places"])
    nothing = client.get("/api/places", params={"actor": "ZZZ"}).json()
    assert nothing == {"places": [], "total": 0, "unplaced": 0}
    busiest = client.get("/api/places", params={"top": 1, "dedup": "false", "include_uncertain": "true"}).json()
    assert [p["names"] for p in busiest["places"]] == [["Kiev", "Kyiv"]]


def test_places_count_as_the_timeline_does(places_client):
    client, _ = places_client
    for params in ({}, {"include_uncertain": "true"}, {"dedup": "false"}):
        places = client.get("/api/places", params=params).json()
        timeline = client.get("/api/timeline", params=params).json()
        assert places["total"] == timeline["total"] > 0, params


# -- POST /api/code ---------------------------------------------------------------
def test_coding_is_off_by_default(client):
    assert_error(client.post("/api/code", json={"text": "NATO invited South Korea."}), 403, None)
    assert_error(client.post("/api/code", content=b"not json"), 403, None)


@pytest.mark.slow
def test_coding_when_enabled_returns_the_document_and_stores_nothing(store_path, coder):
    app = create_app(Settings(db=str(store_path), enable_code=True))
    app.state.coder = coder                      # the session's model, already loaded
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.post("/api/code", json={"text": "NATO invited South Korea to the summit in Brussels.",
                                             "published": "2025-04-01"})
        assert response.status_code == 200, response.text
        doc = response.json()
        assert doc["text"].startswith("NATO invited") and doc["published"] == "2025-04-01"
        event = doc["events"][0]
        assert event["actor"][0]["code"] == "NATO" and event["recipient"][0]["code"] == "KOR"
        assert_error(c.post("/api/code", json={"text": "   "}), 422, "text")
        assert_error(c.post("/api/code", json={"published": "2025-01-01"}), 422, "text")
        assert_error(c.post("/api/code", json={"text": "x", "published": "soon"}), 422, "published")
        assert_error(c.post("/api/code", content=b"{not json", headers={"content-type": "application/json"}),
                     422, "body")
        assert_error(c.post("/api/code", json={"text": "x" * 200_001}), 422, "text")
        assert c.get("/api/health").json()["counts"]["events"] == len(ALL_EVENTS)


def index_for_analysis(db) -> None:
    """Build the dedup index the counts read, if storing did not (as `diurna dedup` would)."""
    with Store(db) as store:
        if not index_is_current(store.con):
            refresh_dedup(store.con)


def test_a_store_without_the_analysis_index_says_what_to_run(tmp_path):
    db = tmp_path / "raw.duckdb"
    with Store(db) as store:
        store.write(DOCS[:1])
        store.con.execute("DELETE FROM event_clusters")
    with TestClient(create_app(Settings(db=str(db))), raise_server_exceptions=False) as c:
        assert "diurna dedup" in assert_error(c.get("/api/actors"), 503, None)
        assert c.get("/api/events").status_code == 200      # listing needs no index


# -- the dashboard's files -----------------------------------------------------------
def test_dashboard_page_and_files_are_served_with_a_self_only_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and "<title>Diurna" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "app.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_dashboard_files_name_no_outside_address():
    allowed = {"http://www.w3.org/2000/svg"}           # the SVG namespace: a name, never fetched
    # what the page loads: its code, style and the map data (the map's README may cite its source)
    loaded = [p for p in STATIC_DIR.rglob("*") if p.suffix in (".html", ".js", ".css", ".json")]
    assert {p.name for p in loaded} >= {"index.html", "app.js", "app.css", "countries-110m.json"}
    for path in loaded:
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`)]*", path.read_text()))
        assert urls <= allowed, (path.name, urls - allowed)


# -- on the coded sample articles ----------------------------------------------------
@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    from diurna.cli import main
    db = tmp_path_factory.mktemp("api-sample") / "sample.duckdb"
    assert main(["code", str(SAMPLES), "--db", str(db), "--quiet"]) == 0
    index_for_analysis(db)
    with TestClient(create_app(Settings(db=str(db))), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.slow
def test_every_endpoint_answers_on_the_sample_articles(sample_client):
    first = events(sample_client)[0]
    for path in ("/api/health", "/api/meta", "/api/actors", "/api/dyads", "/api/timeline",
                 "/api/network", "/api/places", first["links"]["event"], first["links"]["document"],
                 "/api/events?quad=3,4&include_uncertain=false&since=2024-01-01"):
        assert sample_client.get(path).status_code == 200, path
    doc = sample_client.get(first["links"]["document"]).json()
    for event in doc["events"]:
        for arg in event["evidence"]["actor"] + event["evidence"]["recipient"]:
            if arg["start"] is not None:
                assert doc["text"][arg["start"]:arg["end"]] == arg["entity_text"]


# -- hostile conditions: crashes and store errors keep the error shape and the headers ------
def test_a_crash_is_a_500_with_the_security_headers(client, monkeypatch):
    monkeypatch.setattr(api_queries, "store_summary", lambda cur: 1 / 0)
    response = client.get("/api/health")
    assert response.status_code == 500
    assert response.json()["error"]["message"].startswith("internal error")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_a_store_that_cannot_be_read_is_a_503_and_health_says_so(client, monkeypatch):
    def broken(cur):
        raise duckdb.IOException("Could not read from file: checksum mismatch")
    monkeypatch.setattr(api_queries, "store_summary", broken)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert "cannot be read" in response.json()["error"]["message"]
    assert response.headers["x-content-type-options"] == "nosniff"


# -- POST /api/code under load and abuse --------------------------------------------------
@pytest.fixture(scope="module")
def coding_client(store_path):
    app = create_app(Settings(db=str(store_path), enable_code=True, code_seconds=3.0,
                              allowed_hosts=frozenset({"testserver", "localhost"})))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_a_huge_post_is_refused_before_it_is_read(coding_client):
    response = coding_client.post("/api/code", content=b"x" * (2 << 20), headers={"content-type": "application/json"})
    assert response.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"y" * 65536
    response = coding_client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_document_over_the_time_budget_is_stopped_and_the_next_is_coded():
    """The budget is made tiny here, so that any document overruns it: the worker process
    is killed mid-document, and the next document gets a fresh one."""
    from diurna.records import Article
    from diurna.settings import DEFAULT_MODEL
    from diurna.web.coding import CodingService, TooSlow

    service = CodingService(CoderSpec(DEFAULT_MODEL), seconds=0.01)
    article = Article("a", "NATO invited South Korea to the summit in Brussels.", "2025-04-01")
    try:
        started = time.monotonic()
        with pytest.raises(TooSlow, match="longer than 0.01 s"):
            service.code(article)
        assert time.monotonic() - started < 5
        service.seconds = 60
        assert service.code(article)["events"]
    finally:
        service.close()


def test_reads_stay_answered_while_posts_queue_and_a_burst_is_refused(coding_client):
    text = {"text": "NATO invited South Korea to the summit in Brussels on Thursday, officials said. " * 200}
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(coding_client.post("/api/code", json=text).status_code))
               for _ in range(12)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    assert coding_client.get("/api/health").status_code == 200
    assert time.monotonic() - started < 2
    for thread in threads:
        thread.join()
    assert 503 in statuses and 200 in statuses


def test_an_unknown_host_header_is_refused(coding_client):
    response = coding_client.get("/api/health", headers={"host": "attacker.example:8000"})
    assert response.status_code == 421
    assert coding_client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
