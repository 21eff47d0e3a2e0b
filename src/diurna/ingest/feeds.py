"""RSS/Atom feeds: fetching feeds and pages politely, and parsing their entries.

The watch loop that codes new items into a store is ``diurna.run.watch``.
"""
from __future__ import annotations

import hashlib
import ipaddress
import socket
import stat
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from diurna.errors import DiurnaError


USER_AGENT = "diurna-watch/0.1 (+news event coder; polite polling)"
MAX_RESPONSE_BYTES = 10_000_000
MAX_ITEM_ATTEMPTS = 3          # page fetches before an item is given up and recorded as skipped
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class FetchError(DiurnaError):
    """A feed or page could not be fetched; ``retry_after`` is the server's wish, in seconds;
    ``refused``: the fetch policy forbids it, so trying again is pointless."""

    def __init__(self, message: str, retry_after: float | None = None, refused: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.refused = refused


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    url: str
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None       # of a redirect


class Fetcher:
    """GET over HTTP(S) or from local files, with a total time limit per request, a size
    cap, a delay between two requests to the same host, and the fetch policy below.

    What may be fetched (``check_allowed``): the feeds the user names, as given; a link
    found in a feed, and every redirect, only over http(s) to a public address, or to the
    host of the feed it came from (the user chose that host); a local feed file's links
    only to files in its own folder. Never another scheme, never another local file."""

    def __init__(self, timeout: float = 20.0, host_delay: float = 1.0):
        # httpx only when something is fetched (watch), not for every command
        import httpx

        self.timeout = timeout
        self.host_delay = host_delay
        self._next_slot: dict[str, float] = {}
        # a fresh connection per request, so the watchdog can always reach its socket
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT},
                                    limits=httpx.Limits(max_keepalive_connections=0))

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            origin: str | None = None) -> Response:
        """``origin``: the feed a link was found in (None for a feed the user named)."""
        check_allowed(url, origin)
        if urlsplit(url).scheme == "file":
            return _read_local(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.timeout
        for _ in range(MAX_REDIRECTS + 1):
            self._wait_turn(urlsplit(url).netloc)
            response = self._get_http(url, headers, deadline)
            if response.status not in REDIRECTS:
                return response
            target = urljoin(url, response.location or "")
            check_allowed(target, origin or url)      # a redirect is checked like a link
            url = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _wait_turn(self, host: str) -> None:
        wait = self._next_slot.get(host, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._next_slot[host] = time.monotonic() + self.host_delay

    def _get_http(self, url: str, headers: dict[str, str], deadline: float) -> Response:
        """One request, ended when ``deadline`` passes however slowly the server trickles:
        httpx's timeout bounds each read, a watchdog closes the connection at the deadline."""
        import httpx

        expired = threading.Event()
        streams: list = []
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), _expire, (expired, streams))
        timer.start()
        try:
            with self._client.stream("GET", url, headers=headers, extensions={"trace": _collect(streams)}) as r:
                if r.status_code == 304:
                    return Response(304, b"", str(r.url))
                if r.status_code in REDIRECTS:
                    return Response(r.status_code, b"", str(r.url), location=r.headers.get("Location"))
                if r.status_code >= 400:
                    raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}".strip(),
                                     _retry_after(r.headers.get("Retry-After")))
                body = self._read_capped(r, deadline)
                return Response(r.status_code, body, str(r.url),
                                r.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                                r.charset_encoding, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        except (httpx.HTTPError, OSError) as exc:
            if expired.is_set():
                raise FetchError(f"no complete answer within {self.timeout:g} s") from None
            raise FetchError(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
        finally:
            timer.cancel()

    def _read_capped(self, r, deadline: float) -> bytes:
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise FetchError(f"response over {MAX_RESPONSE_BYTES:,} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"no complete answer within {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self._client.close()


def _collect(streams: list) -> Callable[[str, dict], None]:
    """An httpcore trace hook that keeps each new connection's network stream."""
    def trace(event: str, info: dict) -> None:
        if event.endswith((".connect_tcp.complete", ".connect_unix_socket.complete")):
            streams.append(info.get("return_value"))
    return trace


def _expire(expired: threading.Event, streams: list) -> None:
    """Shut the request's sockets: a read blocked on a trickling server returns at once."""
    expired.set()
    for stream in streams:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass          # already closed


def check_allowed(url: str, origin: str | None) -> None:
    """FetchError unless the policy of ``Fetcher`` allows fetching ``url``, found in the
    feed ``origin`` (None: a feed the user named)."""
    parts = urlsplit(url)
    if origin is None:
        if parts.scheme in ("http", "https", "file"):
            return
        raise FetchError(f"{parts.scheme or 'no'}: scheme; give an http(s) URL or a file", refused=True)
    source = urlsplit(origin)
    if parts.scheme == "file":
        if source.scheme != "file":
            raise FetchError("a local file linked from a web feed is never read", refused=True)
        folder = _local_path(origin).resolve().parent
        if folder not in _local_path(url).resolve().parents:
            raise FetchError("a local feed's links are read only inside its own folder", refused=True)
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{parts.scheme or 'no'}: scheme; only http(s) links are fetched", refused=True)
    if source.scheme in ("http", "https") and parts.hostname == source.hostname:
        return                 # the host of a feed the user named
    for address in _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)):
        if not address.is_global:
            raise FetchError(f"{parts.hostname} is a non-public address ({address}); only public "
                             "addresses are fetched for links and redirects", refused=True)


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({exc})") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    return [a.ipv4_mapped if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped else a for a in addresses]


def _local_path(url: str) -> Path:
    return Path(url2pathname(urlsplit(url).path))


def _read_local(url: str) -> Response:
    """A regular file, at most the size cap (a FIFO or a device is refused, never read)."""
    path = _local_path(url)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise FetchError("not a regular file", refused=True)
        with path.open("rb") as handle:
            body = handle.read(MAX_RESPONSE_BYTES + 1)
    except OSError as exc:
        raise FetchError(f"cannot read file ({exc.strerror or exc})") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise FetchError(f"file over {MAX_RESPONSE_BYTES:,} bytes")
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
    # feedparser only when a feed is parsed
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
