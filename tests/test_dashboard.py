"""The dashboard end to end: `diurna serve` over the coded sample articles, driven in headless Chromium."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import SAMPLES

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
    from serving import free_port, start_server, wait_until_up
    from diurna.store.database import Store

    db = tmp_path_factory.mktemp("dashboard") / "sample.duckdb"
    subprocess.run([sys.executable, "-m", "diurna", "code", str(SAMPLES), "--db", str(db), "--quiet"],
                   check=True)
    with Store(db) as store:                  # the analysis index, if storing did not build it
        if not index_is_current(store.con):
            refresh_dedup(store.con)
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


@pytest.fixture
def page(browser, server):
    """A fresh page on the dashboard that fails the test on script errors or outside requests."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()
    page.route("**/*", only_local)
    page.goto(server + "/")
    page.wait_for_selector(IDLE)
    yield page
    context.close()
    assert problems == []


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
    assert page.locator("#map path.land").count() == 1
    located = api(server, "/api/events", located="true", include_uncertain="false")["total"]
    if located:
        assert page.locator("#map circle.point").count() == located
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


# -- paging and the map, with the API's answers reshaped in the browser -----------------------
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


def test_located_events_are_drawn_and_open_their_article(page, server):
    event = api(server, "/api/events", include_uncertain="false", limit=1)["events"][0]
    event["event_loc"] = {"name": "Brussels", "country": "BEL", "lat": 50.85, "lon": 4.35}
    answer = {"events": [event], "total": 1, "limit": 500, "next_cursor": None}

    def located(route):
        if "located=true" in route.request.url:
            route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))
        else:
            route.continue_()
    page.route("**/api/events?*", located)
    page.reload()
    settle(page)
    point = page.locator(f"#map circle.point[data-event='{event['id']}']")
    assert point.count() == 1 and "No located events" not in page.inner_text("#map")
    point.click()
    page.wait_for_selector("#article-body mark.hl-trigger")
    assert page.locator("#article-body h3").inner_text() == event["document"]["title"]
