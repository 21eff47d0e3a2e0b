"""PLOVER modes and contexts (events/modes.py, events/data/modes.yaml): an example of
every mode and context the rules give, coded by the real coder where it finds the
event, and otherwise through the mode rules on the real parse of a sentence."""
from __future__ import annotations

import pytest

from diurna.errors import LexiconError
from diurna.events import cameo, modes
from diurna.events.candidates import Candidate
from diurna.events.lexicon import Trigger, load_lexicon
from diurna.yaml_data import package_yaml

PUBLISHED = "2024-05-01"

# (sentence, type, mode): the coder finds the event and gives it this mode.
CODED = [
    ("Secretary Blinken spoke by telephone with Turkish Foreign Minister Hakan Fidan on Monday.",
     "CONSULT", "phone"),
    ("President Macron held a video call with Chancellor Scholz.", "CONSULT", "phone"),
    ("The Turkish president visited Baghdad on Tuesday.", "CONSULT", "visit"),
    ("Secretary Austin met Japanese Defense Minister Kihara in Tokyo.", "CONSULT", "visit"),
    ("Japan's prime minister met the leaders of France and Germany on the sidelines of the summit.",
     "CONSULT", "multilateral"),
    ("Turkey brokered talks between Russia and Ukraine in Istanbul.", "CONSULT", "third-party"),
    ("The US envoy met Taliban officials in Doha.", "CONSULT", "third-party"),
    ("Hamas released three Israeli hostages on Saturday.", "RETREAT", "release"),
    ("Israeli troops withdrew from the Gaza city of Rafah.", "RETREAT", "withdraw"),
    ("Israel allowed UN inspectors access to the site.", "RETREAT", "access"),
    ("The Ukrainian defence minister resigned on Friday.", "RETREAT", "resign"),
    ("Police in Georgia seized the assets of the opposition party.", "COERCE", "seize"),
    ("Russian police arrested dozens of protesters in Moscow.", "COERCE", "arrest"),
    ("The Thai army imposed a curfew in Bangkok.", "COERCE", "curfew"),
    ("Ecuador's president declared a state of emergency after the attack.", "COERCE", "martial-law"),
    ("Russia deported two Estonian diplomats.", "COERCE", "deport"),
    ("China censored reports about the protests.", "COERCE", "censor"),
    ("Russia banned the opposition party.", "COERCE", "restrict"),
    ("Israeli warplanes bombed targets in southern Lebanon.", "ASSAULT", "aerial"),
    ("Russia launched a drone attack on Kyiv.", "ASSAULT", "drone"),
    ("Russian artillery shelled Kharkiv overnight.", "ASSAULT", "heavy-weapons"),
    ("Kenyan police fired tear gas at protesters in Nairobi.", "ASSAULT", "crowd-control"),
    ("Nigerian gunmen shot dead a Nigerian soldier near Abuja.", "ASSAULT", "firearms"),
    ("A car bomb attack by al-Shabaab killed five Somali soldiers in Mogadishu.", "ASSAULT", "explosives"),
    ("Boko Haram kidnapped 20 students in Nigeria.", "ASSAULT", "abduct"),
    ("Syrian forces attacked rebels in Douma with chemical weapons.", "ASSAULT", "unconventional"),
    ("Myanmar soldiers tortured villagers in Sagaing.", "ASSAULT", "torture"),
    ("Israel assassinated a Hamas commander in Beirut.", "ASSAULT", "targeted"),
    ("Kenyan rioters attacked Kenyan police with machetes and stones.", "ASSAULT", "primitive"),
    ("Russia deployed troops to the border with Ukraine.", "MOBILIZE", "troops"),
    ("China deployed warships near Taiwan.", "MOBILIZE", "weapons"),
    ("The Kenyan government deployed police to Nairobi.", "MOBILIZE", "police"),
    ("Hezbollah mobilized its militia fighters in southern Lebanon.", "MOBILIZE", "militia"),
    ("The United States imposed sanctions on Iran.", "SANCTION", "discontinue"),
    ("Russia expelled two American diplomats.", "SANCTION", "expel"),
    ("France recalled its ambassador from Niger.", "SANCTION", "withdraw"),
    ("The United States condemned Russia's attack.", "ACCUSE", "disapprove"),
    ("The United Nations launched an investigation into Israel.", "ACCUSE", "investigate"),
    ("Ukraine accused Russia of war crimes.", "ACCUSE", "allege"),
    ("Russia threatened to annex Ukrainian territory.", "THREATEN", "territory"),
    ("China threatened to cut off talks with the United States.", "THREATEN", "relations"),
    ("North Korea threatened to attack South Korea.", "THREATEN", "violence"),
    ("China threatened to impose a trade embargo on Australia.", "THREATEN", "restrict"),
    ("Iran threatened to arrest British sailors.", "THREATEN", "arrest"),
    ("The United States urged Israel to release the prisoners.", "REQUEST", "yield"),
    ("The European Union called on Serbia to hold talks with Kosovo.", "REQUEST", "meet"),
    ("The United States urged Georgia to repeal the law.", "REQUEST", "change"),
    ("Ukraine asked Germany for military aid.", "REQUEST", "assist"),
    ("Russia rejected calls for a ceasefire in Ukraine.", "REJECT", "yield"),
    ("Russia refused to hold talks with Ukraine.", "REJECT", "meet"),
    ("Israel rejected the American offer of aid.", "REJECT", "assist"),
    ("Thousands of Kenyans protested in Nairobi against the tax bill.", "PROTEST", "demo"),
    ("Kenyan rioters burned tires and threw stones at police in Nairobi.", "PROTEST", "riot"),
    ("French farmers blocked roads into Paris to protest against the French government.",
     "PROTEST", "obstruct"),
]

# (type, mode, sentence, trigger word): the mode rules on the parse, for modes whose
# events the coder does not (yet) find in a short sentence of their own.
RULED = [
    ("RETREAT", "ceasefire", "Israel and Hamas observed a truce in Gaza.", "observed"),
    ("RETREAT", "disarm", "The rebels handed over their weapons in a disarmament ceremony.", "handed"),
    ("COERCE", "withhold", "Israel cut off electricity to Gaza.", "cut"),
    ("COERCE", "cyber", "Iranian hackers hit Albanian networks in a cyberattack.", "hit"),
    ("COERCE", "misinformation", "Russia spread disinformation about the Moldovan elections.", "spread"),
    ("ASSAULT", "suicide-attack", "A suicide bomber attacked a police station in Quetta.", "attacked"),
    ("ASSAULT", "sexual", "Soldiers committed sexual violence against women in Bucha.", "committed"),
    ("ASSAULT", "beat", "Police attacked protesters with repeated beatings in Tbilisi.", "attacked"),
    ("ASSAULT", "destroy", "The army demolished homes in the village.", "demolished"),
    ("SANCTION", "convict", "A court sentenced the opposition leader to ten years.", "sentenced"),
    ("THREATEN", "expel", "Russia threatened the expulsion of Western diplomats.", "threatened"),
    ("PROTEST", "strike", "Doctors went on strike against the government.", "went"),
    ("PROTEST", "hunger", "Prisoners began a hunger strike in Evin prison.", "began"),
    ("PROTEST", "boycott", "Arab states called a boycott of Israeli goods.", "called"),
    ("PROTEST", "vandalize", "Activists defaced the embassy with graffiti.", "defaced"),
    ("REJECT", "change", "The president rejected demands for reform.", "rejected"),
]

# (context, words in the sentence "The United States condemned Russia over …")
CONTEXT_WORDS = [
    ("military", "its military drills"), ("intelligence", "its espionage"),
    ("executive", "a presidential decree"), ("legislative", "a law passed by parliament"),
    ("election", "the presidential election"), ("political_institutions", "a constitutional change"),
    ("pro_democracy", "its attacks on democracy"), ("pro_autocracy", "its support for the junta"),
    ("economic", "trade restrictions"), ("legal", "the court ruling"), ("reparations", "unpaid reparations"),
    ("human_rights", "human rights abuses"), ("rights_freedoms", "limits on press freedom"),
    ("repression", "the crackdown on dissidents"), ("human_security", "the famine it caused"),
    ("gender", "the treatment of women"), ("lgbt", "a law against gay people"),
    ("religion_ethnicity", "attacks on a mosque"), ("inequality", "discrimination against minorities"),
    ("diplomatic", "the closure of an embassy"), ("territory", "its claims of sovereignty"),
    ("peacekeeping", "attacks on peacekeepers"), ("health", "the cholera outbreak"),
    ("asylum", "the asylum seekers"), ("migration", "the refugees"), ("disasters", "the earthquake response"),
    ("natural_resource", "oil exports"), ("environment", "pollution of the river"),
    ("technology", "semiconductor controls"), ("terrorism", "support for terrorism"),
    ("cbrn", "nuclear weapons tests"), ("cyber", "a cyberattack"), ("misinformation", "disinformation"),
    ("crime", "criminal gangs"), ("corruption", "corruption"), ("illegal_drugs", "cocaine shipments"),
    ("trafficking", "human trafficking"),
]


def event_of(coder, sentence: str, event_type: str):
    doc = coder.code(sentence, published=PUBLISHED)
    found = [e for e in doc.events if e.event == event_type]
    assert found, f"no {event_type} in {sentence!r}: {[(e.event, e.mode) for e in doc.events]}"
    return found[0]


@pytest.mark.parametrize("sentence,event_type,mode", CODED)
def test_coded_mode(coder, sentence, event_type, mode):
    event = event_of(coder, sentence, event_type)
    assert event.mode == mode
    assert event.score == cameo.score(event_type, mode)


@pytest.mark.parametrize("event_type,mode,sentence,word", RULED)
def test_mode_rule_on_the_parse(coder, event_type, mode, sentence, word):
    doc = next(iter(coder.parser.pipe([sentence])))
    token = next(t for t in doc if t.text == word)
    assert modes.event_mode(Trigger(event_type, "000"), Candidate(Trigger(event_type, "000"), token, None),
                            None) == mode


def test_every_manual_mode_has_an_example():
    shown = {(t, m) for _, t, m in CODED} | {(t, m) for t, m, _, _ in RULED}
    manual = {(t, m) for t, ms in modes.DATA.manual_modes.items() for m in ms}
    ruled = {(r.event, r.mode) for rules in modes.DATA.rules.values() for r in rules}
    assert ruled <= manual
    assert manual - shown == set()


def test_words_far_from_the_trigger_give_no_mode(coder):
    # "phone" is in another clause: the meeting is not a call
    event = event_of(coder, "Blinken met Fidan in Washington, and Erdogan later said he would phone Putin.",
                     "CONSULT")
    assert event.mode != "phone"


def test_a_threat_s_mode_is_its_content(coder):
    assert event_of(coder, "Netanyahu warned that Israel would strike hard if Hezbollah attacked.",
                    "THREATEN").mode == "violence"


@pytest.mark.parametrize("context,words", CONTEXT_WORDS)
def test_context_from_the_sentence(coder, context, words):
    event = event_of(coder, f"The United States condemned Russia over {words}.", "ACCUSE")
    assert context in event.context


def test_context_from_the_parties(coder):
    # no context word in the sentence: Lavrov's office (foreign minister) makes it diplomatic,
    # the WHO health, Russian soldiers (sector MIL) military
    assert event_of(coder, "Lavrov criticised Poland.", "ACCUSE").context == ("diplomatic",)
    assert "health" in event_of(coder, "The WHO criticised Israel.", "ACCUSE").context
    assert "military" in event_of(coder, "Russian soldiers attacked Ukrainian villages.", "ASSAULT").context


def test_a_mode_that_is_a_context_adds_it(coder):
    doc = next(iter(coder.parser.pipe(["Russian hackers hit Estonian banks in a cyberattack."])))
    cand = Candidate(Trigger("COERCE", "176"), next(t for t in doc if t.text == "hit"), None)
    sentence = next(iter(doc.sents))
    assert modes.event_context("COERCE", cand, sentence, "cyber") == ("cyber",)
    assert modes.event_context("COERCE", cand, sentence, "arrest") == ("cyber",)      # the word alone
    assert "misinformation" in modes.event_context("COERCE", cand, sentence, "misinformation")


def test_no_context_without_a_reason(coder):
    assert event_of(coder, "Germany criticised Poland.", "ACCUSE").context == ()


def test_every_lexicon_mode_is_the_manual_s_or_renamed():
    lexicon = load_lexicon()
    for table in (lexicon.verbs, lexicon.nouns, lexicon.adjectives):
        for word, trigger in table.items():
            if trigger.mode is not None:
                assert trigger.mode in modes.DATA.renamed or \
                    trigger.mode in modes.DATA.manual_modes.get(trigger.event, ()), (word, trigger)
    assert modes.manual_mode("ASSAULT", "assassinate") == "targeted"
    assert modes.manual_mode("AID", "protect") is None


def test_a_mode_its_type_does_not_have_is_an_error():
    document = package_yaml("diurna.events", "data", "modes.yaml")
    document["mode_rules"].append({"event": "AID", "mode": "phone", "words": ["phone"]})
    with pytest.raises(LexiconError, match=r"modes\.yaml: mode_rules entry \d+ \(AID phone\): not a mode"):
        modes.read_modes(document)
    document = package_yaml("diurna.events", "data", "modes.yaml")
    document["contexts"]["weather"] = {"words": ["rain"]}
    with pytest.raises(LexiconError, match="weather"):
        modes.read_modes(document)
