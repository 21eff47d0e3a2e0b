"""Each PLOVER type is coded from sentences we wrote, with the right actor and recipient."""
from __future__ import annotations

import pytest

from conftest import codes, find_event

# (sentence, publication date, type, actor codes ⊇, recipient codes ⊇)
CASES = [
    ("Japan agreed to provide $2 billion in loans to the Philippines.", "AGREE", {"JPN"}, {"PHL"}),
    ("NATO invited South Korea to its summit in The Hague.", "AGREE", {"NATO"}, {"KOR"}),
    ("Indian Prime Minister Narendra Modi met Chinese President Xi Jinping in Kazan on Wednesday.",
     "CONSULT", {"IND"}, {"CHN"}),
    ("Brazil's foreign minister held talks with his Argentine counterpart.", "CONSULT", {"BRA"}, {"ARG"}),
    ("Germany praised Poland for its handling of the crisis.", "SUPPORT", {"DEU"}, {"POL"}),
    ("Kenya and Ethiopia signed a border security agreement.", "SUPPORT", {"KEN", "ETH"}, set()),
    ("The Philippine navy conducted joint patrols with the Australian military.", "COOPERATE",
     {"PHL"}, {"AUS"}),
    ("Canada sent humanitarian aid to Sudan.", "AID", {"CAN"}, {"SDN"}),
    ("The European Union eased sanctions on Syria.", "CONCEDE", {"EU"}, {"SYR"}),
    ("Russia released two Estonian citizens.", "RETREAT", {"RUS"}, set()),
    ("Israeli troops withdrew from southern Lebanon.", "RETREAT", {"ISR"}, {"LBN"}),
    ("The United Nations urged Myanmar to release political prisoners.", "REQUEST", {"UN"}, {"MMR"}),
    ("Egypt condemned Israel over the strike.", "ACCUSE", {"EGY"}, {"ISR"}),
    ("Beijing accused Manila of provoking the incident.", "ACCUSE", {"CHN"}, {"PHL"}),
    ("Hungary rejected the European Commission's migration plan.", "REJECT", {"HUN"}, {"EU"}),
    ("North Korea threatened South Korea with nuclear retaliation.", "THREATEN", {"PRK"}, {"KOR"}),
    ("Serbian students protested against the government in Belgrade.", "PROTEST", {"SRB"}, set()),
    ("Washington imposed sanctions on Iranian oil exporters.", "SANCTION", {"USA"}, {"IRN"}),
    ("Lithuania expelled a Russian diplomat.", "SANCTION", {"LTU"}, {"RUS"}),
    ("In May 2024 the United States imposed visa restrictions on Georgia.", "SANCTION", {"USA"}, {"GEO"}),
    ("China deployed warships near Taiwan.", "MOBILIZE", {"CHN"}, set()),
    ("Turkish police arrested dozens of opposition supporters.", "COERCE", {"TUR"}, set()),
    ("Russian forces launched a missile attack on Kharkiv.", "ASSAULT", {"RUS"}, {"UKR"}),
    ("Houthi rebels attacked a commercial ship in the Red Sea.", "ASSAULT", {"HOUTHIS"}, set()),
]


@pytest.mark.parametrize("sentence,event_type,actors,recipients", CASES,
                         ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_sentence_is_coded(coder, sentence, event_type, actors, recipients):
    doc = coder.code(sentence, published="2025-03-03")
    event = find_event(doc, event_type)
    assert actors <= codes(event.actor)
    assert recipients <= codes(event.recipient)


def test_all_sixteen_types_are_covered():
    from diurna.records import PLOVER_TYPES
    assert {c[1] for c in CASES} == set(PLOVER_TYPES)


def test_lexicon_covers_all_types():
    from diurna.events.lexicon import load_lexicon
    from diurna.records import PLOVER_TYPES
    lexicon = load_lexicon()
    assert {t.event for t in lexicon.verbs.values()} == set(PLOVER_TYPES)


def test_event_carries_cameo_quad_and_score(coder):
    doc = coder.code("Russian forces launched a missile attack on Kharkiv.", published="2025-03-03")
    event = find_event(doc, "ASSAULT")
    assert event.cameo.startswith(("18", "19", "20"))
    assert event.quad_class == 4
    assert event.score < -5
