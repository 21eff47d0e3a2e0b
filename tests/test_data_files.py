"""The YAML data files are checked against a schema when loaded, and an error names the
file, the entry (number and name) and the field, and says what is allowed."""
from __future__ import annotations

from datetime import date

import pytest

from diurna.actors.resolve import resolve_mentions
from diurna.actors.sources import load_kb
from diurna.errors import KnowledgeBaseError, LexiconError
from diurna.events import arguments, prefilter
from diurna.events.lexicon import read_lexicon
from diurna.events.words import read_event_words
from diurna.nlp.words import WORDS as ENGLISH, read_english_words
from diurna.yaml_data import load_yaml


def kb_error(tmp_path, text: str) -> str:
    user = tmp_path / "mine.yaml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb([user])
    return str(caught.value)


# -- actor files: diurna code --actors FILE ---------------------------------------------
def test_misspelt_key(tmp_path):
    message = kb_error(tmp_path, "states:\n  - {code: XXA, name: Xland, adjectivs: [Xish]}\n")
    assert "mine.yaml: states entry 1 (Xland): adjectivs: unknown key" in message
    assert "allowed keys: code, wikidata, name, names, adjectives" in message


def test_unknown_sector(tmp_path):
    message = kb_error(tmp_path, "orgs:\n  - {code: RFM, name: Riverfront Militia, kind: armed_group}\n"
                                 "  - {code: RFX, name: Riverfront Front, kind: armed_group, sector: REBEL}\n")
    assert "mine.yaml: orgs entry 2 (Riverfront Front): sector: got 'REBEL'; expected one of BUS, CVL" in message
    assert "or null" in message


def test_organisation_without_kind(tmp_path):
    message = kb_error(tmp_path, "orgs:\n  - {code: RFM, name: Riverfront Militia, sector: REB}\n")
    assert "orgs entry 1 (Riverfront Militia): kind: missing; required: one of armed_group, cartel" in message


def test_wrong_type(tmp_path):
    message = kb_error(tmp_path, "orgs:\n  - {code: RFM, name: Riverfront Militia, kind: ngo, names: Riverfront}\n")
    assert "orgs entry 1 (Riverfront Militia): names: got 'Riverfront'; expected a list" in message


def test_bad_date_in_a_role(tmp_path):
    message = kb_error(tmp_path, "people:\n  - name: Zora Velk\n    roles:\n"
                                 "      - {code: SRB, sector: GOV, start: 2024-01-01}\n"
                                 "      - {code: SRB, sector: GOV, start: 2024-13-01}\n")
    assert "people entry 1 (Zora Velk): roles[2].start: got '2024-13-01'; expected a date in YYYY-MM-DD form" \
        in message


def test_unknown_section(tmp_path):
    message = kb_error(tmp_path, "organisations:\n  - {code: RFM, name: Riverfront Militia, kind: ngo}\n")
    assert "mine.yaml: organisations: unknown key; allowed keys: states, orgs, people, agents, titles" in message


def test_title_sector(tmp_path):
    message = kb_error(tmp_path, "titles:\n  - {sector: GOVT, office: Envoy, terms: [envoy]}\n")
    assert "titles entry 1 (Envoy): sector: got 'GOVT'; expected one of" in message


def test_case_sensitive_names_an_alias(tmp_path):
    message = kb_error(tmp_path, "states:\n  - {code: XXA, name: Xland, case_sensitive: [Xlandia]}\n")
    assert "states entry 1 (Xland): case_sensitive[1]: 'Xlandia' is not one of this entry's aliases" in message


def test_code_reports_the_error(tmp_path, capsys):
    from diurna.cli.main import main
    user = tmp_path / "mine.yaml"
    user.write_text("orgs:\n  - {code: RFM, name: Riverfront Militia, sector: REB}\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The Riverfront Militia attacked Goma.", encoding="utf-8")
    status = main(["code", str(article), "--no-db", "--jsonl", str(tmp_path / "out.jsonl"),
                   "--actors", str(user), "--quiet"])
    assert status != 0
    # the run names a copy of the file it made ("00-mine.yaml"): match the file's name only
    assert "mine.yaml: orgs entry 1 (Riverfront Militia): kind: missing" in capsys.readouterr().err


# -- case_sensitive -----------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("Officials in China said the talks went well.", {"CHN"}),
    ("Exports of fine china fell, officials said.", set()),
    ("Turkey hosted the talks.", {"TUR"}),
    ("They ate turkey at the talks.", set()),
])
def test_case_sensitive_aliases(coder, text, expected):
    mentions = resolve_mentions(coder.nlp(text), coder.kb, date(2025, 4, 1))
    assert {m.code for m in mentions if m.code} == expected


def test_case_sensitive_holds_for_a_lower_case_alias(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("orgs:\n  - {code: RFM, name: Riverfront Militia, kind: armed_group, sector: REB,\n"
                    "      names: [rfm], case_sensitive: [rfm]}\n", encoding="utf-8")
    kb = load_kb([user])
    assert [h.entry.code for h in kb.lookup("rfm")] == ["RFM"]
    assert kb.lookup("RFM") == [] and kb.lookup("Rfm") == []


# -- the trigger lexicon and the word lists ------------------------------------------------
def lexicon_error(text: str) -> str:
    with pytest.raises(LexiconError) as caught:
        read_lexicon(load_yaml(text), "triggers.yaml")
    return str(caught.value)


def test_lexicon_bad_trigger():
    message = lexicon_error("verbs:\n  meet: CONSULT 040\n  greet: CONSULTS 040\nnouns: {}\nlight_verbs: [hold]\n")
    assert "triggers.yaml: verbs entry 2 (greet): verbs.greet: got 'CONSULTS 040'; " \
           "expected 'TYPE CAMEO [mode]': a PLOVER type (AGREE, CONSULT" in message


def test_lexicon_unknown_and_missing_sections():
    assert "triggers.yaml: entry 3 (light_verb): unknown key; allowed keys: verbs, nouns, adjectives, " \
           "carried_only, light_verbs" in lexicon_error("verbs: {}\nnouns: {}\nlight_verb: [hold]\n")
    assert "triggers.yaml: light_verbs: missing; required: a list" in lexicon_error("verbs: {}\nnouns: {}\n")


def test_word_list_boolean_word():
    document = load_yaml("person_pronouns: [he, she]\ngroup_pronouns: [it]\nspeaker_pronouns: [we]\n"
                         "honorifics: [mr, no]\norganisation_words: [ministry]\n")
    with pytest.raises(LexiconError) as caught:
        read_english_words(document, "words.yaml")
    assert "words.yaml: entry 4 (honorifics): honorifics[2]: got false (YAML reads yes/no/on/off/true/false " \
           "as a boolean: quote the word); expected a word" in str(caught.value)


def test_word_list_unknown_and_missing_names():
    with pytest.raises(LexiconError, match=r"words.yaml: entry 1 \(weapon\): unknown key; allowed keys: "
                                           r"background_preps, "):
        read_event_words({"weapon": ["missile"]}, "words.yaml")
    with pytest.raises(LexiconError, match=r"words.yaml: background_preps: missing"):
        read_event_words({}, "words.yaml")


def test_recipient_preps_keys_are_event_types():
    from diurna.events.words import SCHEMA
    document = {name: ["x"] for name in SCHEMA.fields} | {"recipient_preps": {"default": ["to"], "CONSULTS": ["with"]}}
    with pytest.raises(LexiconError, match=r"recipient_preps entry 2 \(CONSULTS\): recipient_preps.CONSULTS: "
                                           r"got 'CONSULTS'; expected one of ACCUSE, AGREE"):
        read_event_words(document, "words.yaml")


# -- one pronoun list -------------------------------------------------------------------------
def test_pronoun_lists_exist_once():
    assert arguments.PRONOUNS_PERSON is prefilter._PERSON_PRONOUNS is ENGLISH.person_pronouns
    assert arguments.PRONOUNS_SPEAKER is prefilter._SPEAKER_PRONOUNS is ENGLISH.speaker_pronouns
    assert arguments.PRONOUNS_GROUP is ENGLISH.group_pronouns
