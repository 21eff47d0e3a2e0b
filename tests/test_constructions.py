"""The grammatical constructions the event coder reads arguments from (issue: Events)."""
from __future__ import annotations


import pytest

from conftest import codes, find_event

PUBLISHED = "2025-03-05"   # a Wednesday


def code(coder, text, published=PUBLISHED):
    return coder.code(text, published=published)


def first_request(coder, text, published):
    """(actor codes, recipient codes) of the first REQUEST coded in the text."""
    appeal = next(e for e in coder.code(text, published=published).events if e.event == "REQUEST")
    return [a.code for a in appeal.actor], [r.code for r in appeal.recipient]


def test_active_voice(coder):
    event = find_event(code(coder, "Egypt condemned Israel."), "ACCUSE")
    assert codes(event.actor) == {"EGY"} and codes(event.recipient) == {"ISR"}


def test_passive_voice_with_by_agent(coder):
    event = find_event(code(coder, "Israel was condemned by Egypt."), "ACCUSE")
    assert codes(event.actor) == {"EGY"} and codes(event.recipient) == {"ISR"}


def test_committing_a_wrong_is_no_pledge_but_committing_money_is(coder):
    assert not code(coder, "Russia has committed war crimes in Ukraine.").events
    pledge = find_event(code(coder, "The United States has committed $5 billion in assistance to Ukraine."),
                        "AGREE")
    assert codes(pledge.actor) == {"USA"} and codes(pledge.recipient) == {"UKR"}


@pytest.mark.parametrize("text,expected", [
    # leaving a body or a pact is withdrawing from it …
    ("Mali, Burkina Faso and Niger left ECOWAS in January.", {("SANCTION", "ECOWAS")}),
    ("Russia left the Council of Europe in March.", {("SANCTION", "COE")}),
    # … leaving a city is a journey, leaving people dead is the fighting's toll
    ("Hours after Trump left Hanoi, North Korea said it wanted talks.", set()),
    ("The fighting left four Somali soldiers dead.", set()),
])
def test_leaving_is_withdrawal_only_from_a_body_or_pact(coder, text, expected):
    found = {(e.event, r.code) for e in code(coder, text).events for r in e.recipient if e.cameo == "161"}
    assert found == expected


def test_an_event_noun_said_of_its_subject_is_no_event(coder):
    assert not code(coder, "The exercise is a demonstration of NATO's ability to defend Poland.").events
    # "there have been" reports the strikes
    strikes = find_event(code(coder, "There have been more strikes by Russia on Ukraine."), "ASSAULT")
    assert codes(strikes.actor) == {"RUS"}


@pytest.mark.parametrize("text,event_type", [
    ("Nigerian unions launched their strike a week ago to protest the removal of the fuel subsidy.", "PROTEST"),
    ("Kenyan teachers' strike entered its second week on Monday.", "PROTEST"),
    ("Russia launched a strike on Kyiv.", "ASSAULT"),
])
def test_a_strike_by_workers_is_a_protest_not_an_attack(coder, text, event_type):
    assert {e.event for e in code(coder, text).events if "strike" in e.trigger.text} == {event_type}


def test_a_statement_released_is_no_release(coder):
    text = "The text of the following statement was released by the Governments of the United States and Kazakhstan."
    assert not code(coder, text).events


def test_a_finite_verb_misattached_to_a_participle_keeps_the_clauses_subject(coder):
    # the parser hangs "called" on "made"; it is coordinated with "condemned"
    text = ("The United States and the European Union have strongly condemned Navalny’s arrest and "
            "hundreds of arrests made last week and called on Russia to free them.")
    doc = coder.code(text, published="2021-01-28")
    event = find_event(doc, "REQUEST")
    assert codes(event.actor) == {"USA", "EU"} and codes(event.recipient) == {"RUS"}


@pytest.mark.parametrize("text,actors,recipients", [
    # captives the text says someone holds are let go by them
    ("Twenty-one schoolgirls kidnapped by Boko Haram were freed this week in Nigeria.", {"BOKOHARAM"}, {"NGA"}),
    ("Three Israeli hostages held by Hamas were released on Sunday.", {"HAMAS"}, {"ISR"}),
    # … otherwise the holding state (CONVENTIONS §12)
    ("Twenty-one schoolgirls were freed this week in Nigeria.", {"NGA"}, {"NGA"}),
])
def test_captives_are_released_by_their_captors(coder, text, actors, recipients):
    event = find_event(code(coder, text), "RETREAT")
    assert codes(event.actor) == actors and codes(event.recipient) == recipients


def test_pleading_with_someone_is_a_request_to_them(coder):
    event = find_event(code(coder, "Australia has been pleading with Indonesia to grant clemency to two citizens."),
                       "REQUEST")
    assert codes(event.actor) == {"AUS"} and codes(event.recipient) == {"IDN"}


def test_a_dateline_is_no_subject_and_a_group_from_several_states_is_those_states(coder):
    text = ("Seoul, South Korea — Top leaders from South Korea, China and Japan discussed regional "
            "stability on Monday, as they vowed to ramp up three-way cooperation.")
    doc = coder.code(text, published="2024-05-27")
    for event_type in ("CONSULT", "AGREE"):
        assert codes(find_event(doc, event_type).actor) == {"KOR", "CHN", "JPN"}


@pytest.mark.parametrize("text,event_type,state", [
    ("Kenyan riot police fired tear gas in two Nairobi slums.", "ASSAULT", "KEN"),
    ("Burkina Faso President Blaise Compaore declared a national curfew on Thursday.", "COERCE", "BFA"),
])
def test_an_act_whose_only_other_name_is_the_actors_own_ground_is_domestic(coder, text, event_type, state):
    event = find_event(coder.code(text, published="2014-10-30"), event_type)
    assert codes(event.actor) == {state} and codes(event.recipient) == {state}


@pytest.mark.parametrize("text,event_type,actors", [
    # with no doer named, the parties between whom it happened did it together
    ("The release was negotiated between the Nigerian government and Boko Haram.", "CONSULT",
     {"NGA", "BOKOHARAM"}),
    # a deal struck is agreed, not attacked
    ("A deal was struck between Sudan and South Sudan on Saturday.", "SUPPORT", {"SDN", "SSD"}),
])
def test_between_parties_act_together(coder, text, event_type, actors):
    assert codes(find_event(code(coder, text), event_type).actor) == actors


@pytest.mark.parametrize("text,cooperates", [
    ("Armenia decided to share information with Azerbaijan on minefields.", True),
    ("Iran and Pakistan share a 900-kilometer border.", False),
    ("Canada and the United States share a special relationship.", False),
])
def test_sharing_is_cooperation_only_of_things_given(coder, text, cooperates):
    assert any(e.event == "COOPERATE" for e in code(coder, text).events) == cooperates


def test_the_deed_someone_is_punished_for_is_background(coder):
    doc = code(coder, "The Venezuelan government has jailed hundreds of people for participating in "
                      "anti-government demonstrations.")
    assert [e.event for e in doc.events] == ["COERCE"]


@pytest.mark.parametrize("text,expected", [
    ("Russia violated the ceasefire in Ukraine.", [("ASSAULT", "violated")]),
    ("North Korea violated UN Security Council resolutions.", []),
])
def test_violating_a_truce_is_fighting_and_violating_a_resolution_is_no_event(coder, text, expected):
    assert [(e.event, e.trigger.text) for e in code(coder, text).events] == expected


def test_readiness_is_towards_whom_its_content_is_done(coder):
    event = find_event(code(coder, "Sudan is ready to resume talks with South Sudan."), "AGREE")
    assert codes(event.actor) == {"SDN"} and codes(event.recipient) == {"SSD"}


def test_the_alliance_is_the_organisation_named_before(coder):
    doc = code(coder, "NATO said the drills are no act of aggression. The alliance has invited Russia to observe.")
    event = find_event(doc, "AGREE")
    assert codes(event.actor) == {"NATO"} and codes(event.recipient) == {"RUS"}


def test_object_control(coder):
    doc = code(coder, "France urged Iran to release the detained diplomats.")
    event = find_event(doc, "REQUEST")
    assert codes(event.actor) == {"FRA"} and codes(event.recipient) == {"IRN"}
    assert not [e for e in doc.events if e.event == "RETREAT"], "the urged act is the request's content"


def test_invitation_to_participate_is_one_agree(coder):
    doc = code(coder, "NATO invited Japan to participate in its summit.")
    event = find_event(doc, "AGREE")
    assert codes(event.actor) == {"NATO"} and codes(event.recipient) == {"JPN"}
    assert len(doc.events) == 1


def test_agentless_passive_invitation_takes_the_host(coder):
    event = find_event(code(coder, "South Korea has been invited to NATO's summit."), "AGREE")
    assert codes(event.actor) == {"NATO"} and codes(event.recipient) == {"KOR"}


@pytest.mark.parametrize("text,event_type,actor,recipient", [
    ("Japan held talks with Vietnam.", "CONSULT", "JPN", "VNM"),
    ("The United States imposed sanctions on Venezuela.", "SANCTION", "USA", "VEN"),
    ("Israel launched strikes against Hezbollah.", "ASSAULT", "ISR", "HEZBOLLAH"),
    # whoever faces, takes or comes under an act named by a noun is its target
    ("Ukraine faces new attacks from Russia.", "ASSAULT", "RUS", "UKR"),
    ("Ukraine came under attack from Russian drones overnight.", "ASSAULT", "RUS", "UKR"),
    ("Seoul said it takes seriously the threats from North Korea.", "THREATEN", "PRK", "KOR"),
    # the passive of a feeling keeps the one who feels as the actor
    ("Japan was deeply disappointed by China's vote.", "ACCUSE", "JPN", "CHN"),
    ("The United States is alarmed by Russia's actions.", "ACCUSE", "USA", "RUS"),
    ("France was shocked by the attack on Israel.", "ACCUSE", "FRA", "ISR"),
    # … but a request in the passive is still the by-phrase's
    ("Kenya was encouraged by the United States to attend the talks.", "REQUEST", "USA", "KEN"),
    # seizures, easing, clemency and snubs
    ("The Philippines impounded a cargo vessel linked to North Korea.", "COERCE", "PHL", "PRK"),
    ("Western governments have begun relaxing sanctions against Burma.", "CONCEDE", "WST", "MMR"),
    ("The United States offered clemency to seven Iranians.", "CONCEDE", "USA", "IRN"),
    ("Indonesia's president spurned the appeals of Brazil.", "REJECT", "IDN", "BRA"),
    ("The Security Council voted against the Russian draft.", "REJECT", "UN", "RUS"),
    ("The United States stands in solidarity with the people of Sudan.", "SUPPORT", "USA", "SDN"),
])
def test_events_take_their_doer_and_target(coder, text, event_type, actor, recipient):
    event = find_event(code(coder, text), event_type)
    assert actor in codes(event.actor) and recipient in codes(event.recipient)


def test_coordination_on_both_sides(coder):
    event = find_event(code(coder, "Britain and France imposed sanctions on Russia and Belarus."), "SANCTION")
    assert codes(event.actor) == {"GBR", "FRA"} and codes(event.recipient) == {"RUS", "BLR"}


def test_compound_actors_are_one_event(coder):
    doc = code(coder, "South Korea held trilateral talks with the United States and Japan.")
    consults = [e for e in doc.events if e.event == "CONSULT"]
    assert len(consults) == 1
    assert codes(consults[0].recipient) == {"USA", "JPN"}


def test_relative_clause_subject(coder):
    doc = code(coder, "It was Iran, which attacked Israel last month, that drew the criticism.")
    event = find_event(doc, "ASSAULT")
    assert codes(event.actor) == {"IRN"} and codes(event.recipient) == {"ISR"}


def test_apposition_resolves_an_unknown_person(coder):
    doc = code(coder, "Haruto Sakamoto, Japan's top diplomat, met Indonesia's foreign minister.")
    event = find_event(doc, "CONSULT")
    assert codes(event.actor) == {"JPN"} and codes(event.recipient) == {"IDN"}


def test_nominal_event_with_parties(coder):
    doc = code(coder, "Talks between Armenia and Azerbaijan took place in Almaty.")
    event = find_event(doc, "CONSULT")
    assert {"ARM", "AZE"} <= codes(event.actor) | codes(event.recipient)


def test_reported_speech_codes_the_embedded_event(coder):
    doc = code(coder, "Kyiv officials said Russia attacked Ukraine's power grid.")
    event = find_event(doc, "ASSAULT")
    assert codes(event.actor) == {"RUS"} and codes(event.recipient) == {"UKR"}
    assert all(e.event != "CONSULT" for e in doc.events), "saying is not an event"


def test_pronoun_refers_back_to_a_person(coder):
    doc = code(coder, "Indonesian Foreign Minister Sugiono arrived in Tokyo. He met Japan's prime minister.")
    event = find_event(doc, "CONSULT")
    assert codes(event.actor) == {"IDN"} and "JPN" in codes(event.recipient)


# -- auxiliary mode -----------------------------------------------------------------
@pytest.mark.parametrize("text,event_type,aux", [
    ("Germany will send tanks to Ukraine.", "AID", "future"),
    ("Germany plans to send tanks to Ukraine.", "AID", "future"),
    ("Germany is due to meet Poland on Friday.", "CONSULT", "future"),
    ("Germany could impose sanctions on Iran.", "SANCTION", "hypothetical"),
    ("If talks fail, Germany would impose sanctions on Iran.", "SANCTION", "hypothetical"),
    ("Germany did not impose sanctions on Iran.", "SANCTION", "negation"),
    ("Germany refused to meet Iran.", "CONSULT", "negation"),
    ("Germany imposed sanctions on Iran.", "SANCTION", None),
])
def test_auxiliary_mode(coder, text, event_type, aux):
    event = find_event(code(coder, text), event_type)
    assert event.aux == aux


def test_refusal_is_itself_a_rejection(coder):
    doc = code(coder, "Germany refused to meet Iran.")
    assert find_event(doc, "REJECT")


def test_historical_events(coder):
    event = find_event(code(coder, "Iraq invaded Kuwait on August 2, 1990."), "ASSAULT")
    assert event.aux == "historical" and event.date == "1990-08-02"


# -- dates and places --------------------------------------------------------------------
@pytest.mark.parametrize("text,event_type,expected,precision", [
    ("Japan met Vietnam on Monday.", "CONSULT", "2025-03-03", "day"),
    ("Japan will meet Vietnam on Friday.", "CONSULT", "2025-03-07", "day"),
    ("Japan met Vietnam yesterday.", "CONSULT", "2025-03-04", "day"),
    ("Japan met Vietnam last week.", "CONSULT", "2025-02-24", "week"),
    ("Japan met Vietnam on February 12.", "CONSULT", "2025-02-12", "day"),
    ("Japan met Vietnam in January.", "CONSULT", "2025-01-01", "month"),
])
def test_dates_resolve_against_publication(coder, text, event_type, expected, precision):
    event = find_event(code(coder, text), event_type)
    assert (event.date, event.date_precision) == (expected, precision)


def test_event_place_has_coordinates(coder):
    event = find_event(code(coder, "Japan met Vietnam in Hanoi on Monday."), "CONSULT")
    assert event.event_loc.name == "Hanoi" and event.event_loc.country == "VNM"
    assert abs(event.event_loc.lat - 21.0) < 0.5


def test_a_known_person_whose_surname_is_a_town_is_no_place(coder):
    # Rubio is also a town in Venezuela; here it is the US Secretary of State
    event = find_event(code(coder, "Japan's foreign minister held talks in Tokyo with US Secretary of State "
                                   "Marco Rubio on Monday."), "CONSULT")
    assert event.event_loc is not None and event.event_loc.name == "Tokyo"
    event = find_event(code(coder, "Japan will engage in talks with US Secretary of State Marco Rubio."),
                       "CONSULT")
    assert event.event_loc is None


def test_event_cap_is_reported(coder):
    parts = ", ".join(f"{c} condemned Russia" for c in
                      ["France", "Germany", "Italy", "Spain", "Poland", "Sweden", "Norway", "Finland"])
    doc = code(coder, parts + ".")
    from diurna.events.extract import MAX_EVENTS_PER_SENTENCE
    assert len(doc.events) <= MAX_EVENTS_PER_SENTENCE
    assert any("cap" in note for note in doc.notes)


def test_one_event_per_trigger(coder):
    doc = code(coder, "Egypt and Jordan condemned Israel and Iran.")
    triggers = [e.trigger.start for e in doc.events]
    assert len(triggers) == len(set(triggers))


def test_deployment_aimed_at_the_documents_aggressor(coder):
    doc = code(coder, "On April 12, 2024 the Pentagon warned of a possible escalation by Iran against Israel. "
                      "Defense Secretary Lloyd Austin ordered the deployment of an additional fighter squadron "
                      "to the region.", published="2024-04-14")   # while Austin was in office
    assert codes(find_event(doc, "MOBILIZE").recipient) == {"IRN"}


def test_deployment_without_a_conflict_has_no_target(coder):
    doc = code(coder, "Japan ordered the deployment of troops to Okinawa on Monday.")
    assert codes(find_event(doc, "MOBILIZE").recipient) == set()


def test_hostile_act_targets_the_other_side_of_the_fighting(coder):
    doc = code(coder, "Fighting between Armenia and Azerbaijan erupted along the border in September 2022. "
                      "Azerbaijan broke the ceasefire on September 13, the European Union and Russia said.")
    broke = next(e for e in doc.events if e.trigger.text == "broke")
    assert codes(broke.actor) == {"AZE"} and codes(broke.recipient) == {"ARM"}


def test_sanctions_over_abuses_target_the_abuser_not_the_victims(coder):
    doc = code(coder, "Ukraine's government welcomed the step. Ukraine has long asked for it. After Russia's "
                      "invasion of Ukraine, the European Union on June 23, 2023 imposed sanctions on nine "
                      "officials for deporting Ukrainian children to camps in Russia.")
    event = find_event(doc, "SANCTION")
    assert codes(event.actor) == {"EU"} and codes(event.recipient) == {"RUS"}


@pytest.mark.parametrize("text", [
    "In May 2024 the United States took steps to impose visa restrictions on Georgia.",
    "The United States is taking steps to impose visa restrictions on Georgian officials.",
])
def test_taking_steps_to_act_is_the_subjects_planned_act(coder, text):
    event = find_event(code(coder, text), "SANCTION")
    assert codes(event.actor) == {"USA"} and codes(event.recipient) == {"GEO"}
    assert event.aux == "future"


def test_intercepting_munitions_aimed_at_another_state_is_protection(coder):
    doc = code(coder, "On April 13, 2024 U.S. forces intercepted dozens of drones launched by Iran toward Israel.",
               published="2024-04-14")
    event = find_event(doc, "AID")
    assert codes(event.actor) == {"USA"} and codes(event.recipient) == {"ISR"}


@pytest.mark.parametrize("text", [
    "Russia's defense ministry said it destroyed five Ukrainian drones over the Belgorod region.",
    "Ukraine's air force said it shot down 20 of the Russian missiles.",
])
def test_downing_incoming_munitions_is_not_an_attack(coder, text):
    assert not [e for e in code(coder, text).events if e.event == "ASSAULT"]


def test_destroying_other_targets_is_still_an_attack(coder):
    event = find_event(code(coder, "Russian forces destroyed a Ukrainian tank near Bakhmut."), "ASSAULT")
    assert codes(event.actor) == {"RUS"} and codes(event.recipient) == {"UKR"}


@pytest.mark.parametrize("text,actor,recipient", [
    ("North Korea said on Tuesday that South Korea would face grave consequences for the drills.", "PRK", "KOR"),
    # a bare "they" is whoever was addressed
    ("In January 2024 the United States told the Houthis that they would pay a heavy price for further "
     "attacks on shipping.", "USA", "HOUTHIS"),
])
def test_saying_that_someone_will_pay_is_a_threat(coder, text, actor, recipient):
    event = find_event(code(coder, text, published="2024-01-20"), "THREATEN")
    assert codes(event.actor) == {actor} and codes(event.recipient) == {recipient}
    assert event.aux is None, "the threat is made as it is said"


def test_a_price_already_paid_is_no_threat(coder):
    doc = code(coder, "Germany paid a heavy price for its dependence on Russian gas.")
    assert not [e for e in doc.events if e.event == "THREATEN"]


def test_ordering_warships_somewhere_is_a_deployment(coder):
    doc = code(coder, "In October 2023 Defense Secretary Lloyd Austin ordered two destroyers to the eastern "
                      "Mediterranean.", published="2023-10-20")
    assert codes(find_event(doc, "MOBILIZE").actor) == {"USA"}


def test_other_orders_are_not_deployments(coder):
    assert not code(coder, "The court ordered the company to pay damages.").events


def test_a_deployment_is_not_aimed_at_the_actors_own_command(coder):
    doc = code(coder, "In August 2024 Defense Secretary Lloyd Austin ordered a fighter squadron to U.S. "
                      "Central Command.", published="2024-08-10")
    event = find_event(doc, "MOBILIZE")
    assert codes(event.actor) == {"USA"} and codes(event.recipient) == set()


def test_same_act_at_another_named_place_is_another_event(coder):
    doc = code(coder, "Ukrainian officials said Russian missiles killed two people in Kharkiv on Tuesday. "
                      "In Odesa, officials said a Russian drone killed one person.")
    assert len([e for e in doc.events if e.event == "ASSAULT"]) == 2


def test_same_act_told_again_without_a_new_place_is_one_event(coder):
    doc = code(coder, "Russian missiles killed two people in Kharkiv on Tuesday. "
                      "The strike killed two people, the governor said.")
    assert len([e for e in doc.events if e.event == "ASSAULT"]) == 1


@pytest.mark.parametrize("text", [
    "In 2024 Iran supplied drones that enable Russia to conduct strikes on Ukrainian cities.",
    "In 2024 Washington sanctioned firms that supply the parts the Houthis use to conduct attacks on shipping.",
    "Britain pledged to degrade the ability of the Houthis to conduct attacks on shipping.",
])
def test_a_capacity_to_attack_is_not_an_attack(coder, text):
    assert not [e for e in code(coder, text).events if e.event == "ASSAULT"]


def test_attacks_conducted_are_attacks(coder):
    event = find_event(code(coder, "On May 8, 2024 Russia conducted strikes on Kharkiv."), "ASSAULT")
    assert codes(event.actor) == {"RUS"} and codes(event.recipient) == {"UKR"}


def test_help_against_an_attack_is_not_aid_to_the_attacker(coder):
    doc = code(coder, "On April 14, 2024 British pilots helped to save lives from Iran's drone attack.",
               published="2024-04-15")
    assert not [e for e in doc.events if e.event == "AID" and "IRN" in codes(e.recipient)]
    shielded = find_event(code(coder, "On April 14, 2024 British pilots helped to shield Israel from "
                                      "Iran's drone attack.", published="2024-04-15"), "AID")
    assert codes(shielded.recipient) == {"ISR"}


def test_both_sides_are_the_sides_of_the_documents_conflict(coder):
    doc = code(coder, "The conflict between the Sudanese army and the RSF began in April 2023. "
                      "In May 2023 Saudi Arabia urged both sides to respect the truce.", published="2023-05-20")
    event = find_event(doc, "REQUEST")
    assert codes(event.actor) == {"SAU"} and codes(event.recipient) == {"SDN", "RSF"}


def test_both_sides_without_a_conflict_name_no_one(coder):
    doc = code(coder, "In May 2023 Saudi Arabia urged both sides to respect the truce.", published="2023-05-20")
    assert not [e for e in doc.events if e.recipient]


def test_giving_time_to_act_is_a_demand(coder):
    doc = code(coder, "In December 2024 ECOWAS gave the military rulers of Mali, Burkina Faso and Niger six months "
                      "to reconsider their exit.", published="2024-12-20")
    event = find_event(doc, "REQUEST")
    assert codes(event.actor) == {"ECOWAS"} and codes(event.recipient) == {"MLI", "BFA", "NER"}
    assert not [e for e in doc.events if e.event == "AID"]


@pytest.mark.parametrize("text,actor,recipient", [
    # the attackers of an earlier sentence
    ('On January 9, 2024 the Houthis attacked U.S. warships in the Red Sea. "These attacks must stop," '
     'Secretary of State Antony Blinken said.', "USA", "HOUTHIS"),
    # the attacker named with the attacks
    ('"Russia\'s attacks on Ukrainian ports must stop," Britain\'s foreign secretary said in July 2023.',
     "GBR", "RUS"),
])
def test_saying_attacks_must_stop_is_a_demand_on_the_attacker(coder, text, actor, recipient):
    event = find_event(code(coder, text, published="2024-01-10"), "REQUEST")
    assert codes(event.actor) == {actor} and codes(event.recipient) == {recipient}


def test_other_things_that_must_stop_are_no_demand(coder):
    doc = code(coder, '"These talks must stop," Secretary of State Antony Blinken said.', published="2024-01-10")
    assert not [e for e in doc.events if e.event == "REQUEST"]


def test_an_attack_protected_from_is_background(coder):
    saved = code(coder, "On April 14, 2024 British pilots helped to save lives from Iran's drone attack.",
                 published="2024-04-15")
    assert not [e for e in saved.events if e.event == "ASSAULT"]
    damage = code(coder, "In May 2023 Ukrainian officials reported damage from Russia's attack on Kherson.")
    assert codes(find_event(damage, "ASSAULT").actor) == {"RUS"}


# -- headlines, doubt, domestic acts, generic agents (issue 15) ------------------------
def test_a_headline_is_its_own_sentence_and_its_reduced_passive_keeps_the_roles(coder):
    doc = code(coder, "Iran sanctioned by EU over drone sales\nThe ministers met in Brussels on Monday.")
    event = find_event(doc, "SANCTION")
    assert event.sentence.text.strip() == "Iran sanctioned by EU over drone sales"
    assert codes(event.actor) == {"EU"} and codes(event.recipient) == {"IRN"}


def test_a_paragraph_on_its_own_line_is_its_own_sentence_but_a_wrapped_line_is_not(coder):
    text = ("Title line\nThe minister said: \"We stand with Kyiv. #StandWithUkraine.\"\n"
            "French President Emmanuel Macron expressed his support for Ukraine on Monday.")
    [event] = [e for e in code(coder, text).events if "Macron" in e.sentence.text]
    assert event.sentence.text.startswith("French President") and codes(event.actor) == {"FRA"}
    wrapped = code(coder, "Title line\nFrench President Emmanuel Macron met German\nChancellor Olaf Scholz "
                          "in Berlin on\nMonday.")
    assert codes(find_event(wrapped, "CONSULT").recipient) == {"DEU"}


def test_an_event_under_a_verb_of_doubt_is_not_coded(coder):
    assert not [e for e in code(coder, "Trump questioned Washington's commitment to NATO on Tuesday.").events
                if e.event in ("AGREE", "SUPPORT")]
    assert find_event(code(coder, "Germany reaffirmed its commitment to NATO on Tuesday."), "AGREE")


def test_a_domestic_act_with_no_one_else_named_is_coded_on_the_actors_own_country(coder):
    text = "Kenya's opposition called for protests in Nairobi. Kenyan police banned the demonstrations on Sunday."
    event = find_event(code(coder, text), "COERCE")
    assert codes(event.actor) == {"KEN"} and codes(event.recipient) == {"KEN"}


def test_bare_agents_take_the_state_in_focus_and_titled_strangers_too(coder):
    text = ("Burkina Faso's capital was calm on Monday. Burkina Faso's army said order was restored. "
            "Police fired tear gas at protesters in Ouagadougou. "
            "President Blaise Compaore declared a state of emergency in Burkina Faso.")
    doc = code(coder, text)
    assault = find_event(doc, "ASSAULT")
    assert codes(assault.actor) == {"BFA"}
    people = {a.text: a.code for a in doc.actors}
    assert people.get("President Blaise Compaore") == "BFA"


@pytest.mark.parametrize("text, published, expected", [
    # "we" inside a quotation speaks for whoever the sentence says is talking
    ('The United States condemned the attack. "We reject Russia\'s claims," Iranian Foreign '
     'Minister Abbas Araghchi said on Monday.', "2025-03-01", ("REJECT", {"IRN"}, {"RUS"})),
    # the object a subject would come through is no one: whoever acted on it acts
    ("In July, the Syrian government issued an order restricting the movements of foreign ambassadors.",
     "2011-09-01", ("COERCE", {"SYR"}, {"SYR"})),
    ("Indian Prime Minister Narendra Modi used his Independence Day address to call on Pakistan "
     "to end the violence in Kashmir.", "2016-08-15", ("REQUEST", {"IND"}, {"PAK"})),
    # the means: "by" with a gerund is done by the subject of the verb it serves
    ("Taiwan reacted to Panama's decision by cutting formal ties with Panama.", "2017-06-13",
     ("SANCTION", {"TWN"}, {"PAN"})),
    ("The United States joins the international community in condemning Russia's attacks on Ukraine.",
     "2022-10-10", ("ACCUSE", {"USA"}, {"RUS"})),
    ("The United States commends Egypt's crucial role in mediating the ceasefire between Israel and Hamas.",
     "2021-05-21", ("CONSULT", {"EGY"}, {"ISR", "HAMAS"})),
    # a passive verb's subject does what its complement says
    ("Iranian President Ebrahim Raisi is scheduled to meet Pakistani Prime Minister Shehbaz Sharif on Tuesday.",
     "2024-04-22", ("CONSULT", {"IRN"}, {"PAK"})),
    # "I" in a quotation is the sayer
    ('"Today I urged Russia to withdraw its troops," U.S. Defense Secretary Lloyd Austin said.', "2024-04-26",
     ("REQUEST", {"USA"}, {"RUS"})),
    # a deed named by a noun is done by the subject of the verb that carries it out …
    ("Houthi rebels stepped up their attacks on Saudi Arabia on Monday.", "2019-06-10",
     ("ASSAULT", {"HOUTHIS"}, {"SAU"})),
    # people protesting with no one named protest to their own state, whoever else the sentence names
    ("Thousands of protesters rallied in Tbilisi on Saturday after Georgia's government said it would "
     "halt talks with the European Union.", "2024-12-01", ("PROTEST", {"GEO"}, {"GEO"})),
    # "he" two sentences after the person was named
    ("Iranian Foreign Minister Abbas Araghchi arrived in Oslo on Monday. The talks were held behind "
     "closed doors. On Tuesday, he accused Israel of sabotage.", "2025-05-05", ("ACCUSE", {"IRN"}, {"ISR"})),
    # an arrest by a state's police on its own soil is domestic, though the place was named
    ("Police in Indonesia arrested three men on Friday in connection with a deadly bombing in Jakarta.",
     "2016-01-15", ("COERCE", {"IDN"}, {"IDN"})),
    # the state a visit is made in hosts it
    ("Iranian President Ebrahim Raisi arrived in Pakistan on Monday for official meetings.", "2024-04-22",
     ("CONSULT", {"IRN"}, {"PAK"})),
    ("The Eritrean delegation arrived in Addis Ababa on Tuesday.", "2018-06-26", ("CONSULT", {"ERI"}, {"ETH"})),
    # "they" opening a sentence continues the several subjects of the one before
    ("Sudan and South Sudan signed an oil deal on Monday. They held four days of talks with Ethiopia.",
     "2012-09-27", ("CONSULT", {"SDN", "SSD"}, {"ETH"})),
])
def test_the_doer_behind_quotes_orders_and_purposes(coder, text, published, expected):
    doc = coder.code(text, published=published)
    found = {(e.event, frozenset(a.code for a in e.actor), frozenset(r.code for r in e.recipient))
             for e in doc.events}
    event, actors, recipients = expected
    assert (event, frozenset(actors), frozenset(recipients)) in found


@pytest.mark.parametrize("text, recipients", [
    ("The United States welcomes the agreement reached by Israel and Hamas.", {"ISR", "HAMAS"}),
    ("The United States commends the important roles played by Qatar and Jordan.", {"QAT", "JOR"}),
    ("The United States commends the efforts made by Qatar to end the war.", {"QAT"}),
])
def test_praise_of_an_act_goes_to_whoever_the_acts_participle_names(coder, text, recipients):
    event = find_event(code(coder, text), "SUPPORT")
    assert codes(event.actor) == {"USA"} and codes(event.recipient) == recipients


def test_a_group_led_by_someone_is_no_act_of_theirs(coder):
    doc = code(coder, "Japan's foreign minister welcomed a delegation led by Vietnam's foreign minister.")
    assert not any(e.event == "SUPPORT" for e in doc.events)


def test_an_act_after_which_something_comes_has_no_experiencer(coder):
    doc = code(coder, "Pakistan's protest comes one day after attacks from India.")
    assert not any(e.event == "ASSAULT" and codes(e.recipient) == {"PAK"} for e in doc.events)


def test_a_judged_deed_is_not_the_judges(coder):
    # … but not by whoever condemns, welcomes or reports it
    doc = coder.code("The United States condemned the attack on Israel.", published="2024-04-14")
    assert {(e.event, tuple(a.code for a in e.actor)) for e in doc.events} == {("ACCUSE", ("USA",))}
    # nor is the past the news is anchored in a new deed
    doc = coder.code("The EU adopted new sanctions against Russia on Monday, the first since Moscow "
                     "launched its full-scale invasion of Ukraine.", published="2024-06-24")
    assert not any(e.event == "ASSAULT" for e in doc.events)


def test_an_appeal_to_people_of_no_named_state_goes_to_the_state_the_text_is_about(coder):
    text = ("The United States congratulates Armenia on its parliamentary elections. Armenia's voters "
            "turned out in large numbers. We urge law enforcement officials to investigate credible "
            "reports of election violations.")
    assert first_request(coder, text, "2017-04-04") == (["USA"], ["ARM"])
    # allies and partners are states themselves, not people of the state in focus
    doc = coder.code("Ukraine said Russia fired 38 missiles at Kyiv. Russia denied targeting civilians. "
                     "Ukrainian President Volodymyr Zelensky urged allies to send more air defence systems.",
                     published="2024-07-09")
    assert not any(e.event == "REQUEST" and {r.code for r in e.recipient} == {"RUS"} for e in doc.events)
    # a state named once is not enough to be what the text is about
    doc = coder.code("The United States welcomed the talks in Armenia. We urge all sides to show restraint.",
                     published="2017-04-04")
    assert not any(e.event == "REQUEST" for e in doc.events)


@pytest.mark.parametrize("text, published, expected", [
    # the state the arrest happened in made it
    ("Al-Ahmad was arrested in Turkey in 2011.", "2016-09-01", ("COERCE", {"TUR"}, set())),
    # people let out of prison with no one named were freed by their own state
    ("Well known Chinese lawyer and activist Gao Zhisheng has been released from prison after three years.",
     "2014-08-07", ("RETREAT", {"CHN"}, {"CHN"})),
    ("Forty-six Burmese political prisoners have been freed as part of a general amnesty.", "2012-09-17",
     ("RETREAT", {"MMR"}, {"MMR"})),
    # people counted ("a number of …") are people; a state's ministers are held at home,
    # even while it fights a war
    ("France fought jihadists in Mali with Malian troops. A number of Malian government ministers have "
     "been arrested.", "2012-03-22", ("COERCE", {"MLI"}, {"MLI"})),
])
def test_custody_with_no_agent_named_is_the_holding_states(coder, text, published, expected):
    doc = coder.code(text, published=published)
    event, actors, recipients = expected
    found = [e for e in doc.events if e.event == event and {a.code for a in e.actor} == actors]
    assert found and recipients <= {r.code for r in found[0].recipient}


def test_releasing_what_is_not_people_is_no_release_from_custody(coder):
    doc = coder.code("Kenyan Interior Minister Fred Matiangi released the order on Thursday.", published="2017-10-26")
    assert not any(e.event == "RETREAT" for e in doc.events)
    doc = coder.code("Kenya released six detained opposition lawmakers on Thursday.", published="2017-10-26")
    assert find_event(doc, "RETREAT")


def test_results_released_are_no_release_from_custody(coder):
    doc = coder.code("Congolese protesters walked in circles in front of the White House denouncing vote "
                     "results released Friday in the D.R.C.", published="2019-01-12")
    assert not any(e.event == "RETREAT" for e in doc.events)


def test_a_statement_speaks_as_whoever_issues_it_in_its_opening_line(coder):
    text = ("The United States strongly condemns Russia's decision to arrest Alexei Navalny. Russia has "
            "detained hundreds of protesters. Russia says the arrests were lawful. We urge the Russian "
            "government to release him.")
    assert first_request(coder, text, "2021-01-18") == (["USA"], ["RUS"])


def test_we_is_not_the_state_it_speaks_to(coder):
    # Georgia is the subject most often, but "we" commends it: the next likeliest speaker does
    text = ("Georgia held elections on Saturday. Georgia contributes troops to NATO missions. The "
            "United States supports Georgia's path to Europe. We commend Georgia's contributions to "
            "the mission.")
    doc = coder.code(text, published="2016-09-01")
    praise = [e for e in doc.events if e.event == "SUPPORT" and "commend" in e.trigger.text]
    assert praise and [a.code for a in praise[0].actor] == ["USA"]


def test_the_two_countries_are_the_last_two_named_when_no_conflict_gives_sides(coder):
    text = ("Sudan and South Sudan signed an oil deal on Monday. The two leaders have agreed to meet again "
            "within one month.")
    doc = coder.code(text, published="2012-09-27")
    agreed = [e for e in doc.events if e.event == "AGREE" and "agreed" in e.trigger.text]
    assert agreed and {a.code for a in agreed[0].actor} == {"SDN", "SSD"}


def test_a_group_with_a_three_letter_code_is_no_state_acting_at_home(coder):
    # the ELN's code has three letters like a state's; its refusal is not a domestic act
    doc = coder.code("The 1,500-member strong ELN has refused to sign on to the agreement.", published="2016-10-04")
    assert not any({a.code for a in e.actor} == {"ELN"} and {r.code for r in e.recipient} == {"ELN"}
                   for e in doc.events)


def test_an_act_done_to_someone_takes_them_with_of(coder):
    doc = coder.code("The United States welcomes the release by Azerbaijan of 15 Armenian detainees.",
                     published="2021-07-05")
    release = [e for e in doc.events if e.event == "RETREAT"]
    assert release and ({a.code for a in release[0].actor}, {r.code for r in release[0].recipient}) == ({"AZE"}, {"ARM"})


@pytest.mark.parametrize("text", [
    "Thousands of protesters filled the streets of Port-au-Prince to demand that the president step down.",
    "Venezuelan opposition supporters rallied in Caracas, calling for Maduro to step down.",
    "Belarusian President Alexander Lukashenko is refusing calls to step down.",
])
def test_what_someone_wants_another_to_do_is_not_done(coder, text):
    doc = coder.code(text, published="2019-01-12")
    assert not any(e.event == "RETREAT" for e in doc.events)


def test_returning_home_is_no_release_and_returning_fire_is_an_attack(coder):
    doc = coder.code("Pakistani Foreign Minister Shah Mahmood Qureshi returned from Kabul on Monday.",
                     published="2019-10-08")
    assert not any(e.event == "RETREAT" for e in doc.events)
    doc = coder.code("Indian troops returned fire from across the border with Pakistan.", published="2019-10-08")
    assert any(e.event == "ASSAULT" for e in doc.events)


@pytest.mark.parametrize("text, actors, recipients", [
    # police deployed at home keep order there
    ("Thai police said they had deployed 600 officers to observe the demonstration.", {"THA"}, {"THA"}),
    # forces moved around someone are shown to them
    ("Chinese jets and warships have frequently made dangerous maneuvers around the self-ruled island of Taiwan.",
     {"CHN"}, {"TWN"}),
])
def test_deployments_at_home_and_around_others(coder, text, actors, recipients):
    doc = coder.code(text, published="2020-06-01")
    assert ("MOBILIZE", actors, recipients) in [(e.event, {a.code for a in e.actor}, {r.code for r in e.recipient})
                                                 for e in doc.events]


def test_rights_groups_telling_of_harm_accuse_the_doer_but_states_only_report(coder):
    doc = coder.code("Human rights groups say Kenyan police killed at least 67 people during protests.",
                     published="2017-10-16")
    assert any(e.event == "ACCUSE" and e.trigger.text == "say" and {r.code for r in e.recipient} == {"KEN"}
               for e in doc.events)
    assert any(e.event == "ASSAULT" for e in doc.events)      # the claimed act is coded too
    for text in ("Armenia's Defense Ministry said its troops shot down two Azerbaijani helicopters.",
                 "Russia attacked Ukraine on Monday, Kyiv said."):
        doc = coder.code(text, published="2020-09-27")
        assert not any(e.event == "ACCUSE" for e in doc.events)


def test_call_for_someone_to_act_is_a_demand_though_for_marks_the_clause(coder):
    doc = coder.code("German Chancellor Angela Merkel called for European nations to work together.",
                     published="2017-05-28")
    assert [e.event for e in doc.events if e.trigger.text.startswith("called")] == ["REQUEST"]


@pytest.mark.parametrize("text, expected", [
    # a government protesting lodges a complaint
    ("India protested the violations by Pakistani security forces.", ("ACCUSE", "111", {"IND"}, {"PAK"})),
    # a state blocking a border restricts movement; protesters blocking roads protest
    ("Hungary blocked its border with Serbia on Tuesday.", ("COERCE", "191", {"HUN"}, {"SRB"})),
    ("Thousands of Kenyan protesters blocked roads in Nairobi on Monday.", ("PROTEST", "144", {"KEN"}, {"KEN"})),
])
def test_what_an_act_is_depends_on_who_does_it(coder, text, expected):
    doc = coder.code(text, published="2012-08-19")
    event, cameo, actors, recipients = expected
    assert (event, cameo, actors, recipients) in [(e.event, e.cameo, {a.code for a in e.actor},
                                                   {r.code for r in e.recipient}) for e in doc.events]


@pytest.mark.parametrize("text, expected", [
    # rebels are the armed group the text is about, not the state they fight
    ("The Taliban attacked a checkpoint in Kunduz on Monday. Afghan officials said the militants seized "
     "several neighborhoods in Ghazni.", ("COERCE", {"TALIBAN"})),
    # … or the one named in their own phrase, written as a sentence opens it
    ("Al-Qaida-linked militants attacked the Amenas gas complex in eastern Algeria on Wednesday.",
     ("ASSAULT", {"AQ"})),
])
def test_bare_rebels_are_the_texts_armed_group(coder, text, expected):
    doc = coder.code(text, published="2013-01-17")
    event, actors = expected
    found = [(e.event, {a.code for a in e.actor}, {r.code for r in e.recipient}) for e in doc.events]
    assert any(f[0] == event and f[1] == actors for f in found), found


@pytest.mark.parametrize("text", [
    "Large protests were held in the southern Indian cities of Bangalore and Kochi on Friday.",
    "Pakistan's government arrested Imran Khan on Tuesday. Pakistani police closed roads in Islamabad. "
    "Angry protests and demonstrations also erupted across the province.",
])
def test_unnamed_protesters_protest_at_home(coder, text):
    doc = coder.code(text, published="2023-01-10")
    protests = [e for e in doc.events if e.event == "PROTEST"]
    assert protests and all({a.code for a in e.actor} == {r.code for r in e.recipient} for e in protests)
    assert all(a.sector == "CVL" for e in protests for a in e.actor)


def test_force_on_protesters_with_no_one_named_is_the_police(coder):
    doc = coder.code("Thai protesters marched on Government House on Thursday. Crowds of Thai protesters "
                     "were dispersed with water cannon on Friday.", published="2020-10-17")
    dispersal = [e for e in doc.events if e.event == "COERCE"]
    assert dispersal and ([(a.code, a.sector) for a in dispersal[0].actor], {r.code for r in dispersal[0].recipient}) \
        == ([("THA", "POL")], {"THA"})


@pytest.mark.parametrize("text", [
    'Kenyan President Uhuru Kenyatta called the justices "crooks" on Saturday.',
    'North Korea says it has entered what it calls a "state of war" against South Korea.',
])
def test_calling_something_a_name_is_no_phone_call(coder, text):
    doc = coder.code(text, published="2017-09-02")
    assert not any(e.event == "CONSULT" for e in doc.events)


def test_a_crowd_filling_the_streets_protests_and_its_demand_is_the_protests_aim(coder):
    text = ("Haiti's government raised fuel prices on Monday. Haitian police closed roads in Port-au-Prince. "
            "Thousands of protesters filled the streets of St. Marc to demand that the president resign.")
    for fast in (True, False):          # the pre-filter keeps the sentence though no lexicon word is in it
        coder.fast = fast
        doc = coder.code(text, published="2019-02-12")
        assert [(e.event, e.trigger.text) for e in doc.events if e.sentence.text.startswith("Thousands")] == \
            [("PROTEST", "filled")]
    coder.fast = True


def test_protesters_calling_for_change_are_demonstrating_for_it(coder):
    doc = coder.code("Thai police closed roads in Bangkok on Sunday. Thousands of protesters called for "
                     "radical changes to the Thai government.", published="2020-10-25")
    [event] = [e for e in doc.events if e.trigger.text == "called"]
    assert (event.event, event.cameo, codes(event.actor), codes(event.recipient)) == ("PROTEST", "141", {"THA"}, {"THA"})
    # a state's call is still a request
    doc = coder.code("Japan urged Thailand to show restraint on Sunday.", published="2020-10-25")
    assert find_event(doc, "REQUEST")


def test_taking_to_the_streets_is_a_protest_placed_in_the_streets_town(coder):
    doc = coder.code("Thai police closed roads in Bangkok on Sunday. Thousands of protesters took to the streets "
                     "of Bangkok Monday, defying a ban on gatherings.", published="2020-10-19")
    [event] = [e for e in doc.events if e.trigger.text == "took"]
    assert (event.event, codes(event.actor), event.event_loc.name) == ("PROTEST", {"THA"}, "Bangkok")
    # taking something to a place is not
    doc = coder.code("Thai officials took the proposal to the streets committee on Monday.", published="2020-10-19")
    assert not any(e.event == "PROTEST" for e in doc.events)


@pytest.mark.parametrize("text", [
    "Pakistan and India have fought three wars since 1947.",
    "The Taliban have been fighting the Afghan government for nearly 17 years.",
    "Kenya has battled al-Shabab since 2011.",
])
def test_a_war_told_as_history_is_not_an_event(coder, text):
    assert not any(e.event == "ASSAULT" for e in coder.code(text, published="2018-08-14").events)


def test_a_battle_of_the_news_is_still_an_attack(coder):
    assert find_event(coder.code("Kenyan troops fought al-Shabab fighters near Kismayo on Monday.",
                                 published="2018-08-14"), "ASSAULT")


def test_ordering_someone_to_leave_the_country_is_expelling_them(coder):
    doc = coder.code("Germany responded by ordering a Vietnamese intelligence officer to leave the country.",
                     published="2017-08-02")
    assert [(e.event, e.cameo, codes(e.actor), codes(e.recipient)) for e in doc.events] == \
        [("SANCTION", "166", {"DEU"}, {"VNM"})]


def test_harm_done_in_a_states_attack_is_that_states(coder):
    doc = coder.code("Five Palestinians were killed in an Israeli airstrike in Gaza on Monday.", published="2024-05-01")
    event = find_event(doc, "ASSAULT")
    assert codes(event.actor) == {"ISR"} and codes(event.recipient) == {"PSE"}
    # the attacker's adjective does not say whose people were hurt
    doc = coder.code("Ukraine's air force said its defences held on Tuesday. Ukrainian officials said four people "
                     "were killed in Russian missile and drone attacks.", published="2024-05-01")
    event = find_event(doc, "ASSAULT")
    assert codes(event.actor) == {"RUS"} and "RUS" not in codes(event.recipient)


@pytest.mark.parametrize("text, requester, addressee, not_done", [
    # a statement's issuer says what another government should do
    ("The United States condemns the arrests. The Venezuelan government should release those it has unjustly "
     "jailed.", "USA", "VEN", "RETREAT"),
    # whoever says it, when it is reported
    ("Mustafa Abdul-Jalil, a former Libyan justice minister, said Libyan government troops first must withdraw "
     "from cities they now control.", "LBY", "LBY", "RETREAT"),
])
def test_what_a_speaker_says_another_should_do_is_a_request(coder, text, requester, addressee, not_done):
    doc = coder.code(text, published="2019-05-01")
    request = find_event(doc, "REQUEST")
    assert codes(request.actor) == {requester} and codes(request.recipient) == {addressee}
    assert not any(e.event == not_done for e in doc.events)


def test_our_own_must_is_no_request(coder):
    doc = coder.code("We must work together with Japan, the United States said.", published="2019-05-01")
    assert not any(e.event == "REQUEST" for e in doc.events)


def test_a_prison_sentence_is_coercion_not_an_accusation(coder):
    doc = coder.code("A Vietnamese court sentenced blogger Nguyen Van Hoa to seven years in prison on Tuesday.",
                     published="2017-11-28")
    assert [e.event for e in doc.events if e.trigger.text.startswith("sentenced")] == ["COERCE"]


@pytest.mark.parametrize("text, event, actors, recipients", [
    ("The Netherlands, Denmark and Norway have announced their intent to donate F-16 fighter aircraft to Ukraine.",
     "AGREE", {"NLD", "DNK", "NOR"}, {"UKR"}),
    ("India and Japan pledged to deepen their cooperation with Australia.", "AGREE", {"IND", "JPN"}, {"AUS"}),
])
def test_an_intent_is_towards_whom_its_content_is_done(coder, text, event, actors, recipients):
    doc = coder.code(text, published="2023-08-20")
    assert (event, actors, recipients) in [(e.event, {a.code for a in e.actor}, {r.code for r in e.recipient})
                                           for e in doc.events]


def test_a_claimed_capture_is_hypothetical(coder):
    doc = coder.code("M23 rebels claimed to capture Goma on Monday.", published="2025-01-28")
    assert [(e.event, e.aux) for e in doc.events if e.event == "COERCE"] == [("COERCE", "hypothetical")]


def test_the_group_is_the_organisation_named_just_before(coder):
    doc = coder.code("Al-Shabab fighters attacked an African Union base on Friday. The group also seized "
                     "several villages in southern Somalia.", published="2016-01-16")
    seized = [e for e in doc.events if e.event == "COERCE"]
    assert seized and {a.code for a in seized[0].actor} == {"ALSHABAAB"}
