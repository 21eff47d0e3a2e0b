"""HTML pages → articles: the article text, title, date and URL, without navigation and boilerplate.

Extraction is trafilatura's; this module only maps its result onto an ``Article``
(or a ``Skip`` when a page holds no article text).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from diurna.records import Item, Skip
from diurna.ingest.articles import file_doc_id, make_article

# trafilatura logs every page it finds thin at WARNING; our Skip already reports those.
CHATTY_LOGGERS = ("trafilatura", "htmldate")


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None = None
    date: str | None = None      # YYYY-MM-DD as the page's metadata gives it
    url: str | None = None       # canonical or og:url


def extract_page(html: str, url: str | None = None) -> PageText | None:
    """The main text and metadata of a page, or None when it has no article text."""
    # slow to import: only when a page is read
    import trafilatura

    try:
        with _quiet(CHATTY_LOGGERS):
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=False,
                include_images=False, include_links=False)
    except (ValueError, TypeError, RecursionError):   # markup lxml cannot build a tree from
        return None
    if doc is None or isinstance(doc, dict):    # a dict only with as_dict=True, which we never ask for
        return None
    text = (doc.text or "").strip()
    if not text:
        return None
    return PageText(text=text, title=doc.title or None, date=doc.date or None, url=doc.url or None)


def article_from_html(where: str, html: str, default_date: str | None = None, *,
                      doc_id: str | None = None, url: str | None = None,
                      published: str | None = None, title: str | None = None) -> Item:
    """An Article from a page; ``published``/``title`` (e.g. from a feed) win over the page's own,
    ``default_date`` only fills in when neither gives a date."""
    page = extract_page(html, url)
    if page is None:
        return Skip(where, "no article text in the HTML (only navigation or boilerplate)", doc_id=doc_id)
    return make_article(where, doc_id or file_doc_id(where, page.text), page.text,
                        published or page.date or default_date,
                        page.url or url, title or page.title)


@contextmanager
def _quiet(names: tuple[str, ...]) -> Iterator[None]:
    """Only errors from these loggers while extracting; their levels are restored after."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
