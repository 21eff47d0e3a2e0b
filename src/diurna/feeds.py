"""Polling RSS/Atom feeds: each new item's page is fetched, coded and stored exactly once.

State lives in the store (tables ``feeds`` and ``feed_items``, migration 0004_feed_state).
A poll of a feed first records its new entries as *pending* items, together with the
feed's ETag/Last-Modified, in one transaction; then it works through the pending items,
one stored document each. An item counts as done once its document is in the store, so
a crash at any moment neither loses an item (it is still pending) nor doubles one (its
document is there, and document writes are idempotent).
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from .html import article_from_html
from .ingest import Skip, decode_bytes
from .store import Store

USER_AGENT = "diurna-watch/0.1 (+news event coder; polite polling)"
MAX_RESPONSE_BYTES = 10_000_000
MAX_ITEM_ATTEMPTS = 3          # page fetches before an item is given up and recorded as skipped
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


class FetchError(Exception):
    """A feed or page could not be fetched; ``retry_after`` is the server's wish, in seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    url: str
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """GET over HTTP(S) or from local files, with timeouts, a size cap and a delay between
    two requests to the same host."""

    def __init__(self, timeout: float = 20.0, host_delay: float = 1.0):
        import httpx

        self.timeout = timeout
        self.host_delay = host_delay
        self._next_slot: dict[str, float] = {}
        self._client = httpx.Client(timeout=timeout, follow_redirects=True,
                                    headers={"User-Agent": USER_AGENT})

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        if urlsplit(url).scheme == "file":
            return _read_local(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_turn(urlsplit(url).netloc)
        return self._get_http(url, headers)

    def _wait_turn(self, host: str) -> None:
        wait = self._next_slot.get(host, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._next_slot[host] = time.monotonic() + self.host_delay

    def _get_http(self, url: str, headers: dict[str, str]) -> Response:
        import httpx

        try:
            with self._client.stream("GET", url, headers=headers) as r:
                if r.status_code == 304:
                    return Response(304, b"", str(r.url))
                if r.status_code >= 400:
                    raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}".strip(),
                                     _retry_after(r.headers.get("Retry-After")))
                body = self._read_capped(r)
                return Response(r.status_code, body, str(r.url),
                                r.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                                r.charset_encoding, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None

    def _read_capped(self, r) -> bytes:
        # The timeout bounds each read; this bounds the whole body against a trickling server.
        deadline = time.monotonic() + 3 * self.timeout
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise FetchError(f"response over {MAX_RESPONSE_BYTES:,} bytes")
            if time.monotonic() > deadline:
                raise FetchError("response too slow")
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self._client.close()


def _read_local(url: str) -> Response:
    try:
        body = Path(url2pathname(urlsplit(url).path)).read_bytes()
    except OSError as exc:
        raise FetchError(f"cannot read file ({exc.strerror or exc})") from None
    return Response(200, body, url)


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None     # an HTTP date: the back-off schedule applies instead


def feed_url(arg: str) -> str:
    """A feed argument as a URL: http(s) URLs stay, local paths become file:// URLs."""
    if urlsplit(arg).scheme in ("http", "https", "file"):
        return arg
    return Path(arg).resolve().as_uri()


# -- feeds ------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedEntry:
    key: str                    # guid, else link
    link: str | None
    title: str | None
    published: str | None       # YYYY-MM-DD
    content: str | None         # the entry's own HTML, used only when it has no link

    @property
    def doc_id(self) -> str:
        # From the link when there is one, so the same article in two feeds is one document.
        return "web-" + hashlib.sha1((self.link or self.key).encode("utf-8")).hexdigest()[:16]


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    import feedparser

    parsed = feedparser.parse(body)     # links are resolved here: feedparser mangles file:/// bases
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FetchError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    entries = []
    for entry in parsed.entries:
        link = urljoin(url, entry["link"]) if entry.get("link") else None
        content = entry["content"][0].get("value") if entry.get("content") else entry.get("summary")
        key = entry.get("id") or link
        if key or content:
            key = key or "content-" + hashlib.sha1(content.encode("utf-8")).hexdigest()
            entries.append(FeedEntry(key, link, entry.get("title") or None, _entry_date(entry), content))
    return entries


def _entry_date(entry) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return date(*stamp[:3]).isoformat() if stamp else None
    except (TypeError, ValueError):
        return None


# -- state in the store ------------------------------------------------------------
@dataclass(frozen=True)
class PendingItem:
    feed_url: str
    key: str
    doc_id: str
    link: str | None
    title: str | None
    published: str | None
    content: str | None
    attempts: int


class FeedState:
    """The feeds and feed_items tables of one open store."""

    def __init__(self, store: Store):
        self.store = store
        self.con = store.con

    def feed(self, url: str) -> dict:
        row = self.con.execute("SELECT etag, last_modified, failures, retry_at FROM feeds WHERE feed_url = ?",
                               [url]).fetchone()
        keys = ("etag", "last_modified", "failures", "retry_at")
        return dict(zip(keys, row)) if row else dict.fromkeys(keys) | {"failures": 0}

    def record_poll(self, url: str, response: Response, entries: list[FeedEntry]) -> int:
        """New entries become pending items, and the validators are saved, in one transaction."""
        now = _now()
        before = self._count_items(url)
        self.con.execute("BEGIN")
        try:
            self.con.executemany(
                "INSERT OR IGNORE INTO feed_items VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?, ?)",
                [(url, e.key, e.doc_id, e.link, e.title, e.published, None if e.link else e.content, now, now)
                 for e in entries])
            self.con.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, 0, NULL, NULL)",
                             [url, response.etag, response.last_modified, now])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return self._count_items(url) - before

    def record_not_modified(self, url: str) -> None:
        self.con.execute("UPDATE feeds SET last_polled = ?, failures = 0, retry_at = NULL, last_error = NULL "
                         "WHERE feed_url = ?", [_now(), url])

    def record_failure(self, url: str, error: str, retry_at: datetime) -> int:
        state = self.feed(url)
        failures = (state["failures"] or 0) + 1
        self.con.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [url, state["etag"], state["last_modified"], _now(), failures, retry_at, error])
        return failures

    def pending(self, url: str) -> list[PendingItem]:
        rows = self.con.execute(
            "SELECT feed_url, item_key, doc_id, link, title, CAST(published AS VARCHAR), content, attempts "
            "FROM feed_items WHERE feed_url = ? AND status = 'pending' ORDER BY first_seen, item_key",
            [url]).fetchall()
        return [PendingItem(*row) for row in rows]

    def is_stored(self, doc_id: str) -> bool:
        return bool(self.con.execute("SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0])

    def mark(self, item: PendingItem, status: str, attempts: int | None = None, error: str | None = None) -> None:
        self.con.execute("UPDATE feed_items SET status = ?, attempts = ?, last_error = ?, updated_at = ? "
                         "WHERE feed_url = ? AND item_key = ?",
                         [status, item.attempts if attempts is None else attempts, error, _now(),
                          item.feed_url, item.key])

    def mark_skipped(self, item: PendingItem, skip: Skip, attempts: int | None = None) -> None:
        """The skip record and the item's status change together, so a retry never doubles the record."""
        self.con.execute("BEGIN")
        try:
            self.store.record_skips([skip])
            self.mark(item, "skipped", attempts, skip.reason)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def _count_items(self, url: str) -> int:
        return self.con.execute("SELECT count(*) FROM feed_items WHERE feed_url = ?", [url]).fetchone()[0]


# -- polling -----------------------------------------------------------------------
@dataclass
class PollReport:
    feeds: int = 0
    not_modified: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)    # (feed, reason)
    waiting: list[tuple[str, datetime]] = field(default_factory=list)
    new_items: int = 0
    coded: int = 0
    retrying: int = 0           # pages that failed this time and will be tried again
    skipped: list[Skip] = field(default_factory=list)
    events_by_type: Counter = field(default_factory=Counter)

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    @property
    def problems(self) -> bool:
        return bool(self.failed or self.skipped)

    def format(self) -> str:
        lines = [f"polled {self.feeds} feeds ({self.not_modified} unchanged, {len(self.failed)} failed, "
                 f"{len(self.waiting)} backing off): {self.new_items} new items, {self.coded} coded, "
                 f"{len(self.skipped)} skipped, {self.retrying} to retry; {self.events} events"]
        lines += [f"  feed failed: {url}: {reason}" for url, reason in self.failed]
        lines += [f"  feed backing off until {until:%Y-%m-%d %H:%M:%S} UTC: {url}" for url, until in self.waiting]
        return "\n".join(lines)


class FeedWatcher:
    """One poll of a list of feeds against an open store; a failing feed does not stop the others."""

    def __init__(self, coder, fetcher: Fetcher, backoff: float = 60.0, max_backoff: float = 3600.0,
                 on_skip: Callable[[Skip], None] | None = None):
        self.coder = coder
        self.fetcher = fetcher
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.on_skip = on_skip

    def poll(self, store: Store, feeds: list[str]) -> PollReport:
        state, report = FeedState(store), PollReport()
        for url in map(feed_url, feeds):
            report.feeds += 1
            self._refresh(state, url, report)
            for item in state.pending(url):
                self._process(state, item, report)
        return report

    def _refresh(self, state: FeedState, url: str, report: PollReport) -> None:
        known = state.feed(url)
        if known["retry_at"] is not None and known["retry_at"] > _now():
            report.waiting.append((url, known["retry_at"]))
            return
        try:
            response = self.fetcher.get(url, known["etag"], known["last_modified"])
            if response.status == 304:
                state.record_not_modified(url)
                report.not_modified += 1
                return
            report.new_items += state.record_poll(url, response, parse_feed(response.body, response.url))
        except FetchError as exc:
            delay = self._backoff_delay((known["failures"] or 0) + 1, exc.retry_after)
            state.record_failure(url, str(exc), _now() + timedelta(seconds=delay))
            report.failed.append((url, f"{exc}; next try in {delay:.0f} s"))

    def _backoff_delay(self, failures: int, retry_after: float | None) -> float:
        delay = min(self.backoff * 2 ** (failures - 1), self.max_backoff)
        return max(delay, min(retry_after or 0.0, self.max_backoff))

    def _process(self, state: FeedState, item: PendingItem, report: PollReport) -> None:
        if state.is_stored(item.doc_id):      # stored before a crash, or by another feed
            state.mark(item, "coded")
            return
        try:
            page = self._page(item)
        except FetchError as exc:
            self._fetch_failed(state, item, str(exc), report)
            return
        if page.content_type not in HTML_TYPES:
            article = Skip(page.url, f"not an HTML page ({page.content_type})", doc_id=item.doc_id)
        else:
            article = article_from_html(page.url, decode_bytes(page.body, page.charset), doc_id=item.doc_id,
                                        url=page.url if item.link else None,
                                        published=item.published, title=item.title)
        if isinstance(article, Skip):
            self._skip(state, item, article, report)
            return
        try:
            doc = next(self.coder.code_articles([article]))
        except Exception as exc:      # one article that breaks the coder must not stop the watch
            skip = Skip(page.url, f"coding failed ({type(exc).__name__}: {exc})", doc_id=item.doc_id,
                        text=article.text)
            self._skip(state, item, skip, report)
            return
        state.store.write([doc], model=self.coder.model, sources={doc.doc_id: page.url})
        state.mark(item, "coded")
        report.coded += 1
        report.events_by_type.update(e.event for e in doc.events)

    def _page(self, item: PendingItem) -> Response:
        if not item.link:    # an entry that carries its article instead of linking to it
            return Response(200, (item.content or "").encode("utf-8"), item.feed_url, "text/html", "utf-8")
        return self.fetcher.get(item.link)

    def _fetch_failed(self, state: FeedState, item: PendingItem, error: str, report: PollReport) -> None:
        attempts = item.attempts + 1
        if attempts < MAX_ITEM_ATTEMPTS:
            state.mark(item, "pending", attempts, error)
            report.retrying += 1
            return
        skip = Skip(item.link or item.feed_url, f"page not fetched ({error}; {attempts} tries)", doc_id=item.doc_id)
        self._skip(state, item, skip, report, attempts)

    def _skip(self, state: FeedState, item: PendingItem, skip: Skip, report: PollReport,
              attempts: int | None = None) -> None:
        state.mark_skipped(item, skip, attempts)
        report.skipped.append(skip)
        if self.on_skip:
            self.on_skip(skip)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
