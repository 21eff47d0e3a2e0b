"""Readers and scorers for other projects' public test data (shared/eval/peers/).

Three sets, each scored at its own granularity:

* PETRARCH-2 validation sentences -- expected CAMEO codings (source, target, code);
* PLOVER 0.5 gold-standard records -- one event type per sentence, with actors;
* ConfliBERT's five-class sentences -- one CAMEO quad class (or "statement") each.

Every scorer takes the items and a ``code_batch`` callable that codes a list of
``(doc_id, text, published)`` triples and returns documents in the record shape
(see ARCHITECTURE.md); wrap a one-document coder with :func:`one_at_a_time`.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from diurna.errors import InputError
from diurna.evaluate.score import PRF, TypeRow, greedy_match, ratio
from diurna.records import PLOVER_TYPES

DocInput = tuple[str, str, str | None]
CodeBatch = Callable[[list[DocInput]], list[dict]]

PEER_FILES = {
    "petrarch": "PETR2_GSR_validation.xml",
    "plover": "PLOVER_GSR_CAMEO.txt",
    "five-class": "conflibert_cameo_class_train.tsv",
}


# --------------------------------------------------------------------------- coding helpers

def one_at_a_time(code: Callable[[str, str, str | None], dict]) -> CodeBatch:
    """Turn a one-document coder into the batch interface the scorers use."""
    def code_batch(inputs: list[DocInput]) -> list[dict]:
        return [code(doc_id, text, published) for doc_id, text, published in inputs]
    return code_batch


def _code_all(inputs: list[DocInput], code_batch: CodeBatch) -> dict[str, dict]:
    """Code every input; index the output by doc_id (the coder may skip documents)."""
    coded: dict[str, dict] = {}
    for position, doc in enumerate(code_batch(inputs)):
        doc_id = doc.get("doc_id") or (inputs[position][0] if position < len(inputs) else None)
        coded[str(doc_id)] = doc
    return coded


def _main_event(doc: dict | None) -> dict | None:
    """The most confident event of a document (the first one on ties)."""
    events = (doc or {}).get("events") or []
    if not events:
        return None
    return min(enumerate(events), key=lambda pair: (-_confidence(pair[1]), pair[0]))[1]


def _confidence(event: dict) -> float:
    return float(event.get("confidence") or 0.0)


def _codes(entries: Any) -> set[str]:
    return {str(e["code"]) for e in entries or () if isinstance(e, dict) and e.get("code")}


def _cameo_root(cameo: Any) -> str | None:
    """First two digits of a CAMEO code ("0841" -> "08"), None when absent or malformed."""
    text = str(cameo or "")
    return text[:2] if len(text) >= 2 and text[:2].isdigit() else None


def _fmt_rate(hits: int, total: int) -> str:
    return f"{ratio(hits, total):.3f} ({hits}/{total})"


# =========================================================================== PETRARCH-2

@dataclass(frozen=True)
class Coding:
    source: str
    target: str
    cameo: str


@dataclass(frozen=True)
class PetrarchItem:
    id: str
    date: str | None                 # ISO; None where the file's date is malformed
    text: str
    expected: tuple[Coding, ...]     # empty for noevents="True" sentences
    category: str = ""


_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_CODING = re.compile(r"<EventCoding\b([^>]*?)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_PARSE = re.compile(r"<Parse>(.*?)</Parse>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_petrarch(path: str | Path) -> list[PetrarchItem]:
    """Read the PETRARCH-2 validation file.

    The file is not well-formed XML ('#' banner lines inside the root, and most
    <Sentence .../> tags are self-closing yet followed by </Sentence>), so records are
    cut out with regular expressions instead of an XML parser.
    """
    raw = _read_text(path)
    content = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    content = _XML_COMMENT.sub("", content)
    items = []
    for attrs_text, body in _SENTENCE.findall(content):
        attrs = dict(_ATTR.findall(attrs_text))
        if attrs.get("evaluate", "true").lower() == "false":
            continue
        items.append(_petrarch_item(attrs, body, path))
    if not items:
        raise InputError(str(path), "no <Sentence> records found", "is this a PETRARCH validation file?")
    return items


def _petrarch_item(attrs: dict[str, str], body: str, path: str | Path) -> PetrarchItem:
    where = f"{path} (sentence {attrs.get('id', '?')})"
    text_match, parse_match = _TEXT.search(body), _PARSE.search(body)
    text = _clean_petrarch_text(text_match.group(1)) if text_match else ""
    if not text and parse_match:       # one record has an empty <Text> but a full parse
        text = _text_from_parse(parse_match.group(1))
    if not attrs.get("id") or not text:
        raise InputError(where, "a sentence record needs an id and a non-empty <Text>")
    expected = []
    for coding_attrs in map(dict, map(_ATTR.findall, _CODING.findall(body))):
        if coding_attrs.get("noevents", "").lower() == "true":
            continue
        if "eventcode" not in coding_attrs:
            raise InputError(where, "an <EventCoding> has neither eventcode nor noevents")
        expected.append(Coding(coding_attrs.get("sourcecode", "---"),
                               coding_attrs.get("targetcode", "---"), coding_attrs["eventcode"]))
    return PetrarchItem(id=attrs["id"], date=_iso_date(attrs.get("date", "")),
                        text=text, expected=tuple(expected),
                        category=attrs.get("category", ""))


def _clean_petrarch_text(text: str) -> str:
    # Texts are hard-wrapped and use Penn Treebank quotes (`` and '').
    text = text.replace("``", '"').replace("''", '"')
    return " ".join(text.split())


def _text_from_parse(parse: str) -> str:
    """Rebuild a sentence from CoNLL-U rows: FORM is column 2, MISC column 10."""
    pieces = []
    for line in parse.strip().splitlines():
        columns = line.split("\t")
        if len(columns) >= 10 and columns[0].isdigit():
            space = "" if "SpaceAfter=No" in columns[9] else " "
            pieces.append(columns[1] + space)
    return "".join(pieces).strip()


def _iso_date(value: str) -> str | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date().isoformat()
    except ValueError:
        return None   # one record has "121108"


# CAMEO actor codes chain country + roles ("USAGOV", "IRQGOVMIL"): compare on the
# first three characters, the country. International codes carry the organisation in
# the next characters, so the few in the file are mapped to Diurna's codes. "---"
# (unknown country, e.g. "---REB") cannot be compared and matches anything.
_PETRARCH_ORGS = {"IGOUNO": "UN", "IGOEUREEC": "EU", "IGOWSTNAT": "NATO",
                  "IGOCOPITP": "INTERPOL", "IMGMUSISI": "ISIS"}
# CAMEO codes armed groups under their country (PSEREBHMS = Hamas, SOMUAF = al-Shabaab),
# so a predicted group code also counts as its home country.
_GROUP_HOME = {"HAMAS": "PSE", "HEZBOLLAH": "LBN", "HOUTHIS": "YEM",
               "ALSHABAAB": "SOM", "TALIBAN": "AFG"}
_SAME_GROUP = {"ISIL": "ISIS"}


def petrarch_root(code: str) -> str | None:
    """The comparable root of a PETRARCH actor code; None when the country is unknown."""
    if not code or code.startswith("---"):
        return None
    for prefix, ours in _PETRARCH_ORGS.items():
        if code.startswith(prefix):
            return ours
    return code[:3]


def _predicted_roots(codes: Iterable[str]) -> set[str]:
    roots = set()
    for code in codes:
        roots.add(_SAME_GROUP.get(code, code))
        if code in _GROUP_HOME:
            roots.add(_GROUP_HOME[code])
    return roots


@dataclass(frozen=True)
class _PetrarchPred:
    cameo_root: str | None
    actor: frozenset[str]
    recipient: frozenset[str]
    confidence: float
    label: str


def _petrarch_preds(doc: dict | None) -> list[_PetrarchPred]:
    preds = []
    for event in (doc or {}).get("events") or []:
        actor, recipient = _codes(event.get("actor")), _codes(event.get("recipient"))
        label = f"{event.get('cameo')} {'+'.join(sorted(actor)) or '?'}->{'+'.join(sorted(recipient)) or '-'}"
        preds.append(_PetrarchPred(_cameo_root(event.get("cameo")),
                                   frozenset(_predicted_roots(actor)),
                                   frozenset(_predicted_roots(recipient)),
                                   _confidence(event), label))
    return preds


def _root_ok(expected_code: str, predicted_roots: frozenset[str]) -> bool:
    root = petrarch_root(expected_code)
    return root is None or root in predicted_roots


def _coding_ok(coding: Coding, pred: _PetrarchPred) -> bool:
    return (pred.cameo_root == _cameo_root(coding.cameo)
            and _root_ok(coding.source, pred.actor)
            and _root_ok(coding.target, pred.recipient))


@dataclass
class PetrarchReport:
    n_sentences: int = 0
    codings: PRF = field(default_factory=PRF)   # one-to-one matches of expected codings
    root_hits: int = 0          # expected codings whose CAMEO root some event has
    root_total: int = 0
    no_event_correct: int = 0   # noevents sentences left without events
    no_event_total: int = 0
    uncoded: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)   # sentences not coded perfectly

    @property
    def root_accuracy(self) -> float:
        return ratio(self.root_hits, self.root_total)

    def to_dict(self) -> dict[str, Any]:
        return {"n_sentences": self.n_sentences, "codings": self.codings.to_dict(),
                "root_accuracy": round(self.root_accuracy, 4), "root_hits": self.root_hits,
                "root_total": self.root_total, "no_event_correct": self.no_event_correct,
                "no_event_total": self.no_event_total, "uncoded": self.uncoded,
                "errors": self.errors}

    def format(self, errors: bool = False) -> str:
        c = self.codings
        lines = [f"PETRARCH-2 validation: {self.n_sentences} sentences",
                 f"codings   P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  "
                 f"(TP {c.tp}, FP {c.fp}, FN {c.fn}; CAMEO root + source/target country)",
                 f"CAMEO root accuracy      {_fmt_rate(self.root_hits, self.root_total)}",
                 f"no-event sentences kept empty {_fmt_rate(self.no_event_correct, self.no_event_total)}"]
        if self.uncoded:
            lines.append("not coded: " + ", ".join(self.uncoded))
        if errors:
            lines += ["", f"SENTENCES WITH ERRORS ({len(self.errors)})"]
            for e in self.errors:
                lines += [f"  {e['id']}: expected {', '.join(e['expected']) or 'none'}; "
                          f"predicted {', '.join(e['predicted']) or 'none'}", f"      {e['text']}"]
        return "\n".join(lines)


def score_petrarch(items: list[PetrarchItem], code_batch: CodeBatch) -> PetrarchReport:
    """Per expected coding: matched when an event in the sentence has the same CAMEO
    root and the same actor and recipient roots (one-to-one, most confident first)."""
    coded = _code_all([(i.id, i.text, i.date) for i in items], code_batch)
    report = PetrarchReport(n_sentences=len(items))
    for item in items:
        if item.id not in coded:
            report.uncoded.append(item.id)
        _score_petrarch_item(report, item, _petrarch_preds(coded.get(item.id)))
    return report


def _score_petrarch_item(report: PetrarchReport, item: PetrarchItem,
                         preds: list[_PetrarchPred]) -> None:
    expected = list(item.expected)
    pairs = greedy_match(expected, preds, _coding_ok, confidence=lambda p: p.confidence)
    report.codings.add(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(expected) - len(pairs))
    predicted_roots = {p.cameo_root for p in preds}
    report.root_total += len(expected)
    report.root_hits += sum(_cameo_root(c.cameo) in predicted_roots for c in expected)
    if not expected:
        report.no_event_total += 1
        report.no_event_correct += not preds
    if len(pairs) != len(expected) or len(pairs) != len(preds):
        report.errors.append({
            "id": item.id, "text": item.text,
            "expected": [f"{c.cameo} {c.source}->{c.target}" for c in expected],
            "predicted": [p.label for p in preds]})


# =========================================================================== PLOVER 0.5 gold records

# PLOVER 0.5 categories renamed or merged in PLOVER 2.0. INVESTIGATE is not in the
# README's list; the CAMEO->PLOVER crosswalk maps CAMEO 09 (investigate) to ACCUSE.
OLD_PLOVER_TYPES: dict[str, tuple[str, ...]] = {
    "DEMAND": ("REQUEST",), "DISAPPROVE": ("ACCUSE",), "FIGHT": ("ASSAULT",),
    "YIELD": ("CONCEDE", "RETREAT"), "INVESTIGATE": ("ACCUSE",),
}
# Pre-ISO CAMEO country codes used in the records.
_LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# Generic codes name no particular organisation or group: not comparable.
_GENERIC_CODES = {"IGO", "NGO", "IMG", "ISM"}


@dataclass(frozen=True)
class PloverItem:
    id: str
    text: str
    type: str                      # PLOVER 2.0 type (first accepted one)
    accepted: tuple[str, ...]      # every type scored as correct
    original: str                  # the record's PLOVER 0.5 category
    source: tuple[str, ...]        # comparable actor codes (may be empty)
    target: tuple[str, ...]


def read_plover_gsr(path: str | Path) -> list[PloverItem]:
    """Read PLOVER_GSR_CAMEO.txt (a JSON list), skipping DOCUMENT records.

    Ids are made unique: the file repeats one id for two different records.
    """
    try:
        records = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(records, list):
        raise InputError(str(path), "expected a JSON list of records")
    items: list[PloverItem] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or record.get("event") == "DOCUMENT":
            continue
        item = _plover_item(record, f"{path} (record {number})")
        seen[item.id] = seen.get(item.id, 0) + 1
        if seen[item.id] > 1:
            item = replace(item, id=f"{item.id}#{seen[item.id]}")
        items.append(item)
    return items


def _plover_item(record: dict, where: str) -> PloverItem:
    category, text = record.get("event"), record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "record has no `text`")
    if category in OLD_PLOVER_TYPES:
        accepted = OLD_PLOVER_TYPES[category]
    elif category in PLOVER_TYPES:
        accepted = (category,)
    else:
        raise InputError(where, f"unknown event category {category!r}",
                         "add it to peers.OLD_PLOVER_TYPES")
    return PloverItem(id=str(record.get("id") or where), text=" ".join(text.split()),
                      type=accepted[0], accepted=accepted, original=category,
                      source=_plover_codes(record.get("source")),
                      target=_plover_codes(record.get("target")))


def _plover_codes(entries: Any) -> tuple[str, ...]:
    # `target` is sometimes null, "" or a stray string: only lists carry actors.
    if not isinstance(entries, list):
        return ()
    codes = []
    for entry in entries:
        code = entry.get("code") if isinstance(entry, dict) else None
        code = _LEGACY_CODES.get(code, code) if code else None
        if code and code not in _GENERIC_CODES and code not in codes:
            codes.append(code)
    return tuple(codes)


@dataclass
class PloverReport:
    n_records: int = 0
    main_correct: int = 0                          # most confident event has an accepted type
    events: PRF = field(default_factory=PRF)       # any event with an accepted type, one per record
    per_type: list[TypeRow] = field(default_factory=list)   # main-event classification
    source_hits: int = 0
    source_total: int = 0
    target_hits: int = 0
    target_total: int = 0
    uncoded: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return ratio(self.main_correct, self.n_records)

    @property
    def macro_f1(self) -> float:
        rows = [r for r in self.per_type if r.gold]
        return ratio(sum(r.f1 for r in rows), len(rows))

    def to_dict(self) -> dict[str, Any]:
        return {"n_records": self.n_records, "accuracy": round(self.accuracy, 4),
                "main_correct": self.main_correct, "macro_f1": round(self.macro_f1, 4),
                "events": self.events.to_dict(),
                "per_type": [r.to_dict() for r in self.per_type],
                "source_agreement": {"hits": self.source_hits, "total": self.source_total,
                                     "rate": round(ratio(self.source_hits, self.source_total), 4)},
                "target_agreement": {"hits": self.target_hits, "total": self.target_total,
                                     "rate": round(ratio(self.target_hits, self.target_total), 4)},
                "uncoded": self.uncoded, "errors": self.errors}

    def format(self, errors: bool = False) -> str:
        e = self.events
        lines = [f"PLOVER gold-standard records: {self.n_records} sentences",
                 f"type accuracy (main event)  {_fmt_rate(self.main_correct, self.n_records)}"
                 f"   macro-F1 {self.macro_f1:.3f}",
                 f"any-event type  P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}  "
                 f"(TP {e.tp}, FP {e.fp}, FN {e.fn})",
                 f"source agreement  {_fmt_rate(self.source_hits, self.source_total)}   "
                 f"target agreement  {_fmt_rate(self.target_hits, self.target_total)}", "",
                 f"{'type':12}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"]
        lines += [f"{r.type:12}{r.gold:6d}{r.predicted:6d}{r.precision:7.3f}"
                  f"{r.recall:7.3f}{r.f1:7.3f}" for r in self.per_type]
        if self.uncoded:
            lines.append("not coded: " + ", ".join(self.uncoded))
        if errors:
            lines += ["", f"WRONG MAIN TYPE ({len(self.errors)})"]
            lines += [f"  {x['id']}: gold {'/'.join(x['accepted'])}, predicted {x['predicted']}\n"
                      f"      {x['text']}" for x in self.errors]
        return "\n".join(lines)


def score_plover_gsr(items: list[PloverItem], code_batch: CodeBatch) -> PloverReport:
    """Type of the main event vs the record's category; actors checked on the most
    confident event of an accepted type, where the record gives comparable codes."""
    # The records' dates are placeholders (2000-01-01), so no publication date is given.
    coded = _code_all([(i.id, i.text, None) for i in items], code_batch)
    report = PloverReport(n_records=len(items))
    rows: dict[str, TypeRow] = {}
    for item in items:
        if item.id not in coded:
            report.uncoded.append(item.id)
        _score_plover_item(report, rows, item, coded.get(item.id))
    report.per_type = sorted(rows.values(), key=lambda r: (-r.gold, -r.predicted, r.type))
    return report


def _score_plover_item(report: PloverReport, rows: dict[str, TypeRow],
                       item: PloverItem, doc: dict | None) -> None:
    events = (doc or {}).get("events") or []
    main = _main_event(doc)
    predicted = main.get("event") if main else None
    correct = predicted in item.accepted
    report.main_correct += correct
    gold_row = rows.setdefault(item.type, TypeRow(item.type))
    pred_row = rows.setdefault(predicted or "(none)", TypeRow(predicted or "(none)"))
    gold_row.gold += 1
    pred_row.predicted += 1
    gold_row.matched_gold += correct
    pred_row.matched_predicted += correct
    if not correct:
        report.errors.append({"id": item.id, "text": item.text, "accepted": list(item.accepted),
                              "predicted": predicted})
    hit = _main_event({"events": [e for e in events if e.get("event") in item.accepted]})
    report.events.add(tp=hit is not None, fp=len(events) - (hit is not None), fn=hit is None)
    if hit is not None:
        _score_plover_actors(report, item, hit)


def _score_plover_actors(report: PloverReport, item: PloverItem, event: dict) -> None:
    if item.source:
        report.source_total += 1
        report.source_hits += bool(_codes(event.get("actor")) & set(item.source))
    if item.target:
        report.target_total += 1
        report.target_hits += bool(_codes(event.get("recipient")) & set(item.target))


# =========================================================================== five classes

FIVE_CLASS_NAMES = ("statement / none", "verbal cooperation", "material cooperation",
                    "verbal conflict", "material conflict")

# README: classes from PLOVER types where no CAMEO code is known.
_TYPE_CLASS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
# REQUEST is 1 for an appeal (CAMEO 02) and 3 for a demand (CAMEO 10). Without a
# CAMEO code it is taken as an appeal, CAMEO's more frequent reading of "urge/call on".
REQUEST_WITHOUT_CAMEO = 1


@dataclass(frozen=True)
class FiveClassItem:
    id: str
    text: str
    label: int


def read_five_class(path: str | Path) -> list[FiveClassItem]:
    """Read the sentence<TAB>label file (CSV-style quoting: some sentences are quoted)."""
    items: list[FiveClassItem] = []
    with _open_text(path) as handle:
        reader = csv.reader(handle, delimiter="\t")
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            where = f"{path}:{reader.line_num}"
            if len(row) != 2 or row[1].strip() not in {"0", "1", "2", "3", "4"}:
                raise InputError(where, "expected `sentence<TAB>label` with a label 0-4")
            items.append(FiveClassItem(f"cc{len(items) + 1:04d}", " ".join(row[0].split()),
                                       int(row[1])))
    return items


def cameo_class(cameo: Any) -> int | None:
    """Five-class label of a CAMEO code: root 01 -> 0, 02-05 -> 1, 06-08 -> 2,
    09-13 -> 3, 14-20 -> 4; None when the code is missing or out of range."""
    root = _cameo_root(cameo)
    if root is None or not 1 <= int(root) <= 20:
        return None
    number = int(root)
    return 0 if number == 1 else 1 if number <= 5 else 2 if number <= 8 else 3 if number <= 13 else 4


def type_class(plover_type: str | None) -> int:
    """Five-class label of a PLOVER type alone (no CAMEO code known)."""
    if plover_type == "REQUEST":
        return REQUEST_WITHOUT_CAMEO
    return _TYPE_CLASS.get(plover_type or "", 0)


def five_class_of(doc: dict | None) -> int:
    """Class of a coded sentence: from its main event's CAMEO code, else from its PLOVER
    type; 0 when it has no event. The main event is the most confident one that is
    reported as done (no aux mode), or the most confident of all if every one has a mode:
    "X said it would not attack" is about what X said, not an attack."""
    events = (doc or {}).get("events") or []
    done = [e for e in events if not e.get("aux")]
    main = _main_event({"events": done or events})
    if main is None:
        return 0
    by_cameo = cameo_class(main.get("cameo"))
    return by_cameo if by_cameo is not None else type_class(main.get("event"))


@dataclass
class FiveClassReport:
    confusion: list[list[int]] = field(default_factory=lambda: [[0] * 5 for _ in range(5)])
    uncoded: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(map(sum, self.confusion))

    @property
    def accuracy(self) -> float:
        return ratio(sum(self.confusion[c][c] for c in range(5)), self.n)

    def per_class(self) -> list[PRF]:
        """Rows of the confusion matrix are gold classes, columns predicted ones."""
        out = []
        for c in range(5):
            tp = self.confusion[c][c]
            predicted = sum(row[c] for row in self.confusion)
            out.append(PRF(tp=tp, fp=predicted - tp, fn=sum(self.confusion[c]) - tp))
        return out

    @property
    def macro_f1(self) -> float:
        return sum(p.f1 for p in self.per_class()) / 5

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "accuracy": round(self.accuracy, 4),
                "macro_f1": round(self.macro_f1, 4),
                "per_class": [{"class": c, "name": FIVE_CLASS_NAMES[c], **p.to_dict()}
                              for c, p in enumerate(self.per_class())],
                "confusion": self.confusion, "uncoded": self.uncoded, "errors": self.errors}

    def format(self, errors: bool = False) -> str:
        lines = [f"Five-class (ConfliBERT cameo_class): {self.n} sentences",
                 f"accuracy {self.accuracy:.3f}   macro-F1 {self.macro_f1:.3f}   "
                 "(published reference on its held-out split: ConfliBERT 0.88, BERT 0.86)", "",
                 f"{'class':26}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}"]
        for c, p in enumerate(self.per_class()):
            lines.append(f"{c} {FIVE_CLASS_NAMES[c]:24}{p.precision:7.3f}{p.recall:7.3f}"
                         f"{p.f1:7.3f}{p.tp + p.fn:6d}")
        lines += ["", "confusion (rows gold, columns predicted)",
                  "     " + "".join(f"{c:>6}" for c in range(5))]
        lines += [f"{g:>5}" + "".join(f"{n:6d}" for n in row) for g, row in enumerate(self.confusion)]
        if self.uncoded:
            lines.append(f"not coded: {len(self.uncoded)} sentences")
        if errors:
            lines += ["", f"MISCLASSIFIED ({len(self.errors)})"]
            lines += [f"  {x['id']}: gold {x['gold']}, predicted {x['predicted']}: {x['text']}"
                      for x in self.errors]
        return "\n".join(lines)


def score_five_class(items: list[FiveClassItem], code_batch: CodeBatch) -> FiveClassReport:
    coded = _code_all([(i.id, i.text, None) for i in items], code_batch)
    report = FiveClassReport()
    for item in items:
        if item.id not in coded:
            report.uncoded.append(item.id)
        predicted = five_class_of(coded.get(item.id))
        report.confusion[item.label][predicted] += 1
        if predicted != item.label:
            report.errors.append({"id": item.id, "text": item.text,
                                  "gold": item.label, "predicted": predicted})
    return report


# =========================================================================== running a set

_READERS: dict[str, Callable[[Path], list[Any]]] = {"petrarch": read_petrarch, "plover": read_plover_gsr, "five-class": read_five_class}
_SCORERS: dict[str, Callable[..., Any]] = {"petrarch": score_petrarch, "plover": score_plover_gsr,
            "five-class": score_five_class}


def run_peer(name: str, peers_dir: str | Path, code_batch: CodeBatch, limit: int | None = None):
    """Read one peer set from ``peers_dir`` and score the coder on it.

    Returns a PetrarchReport, PloverReport or FiveClassReport; each has ``to_dict()``
    and ``format(errors=False)``.
    """
    if name not in PEER_FILES:
        raise InputError(name, "unknown peer set", "choose one of " + ", ".join(PEER_FILES))
    items = _READERS[name](Path(peers_dir) / PEER_FILES[name])
    return _SCORERS[name](items[:limit] if limit else items, code_batch)


# --------------------------------------------------------------------------- file helpers

def _open_text(path: str | Path):
    try:
        return open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}",
                         "check the path (peer files live in shared/eval/peers/)") from exc


def _read_text(path: str | Path) -> str:
    with _open_text(path) as handle:
        try:
            return handle.read()
        except UnicodeDecodeError as exc:
            raise InputError(str(path), "the file is not UTF-8 text") from exc
