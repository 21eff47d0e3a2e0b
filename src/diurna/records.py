"""The typed records every stage hands to the next.

The JSON produced by ``CodedDocument.to_dict`` is the public record shape
documented in the README ("Record shapes"); keep the two in step.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Union

from diurna.errors import InvalidValue

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)
AUX_MODES = ("future", "hypothetical", "negation", "historical")


@dataclass(frozen=True)
class Article:
    """One input document, as read by ingest."""
    doc_id: str
    text: str
    published: str | None = None      # ISO date YYYY-MM-DD
    url: str | None = None
    title: str | None = None
    source: str | None = None          # where it was read from: "file.jsonl:12"
    language: str | None = None        # ISO 639-1, from ingest's language check; None when not checked


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ActorRef:
    """A resolved actor mention: a span of text and who it denotes at the article date."""
    text: str
    start: int
    end: int
    code: str | None
    sector: str | None = None
    name: str | None = None
    office: str | None = None
    wikidata: str | None = None
    why: str | None = None             # which knowledge-base entry or rule resolved it

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "code": self.code, "sector": self.sector, "name": self.name,
                "office": self.office, "wikidata": self.wikidata}


@dataclass(frozen=True)
class Entity:
    """An event argument: PLOVER's actor/recipient entries. ``identifier_id`` is the
    Wikidata id of the person, state or organisation named and ``identifier_text`` its
    name in the knowledge base; ``office`` the office a person holds on the date."""
    code: str
    sector: str | None
    entity_text: str
    identifier_id: str | None = None
    identifier_text: str | None = None
    office: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sector": self.sector, "entity_text": self.entity_text,
                "identifier_id": self.identifier_id, "identifier_text": self.identifier_text,
                "office": self.office}


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None = None         # ISO alpha-3
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None       # GeoNames id of the city or country
    province: str | None = None        # admin1 name, where known
    resolution: str | None = None      # "city", "province", "country"; None if not in the gazetteer

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "geonameid": self.geonameid, "province": self.province, "resolution": self.resolution}


@dataclass(frozen=True)
class Event:
    id: str
    event: str                          # PLOVER type
    actor: tuple[Entity, ...]
    recipient: tuple[Entity, ...]
    trigger: Span
    sentence: Span
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: str | None = None
    aux: str | None = None
    date: str | None = None
    date_precision: str | None = None   # day, week, month, year
    event_loc: Place | None = None
    confidence: float = 0.5
    quad_class: int | None = None       # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    score: float | None = None          # PLOVER conflict/cooperation score, -10..10
    sentence_no: int | None = None      # the sentence's number in the document, from 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "event": self.event, "mode": self.mode,
            "context": list(self.context), "cameo": self.cameo, "aux": self.aux,
            "date": self.date, "date_precision": self.date_precision,
            "trigger": self.trigger.to_dict(), "sentence": self.sentence.to_dict(),
            "actor": [a.to_dict() for a in self.actor],
            "recipient": [r.to_dict() for r in self.recipient],
            "event_loc": self.event_loc.to_dict() if self.event_loc else None,
            "confidence": round(self.confidence, 3),
            "quad_class": self.quad_class, "score": self.score, "sentence_no": self.sentence_no,
        }


@dataclass(frozen=True)
class CodedDocument:
    doc_id: str
    published: str | None
    text: str
    actors: tuple[ActorRef, ...] = ()
    events: tuple[Event, ...] = ()
    url: str | None = None
    title: str | None = None
    notes: tuple[str, ...] = field(default=())   # e.g. "event cap reached in sentence 3"
    language: str | None = None         # ISO 639-1 (Article.language)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "published": self.published,
                "url": self.url, "title": self.title, "language": self.language,
                "actors": [a.to_dict() for a in self.actors],
                "events": [e.to_dict() for e in self.events],
                "notes": list(self.notes)}


@dataclass(frozen=True)
class Skip:
    """A document (or whole file) that could not be read, and why.

    ``reason`` reads "short reason (details); what to do": the run summary groups
    skips by the short reason, so keep values and numbers inside the parentheses.
    """
    where: str          # "path:line" or "path"
    reason: str
    doc_id: str | None = None
    text: str | None = None   # kept when there was text, so a later run can retry it


Item = Union[Article, Skip]


def normalise_date(value: str | None) -> str | None:
    """'2025-04-01', '2025-04-01T10:00:00Z' → '2025-04-01'; impossible dates raise ValueError."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        raise InvalidValue(f"unreadable date ({value[:40]!r} is not YYYY-MM-DD); fix it or leave it empty")
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise InvalidValue(f"impossible date ({value[:40]!r} does not exist); fix it or leave it empty") from None


def content_id(text: str) -> str:
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
