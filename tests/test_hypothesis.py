"""Random and hostile text through the readers and the coder: no crash, no hang, valid offsets.

Hostile here means control characters, very long tokens, mixed scripts, combining marks,
bidirectional and zero-width characters, typographic punctuation, and raw bytes in any
encoding. Examples and deadlines are bounded so the module runs in well under a minute.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from diurna.ingest.html import article_from_html
from diurna.records import Skip
from diurna.ingest.files import decode_bytes, read_path
from diurna.ingest.language import language_problem
from diurna.records import Article

ENGLISH_WORDS = ("The Russian foreign minister met Turkish officials in Ankara on Monday and "
                 "Ukraine accused Moscow of attacking a hospital in Kyiv while NATO leaders agreed "
                 "to raise defence spending").split()
ODD_CHARACTERS = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",      # control characters
    "\u00a0", "\u2009", "\u200b", "\u200d", "\u2028", "\u2029", "\ufeff",         # spaces, zero-width, separators
    "\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u2026",         # typographic punctuation
    "\u0301", "\u0308", "\u202e", "\u200f",                                       # combining marks, bidi controls
    "\u041c\u043e\u0441\u043a\u0432\u0430", "\u0627\u0644\u0642\u062f\u0633",    # Cyrillic, Arabic
    "\u5317\u4eac", "\u0926\u093f\u0932\u094d\u0932\u0940", "\U0001f600", "\ufffd",  # CJK, Devanagari, emoji
    "\n", "\n\n", "\t", "\r\n", " ", ".", "!", "?", "\"", "'", "(", ")", "-", "$", "%", "2024",
]
SUFFIXES = [".txt", ".md", ".jsonl", ".csv", ".html"]

pieces = st.one_of(
    st.sampled_from(ENGLISH_WORDS),
    st.sampled_from(ODD_CHARACTERS),
    st.text(min_size=1, max_size=12),                                     # any code points
    st.builds(lambda ch, n: ch * n, st.sampled_from("aZ-.\u00e9\u5317"), st.integers(200, 3000)),  # long tokens
)
hostile_text = st.lists(pieces, max_size=80).map(lambda parts: " ".join(parts))
raw_bytes = st.one_of(
    st.binary(max_size=3000),
    hostile_text.flatmap(lambda t: st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
                         .map(lambda enc: t.encode(enc, errors="surrogatepass"))),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def assert_item(item) -> None:
    assert isinstance(item, (Article, Skip))
    if isinstance(item, Skip):
        assert item.where and item.reason
    else:
        assert item.text.strip() and item.doc_id


# --------------------------------------------------------------------------- readers
@settings(max_examples=150, deadline=timedelta(seconds=5))
@given(raw_bytes)
def test_decoding_any_bytes_gives_text(data):
    assert isinstance(decode_bytes(data), str)
    assert isinstance(decode_bytes(data, declared="no-such-codec"), str)


@settings(max_examples=120, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=raw_bytes, suffix=st.sampled_from(SUFFIXES))
def test_readers_never_raise_on_any_bytes(scratch, data, suffix):
    path = scratch / f"doc{suffix}"
    path.write_bytes(data)
    for item in read_path(str(path)):
        assert_item(item)


@settings(max_examples=80, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(hostile_text, min_size=1, max_size=5), dates=st.lists(st.text(max_size=12), max_size=5))
def test_record_readers_report_each_line(scratch, texts, dates):
    path = scratch / "records.jsonl"
    records = [{"id": f"d{i}", "text": t, "date": dates[i] if i < len(dates) else None}
               for i, t in enumerate(texts)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(read_path(str(path)))
    assert len(items) == len(records)             # one Article or Skip per line, none lost
    for item in items:
        assert_item(item)


@settings(max_examples=80, deadline=timedelta(seconds=10))
@given(hostile_text)
def test_html_extraction_never_raises(text):
    assert_item(article_from_html("page.html", f"<html><body><article><p>{text}</p></article></body></html>"))
    assert_item(article_from_html("raw.html", text))


@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(hostile_text)
def test_language_check_never_raises(text):
    assert language_problem(text) is None or language_problem(text).startswith("not English")


# --------------------------------------------------------------------------- coder
def assert_offsets(text: str, doc) -> None:
    assert doc.text == text
    for actor in doc.actors:
        assert 0 <= actor.start <= actor.end <= len(text)
        assert text[actor.start:actor.end] == actor.text
    for event in doc.events:
        for span in (event.trigger, event.sentence):
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start:span.end] == span.text


@pytest.mark.slow
@settings(max_examples=60, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=hostile_text, published=st.sampled_from([None, "2024-05-06"]))
def test_coder_survives_hostile_text_with_valid_offsets(coder, text, published):
    assert_offsets(text, coder.code(text, published=published))


EXAMPLE_TEXTS = [p.read_text(encoding="utf-8").partition("\n\n")[2]
                 for p in sorted((Path(__file__).resolve().parents[1] / "examples" / "articles").glob("*.txt"))]


@st.composite
def news_with_odd_characters(draw) -> str:
    """A real example article with odd characters dropped in at random places."""
    text = draw(st.sampled_from(EXAMPLE_TEXTS))
    spots = draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(ODD_CHARACTERS)), max_size=12))
    for at, odd in sorted(spots, reverse=True):
        text = text[:at] + odd + text[at:]
    return text


@pytest.mark.slow
@settings(max_examples=40, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(news_with_odd_characters())
def test_coder_on_news_with_odd_characters(coder, text):
    """Real news, so events and actors are found and their offsets checked."""
    assert_offsets(text, coder.code(text, published="2024-05-06"))
