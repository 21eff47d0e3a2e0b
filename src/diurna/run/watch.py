"""Polling RSS/Atom feeds: each new item's page is fetched, coded and stored exactly once.

State lives in the store (tables ``feeds`` and ``feed_items``, migration 0004_feed_state).
A poll of a feed first records its new entries as *pending* items, together with the
feed's ETag/Last-Modified, in one transaction; then it works through the pending items,
one stored document each. An item counts as done once its document is in the store, so
a crash at any moment neither loses an item (it is still pending) nor doubles one (its
document is there, and document writes are idempotent).
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from diurna.ingest.feeds import (HTML_TYPES, MAX_ITEM_ATTEMPTS, FeedEntry, Fetcher, FetchError, Response, feed_url,
                                 now as _now, parse_feed)
from diurna.ingest.html import article_from_html
from diurna.ingest.files import decode_bytes
from diurna.events.spec import CoderSpec
from diurna.records import Item, Skip
from diurna.store.database import Store


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
        return bool(self.con.execute("SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id]).fetchall()[0][0])

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
        return int(self.con.execute("SELECT count(*) FROM feed_items WHERE feed_url = ?", [url]).fetchall()[0][0])


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
            self._fetch_failed(state, item, str(exc), report, final=exc.refused)
            return
        article: Item
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
        return self.fetcher.get(item.link, origin=item.feed_url)

    def _fetch_failed(self, state: FeedState, item: PendingItem, error: str, report: PollReport,
                      final: bool = False) -> None:
        attempts = item.attempts + 1
        if attempts < MAX_ITEM_ATTEMPTS and not final:
            state.mark(item, "pending", attempts, error)
            report.retrying += 1
            return
        tries = "refused by the fetch policy" if final else f"{attempts} tries"
        skip = Skip(item.link or item.feed_url, f"page not fetched ({error}; {tries})", doc_id=item.doc_id)
        self._skip(state, item, skip, report, attempts)

    def _skip(self, state: FeedState, item: PendingItem, skip: Skip, report: PollReport,
              attempts: int | None = None) -> None:
        state.mark_skipped(item, skip, attempts)
        report.skipped.append(skip)
        if self.on_skip:
            self.on_skip(skip)


def watch_loop(db: str, feeds: list[str], watcher: FeedWatcher, interval: float,
               max_polls: int | None = None, on_report: Callable[[PollReport], None] | None = None,
               stop: threading.Event | None = None, wait: float = 0.0) -> PollReport | None:
    """Poll ``feeds`` into the store at ``db`` every ``interval`` seconds, until ``max_polls``
    polls or until ``stop`` is set; returns the last poll's report. The store is opened for
    each poll only, so other processes can read it in between (and, in the process of
    `diurna serve --watch`, the server's own connection shares it)."""
    stop = stop or threading.Event()
    polls, report = 0, None
    while not stop.is_set():
        with Store(db, wait=wait) as store:
            report = watcher.poll(store, feeds)
        polls += 1
        if on_report:
            on_report(report)
        if max_polls is not None and polls >= max_polls:
            break
        stop.wait(interval)
    return report


@dataclass(frozen=True)
class WatchPlan:
    """What `diurna serve --watch` polls, how often, and with which coder."""
    feeds: tuple[str, ...]
    spec: CoderSpec
    interval: float = 300.0
    timeout: float = 20.0
    host_delay: float = 1.0


def watch_in_background(db: str, plan: WatchPlan, stop: threading.Event,
                        log: Callable[[str], None]) -> threading.Thread:
    """The watch loop on a thread of this process (the server's), until ``stop`` is set.
    A poll that fails as a whole (the store busy or damaged) is logged and tried again
    at the next interval; the server goes on answering."""
    def run() -> None:
        from diurna.nlp.pipeline import freeze_loaded

        coder = plan.spec.build()
        freeze_loaded()
        fetcher = Fetcher(timeout=plan.timeout, host_delay=plan.host_delay)
        watcher = FeedWatcher(coder, fetcher, on_skip=lambda s: log(f"skipped {s.where}: {s.reason}"))
        try:
            while not stop.is_set():
                try:
                    watch_loop(db, list(plan.feeds), watcher, plan.interval, stop=stop,
                               on_report=lambda r: log(r.format()))
                except Exception as exc:       # keep serving; try again at the next interval
                    log(f"watch: poll failed ({type(exc).__name__}: {exc}); next try in {plan.interval:g} s")
                    stop.wait(plan.interval)
        finally:
            fetcher.close()

    thread = threading.Thread(target=run, name="diurna-watch", daemon=True)
    thread.start()
    return thread
