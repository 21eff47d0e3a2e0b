"""Event places: the gazetteer's spellings, where an event is placed, and the place
fields through the store."""
from __future__ import annotations

import duckdb
import pytest

from diurna.nlp.pipeline import english_words
from diurna.nlp.gazetteer import fold, is_place_name, lookup_city, lookup_place
from diurna.records import ActorRef, CodedDocument, Entity, Event, Place, Span
from diurna.store.database import Store
from diurna.store.migrations import MIGRATIONS


@pytest.mark.parametrize("names, country, geonameid", [
    (["Kyiv", "Kiev"], "UKR", 703448),
    (["Sana'a", "Sanaa", "Ṣan‘ā’", "SANAA"], "YEM", 71137),
    (["Khan Younis", "Khan Yunis", "Khān Yūnis", "Khan-Younis"], "PSE", 281124),
    (["Rafah", "Rafaḩ"], "PSE", 281102),
    (["The Hague", "the Hague"], "NLD", 2747373),
    (["Odesa", "Odessa"], "UKR", 698740),
])
def test_spellings_resolve_to_one_city(names, country, geonameid):
    for name in names:
        place = lookup_place(name)
        assert place is not None, name
        assert (place.country, place.geonameid, place.resolution) == (country, geonameid, "city"), name
        assert place.name == name                # the text's own spelling is kept


def test_folding_joins_apostrophes_okina_and_diacritics():
    assert fold("Sana'a") == fold("Sana’a") == fold("Sanaʼa") == fold("Sanaʻa") == "sanaa"
    # the transliteration keeps one "a" for "ā": it is found as GeoNames' alternate name
    assert fold("Ṣan‘ā’") == "sana" and lookup_place("Ṣan‘ā’").geonameid == lookup_place("Sanaa").geonameid
    assert fold("Khan-Younis") == "khan younis"


def test_countries_by_their_common_names():
    for name, code in (("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Czech Republic", "CZE"),
                       ("Czechia", "CZE"), ("the Netherlands", "NLD"), ("Burma", "MMR"), ("Türkiye", "TUR")):
        place = lookup_place(name)
        assert place is not None and (place.country, place.resolution) == (code, "country"), name
        assert place.lat is not None                              # at the capital


def test_a_shared_name_goes_to_the_preferred_country_then_the_most_populous():
    assert lookup_city("Rafah").country == "PSE"                                 # 126,305 people
    assert lookup_city("Rafah", prefer=("EGY",)).country == "EGY"               # 44,215
    assert lookup_city("Hyderabad", prefer=("PAK", "IND")).country == "PAK"     # the first preference
    assert lookup_city("Hyderabad", prefer=("FRA",)).country == "IND"


def test_provinces_only_where_geonames_uses_iso_codes():
    assert lookup_place("Houston").province == "Texas"
    assert lookup_place("Geneva").province == "Genève"
    # GeoNames' admin1 code of Kyiv ("12") is another oblast's ISO code: no province
    assert lookup_place("Kyiv").province is None


def test_english_words_among_alternate_names_are_no_places(coder):
    common = english_words(coder.nlp)
    # "Soul" (Seoul), "Lime" (Lima), "Vine" (Vienna), "Rest" (Rasht) are GeoNames alternate names
    for word in ("Soul", "Lime", "Vine", "Rest"):
        assert lookup_city(word) is None, word
        assert not is_place_name(word, common), word
    found = {e.text for e in coder.parser("Rest assured, Soul and Lime shows sold out in Vine.").ents}
    assert not found & {"Rest", "Soul", "Lime", "Vine"}
    assert lookup_city("Kiev") is not None        # an exonym stays, although WordNet knows it too


def test_another_languages_form_is_no_spelling():
    # "Londono" is Esperanto's London, and a surname; "Hamas" is listed for Hamm
    assert lookup_city("Londono") is None and lookup_city("Hamas") is None
    assert lookup_city("Hama").country == "SYR"                   # "Ḩamāh" spelt the English way


def place_of(doc, event_type):
    event = next(e for e in doc.events if e.event == event_type)
    return event.event_loc


def test_alternate_spellings_place_events(coder):
    doc = coder.code("Russia launched drones at Kiev on Monday.", published="2025-03-05")
    assert (place_of(doc, "ASSAULT").name, place_of(doc, "ASSAULT").geonameid) == ("Kiev", 703448)
    doc = coder.code("Houthi forces attacked ships near Sana'a on Tuesday.", published="2025-03-05")
    assert place_of(doc, "ASSAULT").country == "YEM"
    doc = coder.code("Israeli airstrikes on Khan Younis killed 12 people, Palestinian officials said.",
                     published="2025-03-05")
    assert place_of(doc, "ASSAULT").name == "Khan Younis"


def test_a_locative_phrase_elsewhere_in_the_sentence(coder):
    doc = coder.code("South Korean Foreign Minister Cho Tae-yul will attend a meeting of NATO foreign "
                     "ministers in Brussels this week, the foreign ministry in Seoul said on Tuesday.",
                     published="2025-04-01")
    place = place_of(doc, "CONSULT")
    assert (place.name, place.country, place.province) == ("Brussels", "BEL", "Bruxelles-Capitale, Région de")


def test_a_statement_is_not_placed_where_its_subject_is(coder):
    doc = coder.code("UN Secretary-General Antonio Guterres called for a ceasefire in Gaza.",
                     published="2025-03-05")
    assert place_of(doc, "REQUEST") is None


def test_the_dateline_places_an_event_in_its_country(coder):
    doc = coder.code("KYIV, Ukraine (AP) — Russia attacked Ukraine overnight with dozens of drones, "
                     "officials said.", published="2025-03-05")
    place = place_of(doc, "ASSAULT")
    assert (place.name, place.country, place.resolution) == ("Kyiv", "UKR", "city")
    # the reporter's city is not the place of an act on another country
    doc = coder.code("WASHINGTON — The United States imposed sanctions on Iran on Monday.",
                     published="2025-03-05")
    assert place_of(doc, "SANCTION") is None


def test_the_dateline_places_only_the_sentence_it_opens(coder):
    doc = coder.code("KYIV, Ukraine (AP) — Russia attacked Ukraine overnight with dozens of drones. "
                     "Russian forces also shelled Ukrainian positions on Monday.", published="2025-03-05")
    first, second = sorted((e for e in doc.events if e.event == "ASSAULT"), key=lambda e: e.sentence.start)
    assert first.event_loc.name == "Kyiv" and second.event_loc is None


@pytest.mark.parametrize("text, event_type, where", [
    # the partner met "with" is where the meeting was; "the capital, Kabul" hung loose by the parser
    ("U.N. Secretary-General Antonio Guterres met with Afghan ministers in the capital, Kabul, on Monday.",
     "CONSULT", ("Kabul", "AFG", "city")),
    # the visit a light verb takes
    ("U.N. humanitarian chief Valerie Amos will begin a three-day trip to South Sudan on Monday.",
     "CONSULT", ("South Sudan", "SSD", "country")),
    # where the doers are: a city before their noun, a phrase after it
    ("Moscow police detained dozens of protesters on Saturday.", "COERCE", ("Moscow", "RUS", "city")),
    ("Opposition supporters in Bahrain held protests on Friday.", "PROTEST", ("Bahrain", "BHR", "country")),
    # … but a city the sentence names comes before the doers' country
    ("Police in Senegal fired tear gas at protesters in the capital, Dakar, on Tuesday.",
     "ASSAULT", ("Dakar", "SEN", "city")),
    # a time clause shares its place
    ("Belarusian police detained dozens of demonstrators on Tuesday as students protested in Minsk.",
     "COERCE", ("Minsk", "BLR", "city")),
    # the scene the sentence before set
    ("Thousands of protesters marched in Dakar on Tuesday. Senegalese police fired tear gas at the protesters.",
     "ASSAULT", ("Dakar", "SEN", "city")),
    # a day the tagger glued to the town, and a region the gazetteer does not list
    ("In Lagos Monday, Nigerian police fired tear gas at protesters.", "ASSAULT", ("Lagos", "NGA", "city")),
    ("Somali forces killed 40 al-Shabab fighters in the Middle Shabelle region on Thursday.",
     "ASSAULT", ("Middle Shabelle", None, "province")),
    # where forces are sent, or withdrawn from, country or city
    ("Dozens of American soldiers have deployed to Mogadishu.", "MOBILIZE", ("Mogadishu", "SOM", "city")),
    ("Israeli forces will withdraw from Lebanon over 60 days.", "RETREAT", ("Lebanon", "LBN", "country")),
    # a state's capital named by the state
    ("Mass demonstrations continued in the Thai capital on Monday.", "PROTEST", ("Bangkok", "THA", "city")),
    ("Egypt's foreign minister met his Ethiopian counterpart in Ethiopia's capital on Monday.", "CONSULT",
     ("Addis Ababa", "ETH", "city")),
])
def test_where_an_event_happened(coder, text, event_type, where):
    place = place_of(coder.code(text, published="2025-03-05"), event_type)
    assert place is not None and (place.name, place.country, place.resolution) == where


def test_on_the_sidelines_of_a_meeting_set_before(coder):
    doc = coder.code("NATO foreign ministers met in Brussels on Thursday. The ministers discussed Ukraine. "
                     "On the sidelines, South Korean Foreign Minister Cho Tae-yul held talks with Marco Rubio.",
                     published="2025-04-03")
    talks = next(e for e in doc.events if e.sentence.text.startswith("On the sidelines"))
    assert (talks.event, talks.event_loc.name) == ("CONSULT", "Brussels")
    # without the cue, a meeting two sentences later is not placed there
    doc = coder.code("NATO foreign ministers met in Brussels on Thursday. The ministers discussed Ukraine. "
                     "Later, South Korean Foreign Minister Cho Tae-yul held talks with Marco Rubio.",
                     published="2025-04-03")
    talks = next(e for e in doc.events if e.sentence.text.startswith("Later"))
    assert talks.event_loc is None


@pytest.mark.parametrize("text, event_type", [
    # a statement's doers described by their country are not placed there
    ("A rights group in Belarus accused the police of torture on Friday.", "ACCUSE"),
    # a man's surname the tagger took for a town
    ("In July, Indian troops shot and killed Burhan Wani, a young Kashmiri separatist leader.", "ASSAULT"),
    # the scene is forgotten after a sentence elsewhere
    ("Thousands of protesters marched in Dakar on Tuesday. The government said the economy grew. "
     "Senegalese police fired tear gas at the protesters.", "ASSAULT"),
])
def test_no_place_where_the_text_gives_none(coder, text, event_type):
    doc = coder.code(text, published="2025-03-05")
    assert all(e.event_loc is None for e in doc.events if e.event == event_type)


def test_a_city_in_the_actors_country_is_preferred(coder):
    doc = coder.code("Pakistani police arrested protesters in Hyderabad on Monday.", published="2025-03-05")
    event = next(e for e in doc.events if e.event_loc is not None)
    assert "PAK" in {a.code for a in event.actor}
    assert (event.event_loc.name, event.event_loc.country) == ("Hyderabad", "PAK")


def test_a_country_is_a_place_only_after_in(coder):
    doc = coder.code("Russian forces attacked Ukrainian positions in Ukraine on Monday.", published="2025-03-05")
    place = place_of(doc, "ASSAULT")
    assert (place.name, place.resolution) == ("Ukraine", "country")
    doc = coder.code("Russia fired missiles at Ukraine on Monday.", published="2025-03-05")
    assert place_of(doc, "ASSAULT") is None


# -- the store --------------------------------------------------------------------------
def _located_doc() -> CodedDocument:
    text = "Russia shelled Kharkiv."
    event = Event(id="e1", event="ASSAULT", actor=(Entity("RUS", None, "Russia"),),
                  recipient=(Entity("UKR", None, "Kharkiv"),), trigger=Span("shelled", 7, 14),
                  sentence=Span(text, 0, len(text)), date="2024-07-08", date_precision="day",
                  event_loc=Place("Kharkiv", "UKR", 49.98, 36.25, 706483, None, "city"),
                  confidence=0.8, quad_class=4, score=-9.0)
    return CodedDocument("d1", "2024-07-08", text, actors=(ActorRef("Russia", 0, 6, "RUS"),), events=(event,))


def test_an_old_store_gains_the_place_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))                  # a store as version 0004 left it
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in MIGRATIONS[:4]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    con.execute("INSERT INTO documents (doc_id, content_hash, text) VALUES ('old', 'h', 'Old text.')")
    con.execute("INSERT INTO events (event_id, doc_id, event, loc_name, loc_country) "
                "VALUES ('old-e', 'old', 'PROTEST', 'Paris', 'FRA')")
    con.close()
    with Store(str(path)) as store:
        assert "0007_event_place_fields" in store.migrations()
        assert store.con.execute("SELECT loc_name, loc_geonameid, loc_resolution FROM events "
                                 "WHERE event_id = 'old-e'").fetchall() == [("Paris", None, None)]
        store.write([_located_doc()])
        assert store.con.execute("SELECT loc_geonameid, loc_province, loc_resolution FROM events "
                                 "WHERE event_id = 'e1'").fetchall() == [(706483, None, "city")]
