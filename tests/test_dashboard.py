"""The dashboard end to end: `diurna serve` over the coded sample articles, driven in headless Chromium."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlencode

import pytest

from conftest import SAMPLES
from diurna.records import ActorRef, CodedDocument, Entity, Event, Place, Span

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = "body[data-ready=true]:not([data-busy])"

pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from diurna.store.dedup import index_is_current, refresh_dedup
    from diurna.store.database import Store

    db = tmp_path_factory.mktemp("dashboard") / "sample.duckdb"
    subprocess.run([sys.executable, "-m", "diurna", "code", str(SAMPLES), "--db", str(db), "--quiet"],
                   check=True)
    with Store(db) as store:                  # the analysis index, if storing did not build it
        if not index_is_current(store.con):
            refresh_dedup(store.con)
    with serving(db) as base:
        yield base


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """`diurna serve` over ``db`` on a free port, stopped at the end; yields its address."""
    from serving import free_port, start_server, wait_until_up

    port = free_port()
    process = start_server(str(db), port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def api(server, path, **params):
    query = f"?{urlencode(params)}" if params else ""
    with urllib.request.urlopen(f"{server}{path}{query}") as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def dashboard(browser, base: str) -> Iterator:
    """A fresh page on the dashboard that fails the test on script errors or outside requests;
    ``page.requested`` lists every address the page asked for."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.requested = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)

    def only_local(route):
        page.requested.append(route.request.url)
        if route.request.url.startswith(base):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()
    page.route("**/*", only_local)
    page.goto(base + "/")
    page.wait_for_selector(IDLE)
    yield page
    context.close()
    assert problems == []


@pytest.fixture
def page(browser, server):
    with dashboard(browser, server) as page:
        yield page


def rows(page) -> list[dict]:
    """The events table as dicts of its visible cells."""
    return page.eval_on_selector_all("#events tbody tr", """trs => trs.map(tr => {
        const c = [...tr.cells].map(td => td.innerText.trim());
        return {id: tr.dataset.event, date: c[0], type: c[1].split(/\\s/)[0], actor: c[2], recipient: c[3]};
    })""")


def settle(page) -> None:
    page.wait_for_selector(IDLE)


# -- first view -------------------------------------------------------------------
def test_first_view_shows_every_panel_filled(page, server):
    counted = api(server, "/api/events", include_uncertain="false", limit=500)
    assert len(rows(page)) == counted["total"] > 0
    assert page.inner_text("#event-count") == f"{counted['total']} of {counted['total']}"
    health = api(server, "/api/health")
    assert f"{health['counts']['events']} events" in page.inner_text("#store-summary")
    assert page.locator("#timeline rect.bar").count() > 0
    assert page.locator("#timeline .score-dot").count() > 0
    assert page.locator("#network g.node").count() >= 2
    assert page.locator("#network path.edge").count() >= 1
    assert page.locator("#map path.country").count() > 150
    places = api(server, "/api/places", include_uncertain="false")["places"]
    if places:
        assert page.locator("#map g.point").count() == len(places)
    else:
        assert "No located events" in page.inner_text("#map")
    assert page.locator("#error").is_hidden()


def test_panels_have_titles_and_legends(page):
    for title in ("Events over time", "Actor network", "Where events happened", "Events", "Article"):
        assert page.get_by_role("heading", name=title, exact=True).is_visible()
    legends = page.inner_text("#timeline-legend")
    assert "Material conflict" in legends and "mean score" in legends
    assert "Click an event" in page.inner_text("#article-body")


# -- filters ----------------------------------------------------------------------
def test_event_type_filter(page, server):
    page.select_option("select[name=event]", "ASSAULT")
    settle(page)
    shown = rows(page)
    want = api(server, "/api/events", event="ASSAULT", include_uncertain="false", limit=500)["total"]
    assert len(shown) == want > 0
    assert {r["type"] for r in shown} == {"ASSAULT"}
    assert "event=ASSAULT" in page.url                     # the view can be bookmarked


def test_actor_and_recipient_filters(page, server):
    page.fill("input[name=actor]", "rus")
    page.press("input[name=actor]", "Enter")
    settle(page)
    shown = rows(page)
    assert shown and all("RUS" in r["actor"].split(" + ") for r in shown)
    page.fill("input[name=recipient]", "UKR")
    page.press("input[name=recipient]", "Enter")
    settle(page)
    both = rows(page)
    want = api(server, "/api/events", actor="RUS", recipient="UKR", include_uncertain="false")["total"]
    assert len(both) == want > 0 and all("UKR" in r["recipient"] for r in both)


def test_quad_class_and_uncertain_filters(page, server):
    page.select_option("select[name=quad]", "4")
    settle(page)
    assert page.locator("#events tbody .tag").all_inner_texts() == ["Q4"] * len(rows(page))
    page.check("input[name=include_uncertain]")
    settle(page)
    want = api(server, "/api/events", quad="4", include_uncertain="true")["total"]
    assert len(rows(page)) == want


def test_date_range_filter_and_clear(page, server):
    everything = len(rows(page))
    page.fill("input[name=since]", "2024-06-01")
    page.fill("input[name=until]", "2024-11-30")
    page.click("button[type=submit]")
    settle(page)
    shown = rows(page)
    assert shown and all("2024-06-01" <= r["date"] <= "2024-11-30" for r in shown)
    assert len(shown) == api(server, "/api/events", since="2024-06-01", until="2024-11-30",
                             include_uncertain="false")["total"]
    page.click("button[type=reset]")
    settle(page)
    assert len(rows(page)) == everything


def test_no_match_shows_an_empty_state(page):
    page.fill("input[name=actor]", "ZZZ")
    page.press("input[name=actor]", "Enter")
    settle(page)
    assert rows(page) == []
    assert page.locator("#events-empty").is_visible()
    assert "No events match" in page.inner_text("#timeline")
    assert "No actors" in page.inner_text("#network")


def test_clicking_a_network_node_filters_by_that_actor(page):
    node = page.locator("#network g.node").first
    code = node.get_attribute("data-code")
    node.click()
    settle(page)
    assert page.input_value("input[name=actor]") == code
    assert all(code in r["actor"].split(" + ") for r in rows(page))


# -- click-through ------------------------------------------------------------------
def test_clicking_an_event_shows_its_article_with_the_spans_marked(page, server):
    target = next(r for r in rows(page) if r["recipient"] != "—")
    page.click(f"#events tbody tr[data-event='{target['id']}']")
    page.wait_for_selector("#article-body mark.hl-trigger")
    event = api(server, f"/api/events/{target['id']}")
    body = page.locator("#article-body")
    assert body.locator("h3").inner_text() == event["document"]["title"]
    assert body.locator("mark.hl-trigger").first.inner_text() == event["trigger"]["text"]
    actors = body.locator("mark.hl-actor").all_inner_texts()
    recipients = body.locator("mark.hl-recipient").all_inner_texts()
    def placed(side):
        return {arg["entity_text"] for arg in event["evidence"][side] if arg["start"] is not None}
    assert placed("actor") <= set(actors)
    assert placed("recipient") <= set(recipients)
    assert recipients, "the chosen event has a recipient, so one should be marked"
    assert page.locator(f"#events tbody tr[data-event='{target['id']}']").get_attribute("class") == "selected"
    box = page.locator(".article-scroll").bounding_box()
    mark = body.locator("mark.hl-trigger").first.bounding_box()
    assert box["y"] <= mark["y"] <= box["y"] + box["height"]          # scrolled into view


def test_keyboard_opens_an_event_too(page):
    page.focus("#events tbody tr >> nth=1")
    page.keyboard.press("Enter")
    page.wait_for_selector("#article-body mark.hl-trigger")


def test_narrow_screen_stacks_the_panels(browser, server):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_selector(IDLE)
    timeline = page.locator(".timeline-panel").bounding_box()
    table = page.locator(".events-panel").bounding_box()
    assert table["width"] == pytest.approx(timeline["width"], abs=2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


# -- paging, with the API's answers reshaped in the browser ------------------------------------
def test_load_more_appends_the_next_pages_without_repeats(page, server):
    def small_pages(route):
        url = route.request.url
        if "/api/events?" in url and "located=" not in url:
            url = url.replace("limit=50", "limit=4")
        route.continue_(url=url)
    page.route("**/api/events?*", small_pages)
    page.reload()
    settle(page)
    total = api(server, "/api/events", include_uncertain="false")["total"]
    assert len(rows(page)) == 4 and page.locator("#more").is_visible()
    for _ in range(total):                             # bounded: a page per click at least
        if not page.locator("#more").is_visible():
            break
        before = len(rows(page))
        page.click("#more")
        page.locator("#events tbody tr").nth(before).wait_for()
    assert page.locator("#more").is_hidden()
    ids = [r["id"] for r in rows(page)]
    assert len(ids) == len(set(ids)) == total
    assert page.inner_text("#event-count") == f"{total} of {total}"


# -- the map ---------------------------------------------------------------------------------
# A store whose events happened in known places: each place with the quad classes of its
# events; Mali is known only as a country (no coordinates) and one event has no place at all.
CODES = ["USA", "CHN", "RUS", "UKR", "FRA", "DEU", "GBR", "JPN", "IND", "BRA"]
QUAD_EVENTS = {1: ("CONSULT", "met", 1.0), 2: ("AID", "aided", 7.0),
               3: ("ACCUSE", "accused", -2.0), 4: ("ASSAULT", "attacked", -9.0)}
PLACED = [(Place("Kyiv", "UKR", 50.45, 30.52), [4, 4, 4, 3, 3, 1]),
          (Place("Gaza", "PSE", 31.5, 34.47), [4] * 9),
          (Place("Brussels", "BEL", 50.85, 4.35), [1, 2]),
          (Place("Manila", "PHL", 14.6, 120.98), [3]),
          (Place("Buenos Aires", "ARG", -34.6, -58.38), [2]),
          (Place("Mali", "MLI"), [4, 3]),
          (None, [1])]


def placed_document() -> CodedDocument:
    """One sentence per event, 'USA attacked CHN in Kyiv.', each with its own actor pair (so
    no two are counted as one) and its own day in January 2024."""
    text, actors, events = "", [], []
    pairs = iter([(a, b) for a in CODES for b in CODES if a != b])
    for place, quads in PLACED:
        for quad in quads:
            (a, b), (event, verb, score), n = next(pairs), QUAD_EVENTS[quad], len(events)
            start = len(text)
            sentence = f"{a} {verb} {b} in {place.name if place else 'private'}."
            text += sentence + " "
            verb_at = start + len(a) + 1
            b_at = verb_at + len(verb) + 1
            actors += [ActorRef(a, start, start + len(a), a), ActorRef(b, b_at, b_at + len(b), b)]
            events.append(Event(
                id=f"placed#{n:02d}", event=event, actor=(Entity(a, None, a),), recipient=(Entity(b, None, b),),
                trigger=Span(verb, verb_at, verb_at + len(verb)), sentence=Span(sentence, start, start + len(sentence)),
                date=f"2024-01-{n + 1:02d}", date_precision="day", event_loc=place,
                confidence=0.9, quad_class=quad, score=score))
    return CodedDocument("placed", "2024-02-01", text.strip(), actors=tuple(actors), events=tuple(events),
                         title="Where things happened")


@pytest.fixture(scope="module")
def placed_server(tmp_path_factory):
    from diurna.store.database import Store
    from diurna.store.dedup import refresh_dedup

    db = tmp_path_factory.mktemp("placed") / "placed.duckdb"
    with Store(db) as store:
        store.write([placed_document()])
        refresh_dedup(store.con)
    with serving(db) as base:
        yield base


@pytest.fixture
def placed_page(browser, placed_server):
    with dashboard(browser, placed_server) as page:
        yield page


def points(page) -> dict[str, dict]:
    """The map's places, by the event each opens: centre on screen, radius, events, wedges."""
    found = page.eval_on_selector_all("#map g.point", """gs => gs.map(g => {
        const box = g.getBoundingClientRect();
        return {event: g.dataset.event, events: +g.dataset.events, r: +g.dataset.r,
                x: box.x + box.width / 2, y: box.y + box.height / 2, country_only: g.classList.contains("country-only"),
                classes: [...g.children].filter(c => c.tagName !== "title").map(c => c.getAttribute("class")),
                title: g.querySelector("title").textContent};
    })""")
    return {p["event"]: p for p in found}


def places_by_name(base: str, **filters) -> dict[str, dict]:
    answer = api(base, "/api/places", include_uncertain="false", **filters)
    return {place["names"][0]: place for place in answer["places"]}


def test_the_map_draws_the_countries_and_a_disc_per_place(placed_page, placed_server):
    assert placed_page.locator("#map path.country").count() > 150
    places = places_by_name(placed_server)
    shown = points(placed_page)
    assert set(shown) == {p["latest_event"] for p in places.values()} and len(shown) == 6
    for name, place in places.items():
        point = shown[place["latest_event"]]
        assert point["events"] == place["events"], name
        assert set(point["classes"]) - {"q0", "ring"} == {f"q{q}" for q in (1, 2, 3, 4) if place[f"quad{q}"]}, name
        assert name in point["title"] and f"{place['events']} event" in point["title"]
    gaza, brussels = shown[places["Gaza"]["latest_event"]], shown[places["Brussels"]["latest_event"]]
    assert gaza["r"] ** 2 / brussels["r"] ** 2 == pytest.approx(9 / 2, rel=0.01)      # area ∝ count
    assert [p["country_only"] for p in shown.values()].count(True) == 1
    assert shown[places["Mali"]["latest_event"]]["country_only"]
    assert "6 places, 21 of 22 counted events (1 without a place)" in placed_page.inner_text("#map")


@pytest.mark.parametrize("name, country_id", [("Kyiv", "804"), ("Manila", "608"),
                                               ("Buenos Aires", "032"), ("Mali", "466")])
def test_a_place_is_drawn_inside_its_country(placed_page, placed_server, name, country_id):
    point = points(placed_page)[places_by_name(placed_server)[name]["latest_event"]]
    box = placed_page.locator(f"#map path.country[data-id='{country_id}']").bounding_box()
    assert box["width"] < 60                    # the country's shape, not a band across the map
    assert box["x"] <= point["x"] <= box["x"] + box["width"]
    assert box["y"] <= point["y"] <= box["y"] + box["height"]


def test_a_filter_changes_the_points(placed_page, placed_server):
    before = points(placed_page)
    placed_page.select_option("select[name=quad]", "4")
    settle(placed_page)
    after = points(placed_page)
    want = places_by_name(placed_server, quad="4")
    assert set(after) == {p["latest_event"] for p in want.values()} != set(before)
    assert all(set(p["classes"]) - {"ring"} == {"q4"} for p in after.values())
    assert sum(p["events"] for p in after.values()) == 9 + 3 + 1
    placed_page.fill("input[name=actor]", "ZZZ")
    placed_page.press("input[name=actor]", "Enter")
    settle(placed_page)
    assert points(placed_page) == {} and "No events match" in placed_page.inner_text("#map")


def test_clicking_a_place_opens_its_newest_event(placed_page, placed_server):
    newest = places_by_name(placed_server)["Kyiv"]["latest_event"]
    placed_page.click(f"#map g.point[data-event='{newest}']")
    placed_page.wait_for_selector("#article-body mark.hl-trigger")
    event = api(placed_server, f"/api/events/{quote(newest, safe='')}")
    assert placed_page.locator("#article-body mark.hl-trigger").first.inner_text() == event["trigger"]["text"]
    assert event["date"] == max(e.date for e in placed_document().events
                                if e.event_loc and e.event_loc.name == "Kyiv")
    assert event["sentence"]["text"] in placed_page.inner_text("#article-body")


def test_the_map_comes_from_the_server_itself(placed_page, placed_server):
    assert f"{placed_server}/static/data/countries-110m.json" in placed_page.requested
    assert all(url.startswith(placed_server) for url in placed_page.requested)
