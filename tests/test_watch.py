"""`diurna watch` against a local HTTP server on 127.0.0.1 serving feeds and pages."""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diurna.cli import EXIT_OK, EXIT_SKIPPED, main
from diurna.ingest.feeds import Fetcher, FetchError, parse_feed
from diurna.store.database import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
FRENCH = ("Le président de la République a annoncé mardi une nouvelle série de mesures pour soutenir "
          "les agriculteurs, après plusieurs semaines de manifestations dans tout le pays. Le gouvernement "
          "prévoit également une aide de deux milliards d'euros.")
LAST_MODIFIED = formatdate(1714990000, usegmt=True)


def example_pages() -> dict[str, tuple[str, str, str]]:
    """name → (date, title, body) of the example articles."""
    pages = {}
    for path in sorted(EXAMPLES.glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        headers = dict(line.split(": ", 1) for line in head.splitlines())
        pages[path.stem] = (headers["Date"], headers["Title"], body.strip())
    return pages


PAGES = example_pages()
NAMES = sorted(PAGES)


def page_html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}.</p>" for p in body.rstrip(".").split(". "))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/subscribe'>Subscribe</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            "<footer>Copyright Example News. Cookie settings.</footer></body></html>")


def rss(items: list[str], pages: str = "/pages/") -> str:
    entries = "".join(
        f"<item><title>{PAGES[n][1] if n in PAGES else n}</title><link>{pages}{n}.html</link>"
        f"<guid>urn:example:{n}</guid>"
        f"<pubDate>{formatdate(datetime.fromisoformat(PAGES[n][0] if n in PAGES else '2024-05-06').timestamp(), usegmt=True)}</pubDate></item>"
        for n in items)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Example</title>{entries}</channel></rss>"


def atom(items: list[str]) -> str:
    entries = "".join(
        f"<entry><title>{PAGES[n][1]}</title><id>urn:atom:{n}</id>"
        f"<link href='/pages/{n}.html'/><updated>{PAGES[n][0]}T08:00:00Z</updated></entry>" for n in items)
    return f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>{entries}</feed>"


class Site:
    """What the server serves, and what it was asked for."""

    def __init__(self):
        self.rss_items = NAMES[:4] + ["french"]
        self.rss_version = 1
        self.atom_items = NAMES[4:6]
        self.requests: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.request_times: list[float] = []

    def respond(self, handler: BaseHTTPRequestHandler):
        path = handler.path
        self.requests[path] += 1
        self.request_times.append(time.monotonic())
        if path == "/rss.xml":
            etag = f'"v{self.rss_version}"'
            if handler.headers.get("If-None-Match") == etag:
                self.not_modified[path] += 1
                return 304, {"ETag": etag}, b""
            return 200, {"ETag": etag, "Content-Type": "application/rss+xml"}, rss(self.rss_items).encode()
        if path == "/atom.xml":
            if handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.not_modified[path] += 1
                return 304, {}, b""
            return 200, {"Last-Modified": LAST_MODIFIED, "Content-Type": "application/atom+xml"}, \
                atom(self.atom_items).encode()
        if path == "/broken.xml":
            return 500, {}, b"oops"
        if path == "/slow":
            time.sleep(1.5)
            return 200, {}, b"late"
        if path.startswith("/pages/") and path.endswith(".html"):
            name = path[len("/pages/"):-len(".html")]
            if name == "french":
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html("Agriculture", FRENCH).encode()
            if name in PAGES:
                _, title, body = PAGES[name]
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(title, body).encode()
        return 404, {}, b"not found"


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = site.respond(self)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass        # clients that time out on purpose close their end early


@pytest.fixture
def site():
    site = Site()
    server = QuietServer(("127.0.0.1", 0), make_handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()


def watch(db: Path, *feeds: str, extra: tuple[str, ...] = ()) -> int:
    return main(["watch", *feeds, "--db", str(db), "--once", "--host-delay", "0", *extra])


def stored(db: Path, sql: str = "SELECT doc_id FROM documents") -> list:
    with Store(db, read_only=True) as store:
        return store.con.execute(sql).fetchall()


# --------------------------------------------------------------------------- fetching and feeds
def test_fetcher_waits_between_requests_to_one_host(site):
    fetcher = Fetcher(timeout=5, host_delay=0.3)
    for _ in range(3):
        fetcher.get(site.base + "/rss.xml")
    gaps = [b - a for a, b in zip(site.request_times, site.request_times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.28


def test_fetcher_times_out_and_reports_http_errors(site):
    fetcher = Fetcher(timeout=0.3, host_delay=0)
    with pytest.raises(FetchError, match="no complete answer within 0.3 s|Timeout"):
        fetcher.get(site.base + "/slow")
    with pytest.raises(FetchError, match="HTTP 500"):
        fetcher.get(site.base + "/broken.xml")


def test_parse_feed_resolves_links_and_dates():
    entries = parse_feed(rss(NAMES[:2]).encode(), "http://h/feeds/rss.xml")
    assert [e.link for e in entries] == [f"http://h/pages/{n}.html" for n in NAMES[:2]]
    assert entries[0].published == PAGES[NAMES[0]][0] and entries[0].key == f"urn:example:{NAMES[0]}"
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>no feed</body></html>", "http://h/x")


# --------------------------------------------------------------------------- watch
@pytest.mark.slow
def test_second_poll_adds_nothing_and_honours_etag_and_last_modified(site, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    rss_url, atom_url = site.base + "/rss.xml", site.base + "/atom.xml"
    assert watch(db, rss_url, atom_url) == EXIT_SKIPPED          # the French page is skipped
    first = stored(db)
    assert len(first) == 6
    err = capsys.readouterr().err
    assert "7 new items, 6 coded, 1 skipped" in err and "not English" in err

    assert watch(db, rss_url, atom_url) == EXIT_OK
    assert stored(db) == first
    assert site.not_modified == Counter({"/rss.xml": 1, "/atom.xml": 1})
    assert "2 unchanged" in capsys.readouterr().err
    assert all(n == 1 for path, n in site.requests.items() if path.startswith("/pages/"))

    rows = stored(db, "SELECT d.title, d.url, d.published FROM documents d")
    titles = {r[0] for r in rows}
    assert PAGES[NAMES[0]][1] in titles
    assert {str(r[2]) for r in rows} <= {p[0] for p in PAGES.values()}
    assert stored(db, "SELECT reason FROM skipped")[0][0].startswith("not English")


@pytest.mark.slow
def test_a_new_item_is_fetched_once_when_the_feed_changes(site, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    watch(db, site.base + "/rss.xml")
    site.rss_items = site.rss_items + [NAMES[7]]
    site.rss_version = 2
    assert watch(db, site.base + "/rss.xml") == EXIT_OK
    assert "1 new items, 1 coded" in capsys.readouterr().err
    assert len(stored(db)) == 5
    assert all(n == 1 for path, n in site.requests.items() if path.startswith("/pages/"))


@pytest.mark.slow
def test_a_failing_feed_is_reported_and_backs_off_while_the_others_are_coded(site, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    broken = site.base + "/broken.xml"
    assert watch(db, broken, site.base + "/atom.xml") == EXIT_SKIPPED
    err = capsys.readouterr().err
    assert f"feed failed: {broken}: HTTP 500" in err and "next try in 60 s" in err
    assert len(stored(db)) == 2
    [(failures, retry_at, error)] = stored(db, "SELECT failures, retry_at, last_error FROM feeds "
                                               f"WHERE feed_url = '{broken}'")
    assert failures == 1 and retry_at is not None and error.startswith("HTTP 500")

    watch(db, broken, site.base + "/atom.xml")
    assert "feed backing off until" in capsys.readouterr().err
    assert site.requests["/broken.xml"] == 1                 # not asked again while backing off


@pytest.mark.slow
def test_an_item_whose_page_fails_is_retried_then_recorded_as_skipped(site, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    site.rss_items = ["missing-page"]
    for _ in range(3):
        watch(db, site.base + "/rss.xml")
    assert site.requests["/pages/missing-page.html"] == 3
    [(location, reason)] = stored(db, "SELECT location, reason FROM skipped")
    assert location.endswith("/pages/missing-page.html") and reason.startswith("page not fetched (HTTP 404")
    watch(db, site.base + "/rss.xml")
    assert site.requests["/pages/missing-page.html"] == 3    # given up: not fetched again


@pytest.mark.slow
def test_a_local_feed_file_with_local_pages(tmp_path, capsys):
    folder = tmp_path / "site"
    (folder / "pages").mkdir(parents=True)
    for name in NAMES[:2]:
        _, title, body = PAGES[name]
        (folder / "pages" / f"{name}.html").write_text(page_html(title, body), encoding="utf-8")
    (folder / "feed.xml").write_text(rss(NAMES[:2], pages="pages/"), encoding="utf-8")   # relative links
    db = tmp_path / "w.duckdb"
    assert watch(db, str(folder / "feed.xml")) == EXIT_OK
    assert watch(db, str(folder / "feed.xml")) == EXIT_OK
    assert len(stored(db)) == 2
    assert "0 new items, 0 coded" in capsys.readouterr().err


# --------------------------------------------------------------------------- crash safety
def watch_command(site, db: Path) -> list[str]:
    return [sys.executable, "-m", "diurna", "watch", site.base + "/rss.xml", site.base + "/atom.xml",
            "--db", str(db), "--once", "--host-delay", "0", "--quiet"]


def snapshot(db: Path) -> dict:
    queries = {"documents": "SELECT doc_id, content_hash FROM documents",
               "events": "SELECT event_id, doc_id, event FROM events",
               "event_actors": "SELECT event_id, role, position, code FROM event_actors",
               "skipped": "SELECT location, reason FROM skipped",
               "items": "SELECT feed_url, item_key, status FROM feed_items"}
    with Store(db, read_only=True) as store:
        return {k: sorted(map(repr, store.con.execute(q).fetchall())) for k, q in queries.items()}


@pytest.mark.slow
def test_watch_killed_at_random_moments_then_resumed_misses_and_repeats_nothing(site, tmp_path):
    site.rss_items = NAMES + ["french"]
    site.atom_items = NAMES[:3]                 # also in the RSS feed: one document each
    reference, crashed = tmp_path / "reference.duckdb", tmp_path / "crashed.duckdb"
    start = time.monotonic()
    subprocess.run(watch_command(site, reference), check=False, timeout=300, capture_output=True)
    full_time = time.monotonic() - start
    expected = snapshot(reference)
    assert len(expected["documents"]) == len(NAMES)

    rng = random.Random(7)
    for after in sorted(rng.uniform(0.1, full_time) for _ in range(5)):
        proc = subprocess.Popen(watch_command(site, crashed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=after)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    subprocess.run(watch_command(site, crashed), check=False, timeout=300, capture_output=True)
    assert snapshot(crashed) == expected


# --------------------------------------------------------------------------- a page that breaks the coder
class BreaksOn:
    """The real coder, except that coding an article whose text contains ``marker`` raises."""

    def __init__(self, coder, marker: str):
        self.coder, self.marker, self.model = coder, marker, coder.model

    def code_articles(self, articles):
        for article in articles:
            if self.marker in article.text:
                raise RuntimeError("the coder broke on this article")
            yield from self.coder.code_articles([article])


@pytest.mark.slow
def test_an_article_that_breaks_the_coder_is_skipped_and_the_rest_are_coded(site, tmp_path, coder):
    from diurna.run.watch import FeedWatcher

    site.rss_items = NAMES[:3]
    marker = PAGES[NAMES[1]][2].split(". ")[0]          # the first sentence of the second page
    watcher = FeedWatcher(BreaksOn(coder, marker), Fetcher(host_delay=0))
    with Store(tmp_path / "w.duckdb") as store:
        report = watcher.poll(store, [site.base + "/rss.xml"])
        assert report.coded == 2
        [skip] = report.skipped
        assert skip.reason == "coding failed (RuntimeError: the coder broke on this article)"
        assert marker in skip.text                        # what the user gave us is kept
        assert len(store.con.execute("SELECT doc_id FROM skipped").fetchall()) == 1
        again = watcher.poll(store, [site.base + "/rss.xml"])   # reported once, not retried forever
        assert (again.coded, again.skipped) == (0, [])
