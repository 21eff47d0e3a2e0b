"""nlp.Parser: the cheaper way Diurna runs spaCy gives the tokens, tags, parse, POS,
morphology and lemmas the full pipeline gives, and entities from rules or the model."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from diurna.nlp.timex import resolve_date
from diurna.nlp.pipeline import RULE_ENTITIES, TOKEN_ATTRIBUTES, Parser, TokenAttributes, load_pipeline

# Our own sentences, chosen for the attribute ruler's special cases: expletive "there",
# contractions matched across two tokens, pronoun case, auxiliaries, whitespace tokens.
TEXTS = [
    "There is no agreement yet, and there are doubts.  Let's see, officials said.",
    "We're gonna hold talks, but it ain't over: y'all know that.\n\nI told it to you.",
    "The ministers have met twice; did they agree? They had said they would.",
    "Ukrainian forces shot down 40 drones overnight, the air force said on Sunday.",
    "South Korea's foreign minister will attend the NATO meeting in Brussels on Thursday.",
]


def _facts(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.lemma_, t.head.i, str(t.morph)) for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_attributes_match_the_full_pipeline(nlp):
    parser = Parser(nlp, entities="model")
    ours = [name for name in (TOKEN_ATTRIBUTES, RULE_ENTITIES) if name in nlp.pipe_names]
    assert ours == [TOKEN_ATTRIBUTES], "the Parser adds its components to the pipeline"
    for _ in range(2):                          # first from the components, then from the table
        for expected, got in zip(nlp.pipe(TEXTS, disable=ours), parser.pipe(TEXTS)):
            assert _facts(got) == _facts(expected)
            assert [(e.text, e.label_) for e in got.ents] == [(e.text, e.label_) for e in expected.ents]


def test_table_is_filled_and_bounded(nlp, monkeypatch):
    import diurna.nlp.pipeline as module

    parser = Parser(nlp)
    table = nlp.get_pipe(TOKEN_ATTRIBUTES).table
    list(parser.pipe(TEXTS[2:]))
    assert table, "unseen words are learned"
    monkeypatch.setattr(module, "ATTRIBUTE_TABLE_SIZE", len(table) + 3)
    list(parser.pipe(["Completely unprecedented vocabulary appears here today."]))
    assert len(table) <= len(TEXTS) * 40


def test_rule_entities_skip_the_statistical_ner(nlp):
    parser = Parser(nlp, titles=frozenset({"minister"}))
    assert "ner" in parser._skip and "attribute_ruler" in parser._skip
    assert nlp.pipe_names[-2:] == [TOKEN_ATTRIBUTES, RULE_ENTITIES]
    assert nlp.get_pipe_meta(RULE_ENTITIES).assigns == ["doc.ents"]
    doc = parser("Foreign Minister Ahmed Attaf arrived in Kharkiv on Thursday.")
    assert {(e.text, e.label_) for e in doc.ents} == {
        ("Ahmed Attaf", "PERSON"), ("Kharkiv", "GPE"), ("Thursday", "DATE")}


def test_model_entities_keep_the_ner(nlp):
    parser = Parser(nlp, entities="model")
    assert "ner" not in parser._skip
    assert RULE_ENTITIES not in nlp.pipe_names or RULE_ENTITIES in parser._skip
    doc = parser("Emmanuel Macron visited Berlin in May 2024.")
    assert {e.label_ for e in doc.ents} >= {"PERSON", "GPE", "DATE"}


def test_unknown_entity_source_is_refused(nlp):
    with pytest.raises(ValueError, match="entities"):
        Parser(nlp, entities="magic")


def test_unusual_pipelines_run_their_rules_as_they_are(nlp):
    class Fake:
        pipe_names = ["tok2vec", "parser", "attribute_ruler", "custom", "lemmatizer"]
    assert TokenAttributes.for_pipeline(Fake()) is None


def test_memory_zones_free_new_words_every_so_many_documents(nlp):
    from diurna.nlp.pipeline import MemoryZones

    with MemoryZones(nlp, every=2) as zones:
        nlp("The Vrelgonian envoy arrived.")
        zones.passed(1)
        assert "Vrelgonian" in nlp.vocab.strings          # same zone: still known
        zones.passed(1)
        assert "Vrelgonian" not in nlp.vocab.strings      # zone renewed: freed
        nlp("The Quastrovian envoy left.")
    assert "Quastrovian" not in nlp.vocab.strings
    assert not nlp.vocab.in_memory_zone


# --------------------------------------------------------------------------- relative dates
# What each phrase means, as the first and last day it may denote, given the publication
# date p; written from the calendar, not from timex's code. (phrase, precision, future, meaning)
def _monday(p):
    return p - timedelta(days=p.weekday())


def _month(p, shift):
    months = p.year * 12 + p.month - 1 + shift
    first = date(months // 12, months % 12 + 1, 1)
    return first, date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def _last_saturday(p):
    return p - timedelta(days=(p.weekday() - 5) % 7)


RELATIVE_PHRASES = [
    ("the day before yesterday", "day", False, lambda p: (p - timedelta(2), p - timedelta(2))),
    ("the day after tomorrow", "day", True, lambda p: (p + timedelta(2), p + timedelta(2))),
    ("three days ago", "day", False, lambda p: (p - timedelta(3), p - timedelta(3))),
    ("3 days ago", "day", False, lambda p: (p - timedelta(3), p - timedelta(3))),
    ("twelve days ago", "day", False, lambda p: (p - timedelta(12), p - timedelta(12))),
    ("a week ago", "week", False, lambda p: (_monday(p - timedelta(7)), _monday(p - timedelta(7)) + timedelta(6))),
    ("two weeks ago", "week", False, lambda p: (_monday(p - timedelta(14)), _monday(p - timedelta(14)) + timedelta(6))),
    ("eleven weeks ago", "week", False, lambda p: (_monday(p - timedelta(77)), _monday(p - timedelta(77)) + timedelta(6))),
    ("a month ago", "month", False, lambda p: _month(p, -1)),
    ("five months ago", "month", False, lambda p: _month(p, -5)),
    ("two years ago", "year", False, lambda p: (date(p.year - 2, 1, 1), date(p.year - 2, 12, 31))),
    ("earlier this week", "week", False, lambda p: (_monday(p), p)),
    ("this week", "week", False, lambda p: (_monday(p), p)),
    ("this week", "week", True, lambda p: (p, _monday(p) + timedelta(6))),
    ("later this week", "week", True, lambda p: (p, _monday(p) + timedelta(6))),
    ("late last year", "year", False, lambda p: (date(p.year - 1, 9, 1), date(p.year - 1, 12, 31))),
    ("early next month", "month", True, lambda p: (_month(p, 1)[0], _month(p, 1)[0] + timedelta(9))),
    ("earlier this month", "month", False, lambda p: (p.replace(day=1), p)),
    ("last weekend", "week", False, lambda p: (_monday(p) - timedelta(2), _monday(p) - timedelta(1))),
    ("this weekend", "week", False, lambda p: (_last_saturday(p), min(p, _last_saturday(p) + timedelta(1)))),
    ("this weekend", "week", True,
     lambda p: (p, p) if p.weekday() == 6 else (p + timedelta(5 - p.weekday()), p + timedelta(6 - p.weekday()))),
]
PERIOD_DAYS = {"day": lambda d: d, "week": lambda d: d + timedelta(6),
               "month": lambda d: _month(d, 0)[1], "year": lambda d: date(d.year, 12, 31)}
# Edges of weeks, months and years, a leap day, every weekday.
EDGE_DATES = [date(2024, 2, 29), date(2024, 3, 1), date(2025, 1, 1), date(2024, 12, 31), date(2025, 3, 31),
              *(date(2025, 3, 3) + timedelta(i) for i in range(7))]


def check_phrase(phrase, precision, future, meaning, published):
    resolved = resolve_date(phrase, published, future=future)
    assert resolved and resolved[1] == precision, (phrase, published, resolved)
    start = date.fromisoformat(resolved[0])
    period = {"day": start, "week": start - timedelta(start.weekday()), "month": start.replace(day=1),
              "year": date(start.year, 1, 1)}[precision]
    # the date names its period the usual way: a week by its Monday, a month by its 1st …,
    # except that what is still to happen in the current period is dated from publication
    assert start == period or (future and start == published), (phrase, resolved)
    if future:
        assert start >= published, (phrase, published, resolved)   # never before the article
    first, last = meaning(published)
    assert start <= first <= last <= PERIOD_DAYS[precision](period), (phrase, published, resolved, first, last)
    if not future:
        assert start <= published, (phrase, published, resolved)   # told in the past: not after publication


@pytest.mark.parametrize("phrase, precision, future, meaning", RELATIVE_PHRASES)
def test_relative_phrases_at_the_edges_of_weeks_months_and_years(phrase, precision, future, meaning):
    for published in EDGE_DATES:
        check_phrase(phrase, precision, future, meaning, published)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(RELATIVE_PHRASES), st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_relative_phrases_resolve_inside_their_meaning(case, published):
    check_phrase(*case, published)


@pytest.mark.parametrize("phrase, expected", [
    ("the day before yesterday", ("2025-03-03", "day")),      # Wednesday 5 March 2025
    ("three days ago", ("2025-03-02", "day")),
    ("12 days ago", ("2025-02-21", "day")),
    ("two weeks ago", ("2025-02-17", "week")),
    ("earlier this week", ("2025-03-03", "week")),
    ("late last year", ("2024-01-01", "year")),
    ("early next month", ("2025-04-01", "month")),
    ("last weekend", ("2025-02-24", "week")),
    ("this weekend", ("2025-02-24", "week")),                 # told in the past on a Wednesday
    ("a year ago", ("2024-01-01", "year")),
    ("several days ago", None),                               # no number: no date
    ("the past two weeks", None),                             # a span, not a date
    ("9999 years ago", None),                                 # before year 1
])
def test_relative_phrases_on_one_date(phrase, expected):
    assert resolve_date(phrase, date(2025, 3, 5)) == expected


def test_next_month_at_the_end_of_time_is_no_date():
    assert resolve_date("early next month", date(9999, 12, 20), future=True) is None


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    ("Japan met Vietnam the day before yesterday.", ("2025-03-03", "day")),
    ("Japan met Vietnam three days ago.", ("2025-03-02", "day")),
    ("Japan met Vietnam two weeks ago.", ("2025-02-17", "week")),
    ("Japan met Vietnam earlier this week.", ("2025-03-03", "week")),
    ("Japan imposed sanctions on Vietnam late last year.", ("2024-01-01", "year")),
    ("Japan will meet Vietnam early next month.", ("2025-04-01", "month")),
    ("Japan met Vietnam last weekend.", ("2025-02-24", "week")),
    ("Japan met Vietnam this week.", ("2025-03-03", "week")),
])
def test_rule_entities_carry_relative_phrases_to_the_event_date(coder, text, expected):
    """The rule entities find each phrase as one DATE span, and the event gets its date."""
    phrase = text.split("Vietnam", 1)[1].strip(" .")
    assert (phrase, "DATE") in {(e.text, e.label_) for e in coder.parser(text).ents}
    [event] = coder.code(text, published="2025-03-05").events
    assert (event.date, event.date_precision) == expected
