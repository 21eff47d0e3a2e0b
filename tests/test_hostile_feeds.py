"""`diurna watch` against hostile feeds, served on 127.0.0.1: what it will and will not fetch.

Links found in a feed, and every redirect, are fetched only over http(s) from a public
address or from the host of the feed the user named; a local feed's links only inside its
folder; special files are never read; a server that trickles its answer is cut off at the
time limit."""
from __future__ import annotations

import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from diurna.cli import main
from diurna.ingest.feeds import Fetcher, FetchError, check_allowed
from diurna.store.database import Store

ARTICLE = ("<html><head><title>Talks</title></head><body><article><p>Kenya and Ethiopia held talks "
           "in Nairobi on Monday about the border, officials said. The two governments agreed to meet "
           "again next month.</p></article></body></html>")


class Hostile(BaseHTTPRequestHandler):
    base = ""

    def do_GET(self):
        if self.path == "/feed.xml":
            items = [("file", "file:///etc/hostname"), ("loopback-by-name", f"http://localhost:{self.server.server_port}/ok.html"),
                     ("to-metadata", "/redirect"), ("fine", "/ok.html")]
            body = "".join(f"<item><title>{k}</title><link>{link}</link><guid>{k}</guid>"
                           "<pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate></item>" for k, link in items)
            self._send(200, f"<?xml version='1.0'?><rss version='2.0'><channel><title>H</title>{body}"
                            "</channel></rss>".encode(), "application/rss+xml")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/ok.html":
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif self.path == "/trickle":
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@pytest.fixture
def server():
    httpd = Server(("127.0.0.1", 0), Hostile)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_only_public_or_the_feeds_own_host_is_fetched(server, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    main(["watch", server + "/feed.xml", "--db", str(db), "--once", "--host-delay", "0"])
    err = capsys.readouterr().err
    with Store(db, read_only=True) as store:
        coded = store.con.execute("SELECT url FROM documents").fetchall()
        skipped = dict(store.con.execute("SELECT location, reason FROM skipped").fetchall())
    assert coded == [(server + "/ok.html",)]             # the one link on the feed's own host
    assert any("never read" in reason for reason in skipped.values()), skipped
    assert any("localhost is a non-public address" in reason for reason in skipped.values()), skipped
    assert any("169.254.169.254 is a non-public address" in reason for reason in skipped.values()), skipped
    assert "etc/hostname" not in repr(coded) and "3 skipped" in err


def test_the_policy_by_case():
    check_allowed("https://www.voanews.com/a/1.html", None)             # a feed the user named
    check_allowed("file:///home/me/feed.xml", None)
    for url in ("gopher://x/", "ftp://example.com/f"):
        with pytest.raises(FetchError, match="scheme"):
            check_allowed(url, "https://example.com/feed.xml")
    with pytest.raises(FetchError, match="never read"):
        check_allowed("file:///etc/passwd", "https://example.com/feed.xml")
    with pytest.raises(FetchError, match="file://x|own folder"):
        check_allowed("file://x/dev/zero", "file:///srv/feeds/feed.xml")
    for private in ("http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/",
                    "http://192.168.0.1/x", "http://[::ffff:127.0.0.1]/"):
        with pytest.raises(FetchError, match="non-public"):
            check_allowed(private, "https://news.example.org/feed.xml")
    check_allowed("http://127.0.0.1:8080/page.html", "http://127.0.0.1:8080/feed.xml")   # the feed's own host


def test_a_local_feed_reads_only_regular_files_in_its_folder(tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    feed = (folder / "feed.xml").as_uri()
    (tmp_path / "secret.txt").write_text("not yours")
    with pytest.raises(FetchError, match="own folder"):
        Fetcher(timeout=2).get((folder / ".." / "secret.txt").as_uri(), origin=feed)
    os.mkfifo(folder / "pipe.html")
    started = time.monotonic()
    with pytest.raises(FetchError, match="not a regular file"):
        Fetcher(timeout=2).get((folder / "pipe.html").as_uri(), origin=feed)
    assert time.monotonic() - started < 1


def test_a_trickling_server_is_cut_off_at_the_time_limit(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="no complete answer within 1 s"):
        Fetcher(timeout=1, host_delay=0).get(server + "/trickle")
    assert time.monotonic() - started < 2.5
