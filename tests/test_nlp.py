"""nlp.Parser: the cheaper way Diurna runs spaCy gives the tokens, tags, parse, POS,
morphology and lemmas the full pipeline gives, and entities from rules or the model."""
from __future__ import annotations

import pytest

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
