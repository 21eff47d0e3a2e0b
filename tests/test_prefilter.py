"""The fast path (prefilter.py) codes the same events as parsing every sentence.

The filler sentences below are our own; ../shared/eval/ is only read, and the test
that needs it skips without it.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from diurna.events.coder import Coder
from diurna.evaluate.score import load_gold, score
from diurna.ingest.files import read_inputs
from diurna.events.prefilter import context_window, split_pieces
from diurna.records import Article

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
# Sentences with no trigger word and no name: the fast path must drop these.
FILLERS = [
    "The weather stayed mild for most of the week.",
    "Prices closed slightly higher in thin trading.",
    "Traffic was heavy on the main roads into the city.",
    "The report runs to more than forty pages.",
    "Temperatures are expected to fall later in the month.",
    "The museum will reopen after renovation work.",
    "Local markets were busy ahead of the holiday.",
    "Mild temperatures are forecast for the weekend.",
]


def eval_dir() -> Path:
    return Path(os.environ.get("DIURNA_EVAL_DIR", ROOT.parent / "shared" / "eval"))


@pytest.fixture(scope="module")
def coders():
    full = Coder(fast=False)
    return full, Coder(fast=True, kb=full.kb)


def sample_articles() -> list[Article]:
    return [a for a in read_inputs([str(EXAMPLES)]) if isinstance(a, Article)]


def dev_articles() -> list[Article]:
    path = eval_dir() / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"evaluation data not found at {path} (set DIURNA_EVAL_DIR to shared/eval)")
    return [Article(d["doc_id"], d["text"], d.get("published")) for d in load_gold(path)]


def with_fillers(articles: list[Article], seed: int = 1) -> list[Article]:
    """The same articles with filler sentences slipped in between sentences."""
    rng = random.Random(seed)
    out = []
    for article in articles:
        parts = []
        for start, end in split_pieces(article.text):
            if rng.random() < 0.5:
                parts.append(rng.choice(FILLERS) + " ")
            parts.append(article.text[start:end])
        out.append(Article(article.doc_id, "".join(parts), article.published))
    return out


def event_dicts(coder: Coder, articles: list[Article]) -> dict[str, list[dict]]:
    return {doc.doc_id: [e.to_dict() for e in doc.events] for doc in coder.code_articles(articles)}


def assert_same_events(coders, articles: list[Article]) -> None:
    full, fast = coders
    expected, got = event_dicts(full, articles), event_dicts(fast, articles)
    differing = [doc_id for doc_id in expected if expected[doc_id] != got[doc_id]]
    assert not differing, f"fast path changed the events of {differing}"


# -- the splitter and the plan ------------------------------------------------------------
def test_pieces_cover_the_text_and_respect_abbreviations():
    text = ("The U.S. envoy met Mr. Smith at 5 p.m. on Monday. Talks went on.\n\n"
            "\"Why?\" Smith asked. It rained.")
    pieces = split_pieces(text)
    assert "".join(text[a:b] for a, b in pieces) == text
    starts = [text[a:a + 6] for a, _ in pieces]
    assert starts == ["The U.", "Talks ", "\"Why?\"", "It rai"]


def test_context_window_adds_whole_words_on_both_sides():
    text = "One two three four five six seven. Eight nine ten eleven twelve thirteen fourteen."
    start = text.index("Eight")
    end = text.index("nine")
    left, right = context_window(text, start, end, words=3)
    assert text[left:start] == "five six seven. "
    assert text[end:right] == "nine ten eleven "


@pytest.mark.slow
def test_plan_drops_sentences_without_trigger_or_name(coders):
    _, fast = coders
    text = FILLERS[0] + " NATO invited South Korea to the summit. " + FILLERS[1]
    plan = fast._fast_parser().filter.plan(text)
    kept = [text[a:b] for a, b, keep in plan if keep]
    assert kept == ["NATO invited South Korea to the summit. "]


@pytest.mark.slow
def test_pronoun_keeps_the_sentence_before(coders):
    _, fast = coders
    text = ("Foreign Minister Cho Tae-yul arrived in Brussels on Monday. "
            "He met NATO Secretary General Mark Rutte. " + FILLERS[2])
    plan = fast._fast_parser().filter.plan(text)
    assert plan[0][2] and plan[0][1] == text.index(FILLERS[2])


# -- identical events ----------------------------------------------------------------------
@pytest.mark.slow
def test_fast_path_same_events_on_sample_articles(coders):
    assert_same_events(coders, sample_articles())


@pytest.mark.slow
def test_fast_path_same_events_when_sentences_are_dropped(coders):
    articles = with_fillers(sample_articles())
    _, fast = coders
    plans = [fast._fast_parser().filter.plan(a.text) for a in articles]
    assert any(not keep for plan in plans for _, _, keep in plan), "no sentence was dropped"
    assert_same_events(coders, articles)


@pytest.mark.slow
def test_fast_path_same_events_and_scores_on_dev(coders):
    articles = dev_articles()
    assert_same_events(coders, articles)
    gold = load_gold(eval_dir() / "dev.jsonl")
    full, fast = coders
    reports = [score(gold, [d.to_dict() for d in c.code_articles(articles)]) for c in (full, fast)]
    assert reports[0].event.to_dict() == reports[1].event.to_dict()


@pytest.mark.slow
def test_fast_path_same_events_on_dev_with_dropped_sentences(coders):
    assert_same_events(coders, with_fillers(dev_articles(), seed=2))


@pytest.mark.slow
def test_fast_path_keeps_offsets_of_the_original_text(coders):
    _, fast = coders
    articles = with_fillers(sample_articles())
    for article, doc in zip(articles, fast.code_articles(articles)):
        for event in doc.events:
            assert article.text[event.sentence.start:event.sentence.end] == event.sentence.text
            assert article.text[event.trigger.start:event.trigger.end] == event.trigger.text
