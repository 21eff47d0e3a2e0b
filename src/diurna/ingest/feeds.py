"""RSS/Atom feeds: fetching feeds and pages politely, and parsing their entries.

The watch loop that codes new items into a store is ``diurna.run.watch``.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from diurna.errors import DiurnaError


USER_AGENT = "diurna-watch/0.1 (+news event coder; polite polling)"
MAX_RESPONSE_BYTES = 10_000_000
MAX_ITEM_ATTEMPTS = 3          # page fetches before an item is given up and recorded as skipped
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


class FetchError(DiurnaError):
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


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
