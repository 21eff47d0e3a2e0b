"""A live monitor: `diurna serve --watch FEED` codes feed items into the store it serves.

A real server in a child process, a local feed on 127.0.0.1 whose items are added while
the server runs, and a SIGKILL in the middle: every item appears in /api/events within a
poll or two, and after the restart nothing is lost or doubled."""
from __future__ import annotations

import json
import signal
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from serving import free_port, start_server, wait_until_up
from test_watch import NAMES, Site, make_handler
from diurna.store.database import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def site():
    site = Site()
    site.rss_items = NAMES[:1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()


def documents_served(base: str) -> set[str]:
    with urllib.request.urlopen(f"{base}/api/events?limit=500", timeout=5) as response:
        return {e["doc_id"] for e in json.load(response)["events"]}


def wait_for(base: str, count: int, seconds: float = 60) -> set[str]:
    """The documents served, once there are ``count`` of them (the first poll waits for the model)."""
    deadline = time.monotonic() + seconds
    seen: set[str] = set()
    while time.monotonic() < deadline:
        seen = documents_served(base)
        if len(seen) >= count:
            return seen
        time.sleep(0.5)
    raise AssertionError(f"{count} documents not served within {seconds:.0f} s (served: {seen})")


def doc_ids(db) -> dict[str, str]:
    with Store(db, read_only=True) as store:
        return dict(store.con.execute("SELECT url, doc_id FROM documents").fetchall())


def test_serve_and_watch_one_store_through_a_sigkill(site, tmp_path):
    db, port = tmp_path / "live.duckdb", free_port()
    base = f"http://127.0.0.1:{port}"
    extra = ("--watch", site.base + "/rss.xml", "--interval", "1", "--host-delay", "0")
    server = start_server(str(db), port, extra=extra)
    try:
        wait_until_up(base, server, timeout=60)
        first = wait_for(base, 1)
        site.rss_items = NAMES[:2]                            # published while the server runs
        site.rss_version += 1
        assert wait_for(base, 2, 30) > first
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    site.rss_items = NAMES[:3]                                # published while it was down
    site.rss_version += 1
    server = start_server(str(db), port, extra=extra)
    try:
        wait_until_up(base, server, timeout=60)
        wait_for(base, 3)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stored = doc_ids(db)
    assert len(stored) == 3 and len(set(stored.values())) == 3       # nothing lost, nothing doubled
