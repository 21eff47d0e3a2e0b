"""One document's text and metadata → an ``Article``, or a ``Skip`` saying why it cannot be coded."""
from __future__ import annotations

from pathlib import Path

from diurna.ingest.language import language_check
from diurna.records import Article, Item, Skip, content_id, normalise_date

MAX_TEXT_CHARS = 1_000_000
# Invisible characters that pasted or scraped text carries around names (zero-width
# spaces and joiners, the byte-order mark, bidirectional marks and embeddings) glue onto
# the words next to them and hide them from the actor dictionary. Each is read as a
# space: one character for one, so every offset into the text stays right.
INVISIBLE_AS_SPACE = str.maketrans({ch: " " for ch in (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")})


def file_doc_id(where: str, text: str) -> str:
    """A file's document id is its name without suffixes; stdin's is a hash of its text."""
    return Path(where).name.split(".")[0] if where != "<stdin>" else content_id(text)


def make_article(where: str, doc_id: str, text: str, published: str | None,
                 url: str | None, title: str | None) -> Item:
    """An Article, or a Skip saying why this document cannot be coded (text kept for a retry)."""
    if len(text) > MAX_TEXT_CHARS:
        return Skip(where, f"document too long ({len(text):,} characters, limit {MAX_TEXT_CHARS:,}); "
                    "split it into articles", doc_id=doc_id)
    text = text.translate(INVISIBLE_AS_SPACE)
    if not text.strip():
        return Skip(where, "document has no text", doc_id=doc_id)
    try:
        published = normalise_date(published)
    except ValueError as exc:
        return Skip(where, str(exc), doc_id=doc_id, text=text)
    language, problem = language_check(text)
    if problem:
        return Skip(where, problem, doc_id=doc_id, text=text)
    return Article(doc_id=doc_id, text=text, published=published, url=url, title=title, source=where,
                   language=language)


def str_or_none(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
