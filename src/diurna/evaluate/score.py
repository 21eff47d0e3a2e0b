"""Score coded documents against hand-coded gold (the dev.jsonl format).

Works on plain dicts in the document-level record shape, so it does not depend on
the coder. The scoring rules are those of ``shared/eval/README.md``:

* actor  -- set of actor codes per document, micro-averaged over documents;
* event  -- sentence spans overlap, type is the gold type or an alt type, and the
  actors agree (directed, or undirected for CONSULT and empty-target events);
* dyad   -- the same ignoring type; type -- the same ignoring actors;
* status -- agreement of the auxiliary mode among event matches.

Matching is one-to-one and greedy in gold order; among the predicted events that
could match a gold event the most confident one is taken (earliest on ties).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from diurna.errors import InputError

# Gold `status` -> PLOVER auxiliary mode as the coder writes it in `aux`.
GOLD_STATUS_TO_AUX: dict[str, str | None] = {
    "occurred": None,
    "ongoing": None,
    "planned": "future",
    "hypothetical": "hypothetical",
    "negated": "negation",
}

UNDIRECTED_TYPES = frozenset({"CONSULT"})


# --------------------------------------------------------------------------- metrics

@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1_of(self.precision, self.recall)

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two labellings of the same items: (observed − chance) / (1 − chance)."""
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[label] * second[label] for label in first) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, 0.0 when there is nothing to divide (no predictions)."""
    return numerator / denominator if denominator else 0.0


def f1_of(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# --------------------------------------------------------------------------- reading

def load_gold(path: str | Path) -> list[dict]:
    """Read gold documents (dev.jsonl format), checking what the scorer relies on."""
    docs = []
    for where, doc in _read_jsonl(path):
        _check_gold_doc(doc, where)
        docs.append(doc)
    return docs


def load_predictions(path: str | Path) -> list[dict]:
    """Read the coder's document-level JSON Lines output."""
    docs = []
    for where, doc in _read_jsonl(path):
        if not isinstance(doc.get("doc_id"), str) or not isinstance(doc.get("events", []), list):
            raise InputError(where, "a predicted document needs a string `doc_id` and an `events` list",
                             "write the coder's document-level JSON Lines, one object per line")
        docs.append(doc)
    return docs


def is_gold_format(docs: list[dict]) -> bool:
    """Codings in the gold format (a second annotator's) rather than the coder's output:
    gold events have a ``type``, the coder's an ``event``."""
    return any(isinstance(e, dict) and "type" in e for doc in docs for e in doc.get("events") or ())


def gold_as_predictions(docs: Iterable[dict]) -> list[dict]:
    """Another coding in the gold format, shaped as the coder's output, so that two
    annotators' codings are scored against each other exactly as the coder is (the
    second coding's main type is the prediction; its alternatives are not used)."""
    out = []
    for doc in docs:
        events = [{"event": e["type"], "actor": [{"code": c} for c in e.get("source") or ()],
                   "recipient": [{"code": c} for c in e.get("target") or ()],
                   "sentence": {"text": e["sentence"]}, "trigger": e.get("trigger"),
                   "aux": GOLD_STATUS_TO_AUX.get(e.get("status") or "occurred"), "confidence": 1.0}
                  for e in doc.get("events") or ()]
        out.append({"doc_id": doc["doc_id"], "actors": [{"code": a["code"]} for a in doc.get("actors") or ()],
                    "events": events})
    return out


def gold_inputs(gold_docs: Iterable[dict]) -> list[tuple[str, str, str | None]]:
    """The (doc_id, text, published) triples to feed the coder."""
    return [(d["doc_id"], d["text"], d.get("published")) for d in gold_docs]


def _read_jsonl(path: str | Path) -> Iterable[tuple[str, dict]]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}",
                         "check the path") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), "the file is not UTF-8 text", "save it as UTF-8") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})",
                             "each line must be one complete JSON object") from exc
        if not isinstance(obj, dict):
            raise InputError(where, "the line is JSON but not an object", "expected {...}")
        yield where, obj


def _check_gold_doc(doc: dict, where: str) -> None:
    for key, kind in (("doc_id", str), ("text", str), ("events", list)):
        if not isinstance(doc.get(key), kind):
            raise InputError(where, f"gold document lacks `{key}` ({kind.__name__})",
                             "see shared/eval/README.md for the format")
    if not isinstance(doc.setdefault("actors", []), list):
        raise InputError(where, "`actors` must be a list")
    for n, event in enumerate(doc["events"], start=1):
        _check_gold_event(event, doc["text"], f"{where} ({doc['doc_id']} event {n})")


def _check_gold_event(event: Any, text: str, where: str) -> None:
    if not isinstance(event, dict):
        raise InputError(where, "an event must be a JSON object")
    sentence = event.get("sentence")
    if not isinstance(sentence, str) or sentence not in text:
        raise InputError(where, "`sentence` is missing or not an exact substring of `text`",
                         "copy the sentence from the text verbatim")
    if not isinstance(event.get("type"), str):
        raise InputError(where, "`type` must be a PLOVER type name")
    for key in ("source", "target", "alt_types"):
        if not isinstance(event.setdefault(key, []), list):
            raise InputError(where, f"`{key}` must be a list")
    status = event.setdefault("status", "occurred")
    if status not in GOLD_STATUS_TO_AUX:
        raise InputError(where, f"unknown status {status!r}",
                         "use one of " + ", ".join(GOLD_STATUS_TO_AUX))


# --------------------------------------------------------------------------- normalised events

@dataclass(frozen=True)
class _Gold:
    doc_id: str
    sentence: str
    start: int
    end: int
    type: str
    types: frozenset[str]          # type plus alt_types
    source: frozenset[str]
    target: frozenset[str]
    aux: str | None
    trigger: str | None

    @property
    def undirected(self) -> bool:
        return self.type in UNDIRECTED_TYPES or not self.target


@dataclass(frozen=True)
class _Pred:
    doc_id: str
    index: int                      # position in the document, for stable tie-breaks
    sentence: str
    start: int | None
    end: int | None
    type: str | None
    actor: frozenset[str]
    recipient: frozenset[str]
    aux: str | None
    confidence: float
    trigger: str | None


def _codes(entries: Any) -> frozenset[str]:
    """Codes of actor/recipient entries (dicts or bare strings), ignoring None."""
    codes = set()
    for entry in entries or ():
        code = entry.get("code") if isinstance(entry, dict) else entry
        if code:
            codes.add(code)
    return frozenset(codes)


def _gold_events(doc: dict) -> list[_Gold]:
    events = []
    for event in doc["events"]:
        # str.find gives the first occurrence; gold sentences are whole, distinct sentences.
        start = doc["text"].find(event["sentence"])
        status = event.get("status") or "occurred"
        if status not in GOLD_STATUS_TO_AUX:
            raise InputError(f"gold {doc['doc_id']}", f"unknown status {status!r}")
        events.append(_Gold(
            doc_id=doc["doc_id"], sentence=event["sentence"],
            start=start, end=start + len(event["sentence"]),
            type=event["type"], types=frozenset([event["type"], *(event.get("alt_types") or ())]),
            source=_codes(event.get("source")), target=_codes(event.get("target")),
            aux=GOLD_STATUS_TO_AUX[status], trigger=event.get("trigger")))
    return events


def _pred_events(doc: dict, text: str) -> list[_Pred]:
    events = []
    for index, event in enumerate(doc.get("events") or ()):
        sentence = event.get("sentence") or {}
        start, end = _span(sentence, text)
        trigger = event.get("trigger")
        events.append(_Pred(
            doc_id=doc["doc_id"], index=index, sentence=sentence.get("text") or "",
            start=start, end=end, type=event.get("event"),
            actor=_codes(event.get("actor")), recipient=_codes(event.get("recipient")),
            aux=event.get("aux"), confidence=float(event.get("confidence") or 0.0),
            trigger=trigger.get("text") if isinstance(trigger, dict) else trigger))
    return events


def _span(sentence: dict, text: str) -> tuple[int | None, int | None]:
    """Offsets of a predicted sentence; fall back to finding its text in the gold text."""
    start, end = sentence.get("start"), sentence.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    snippet = sentence.get("text")
    if not snippet:
        return None, None
    found = text.find(snippet)
    return (found, found + len(snippet)) if found >= 0 else (None, None)


# --------------------------------------------------------------------------- match tests

def _overlap(gold: _Gold, pred: _Pred) -> bool:
    return (pred.start is not None and pred.end is not None and gold.start is not None and gold.end is not None
            and pred.start < gold.end and gold.start < pred.end)


def _type_ok(gold: _Gold, pred: _Pred) -> bool:
    return pred.type in gold.types


def _actors_ok(gold: _Gold, pred: _Pred) -> bool:
    if gold.undirected:
        parties = gold.source | gold.target
        needed = min(2, len(parties))
        return len((pred.actor | pred.recipient) & parties) >= needed
    return bool(pred.actor & gold.source) and bool(pred.recipient & gold.target)


def _event_ok(gold: _Gold, pred: _Pred) -> bool:
    return _overlap(gold, pred) and _type_ok(gold, pred) and _actors_ok(gold, pred)


def _dyad_ok(gold: _Gold, pred: _Pred) -> bool:
    return _overlap(gold, pred) and _actors_ok(gold, pred)


def _type_only_ok(gold: _Gold, pred: _Pred) -> bool:
    return _overlap(gold, pred) and _type_ok(gold, pred)


def greedy_match(golds: list, preds: list, ok: Callable[[Any, Any], bool],
                 confidence: Callable[[Any], float] = lambda p: 0.0) -> dict[int, int]:
    """One-to-one greedy matching in gold order: gold index -> predicted index.

    Each gold item takes, among the still unmatched predictions that satisfy ``ok``,
    the most confident one (the earliest on ties).
    """
    taken: set[int] = set()
    pairs: dict[int, int] = {}
    for g, gold in enumerate(golds):
        candidates = [p for p, pred in enumerate(preds) if p not in taken and ok(gold, pred)]
        if candidates:
            best = min(candidates, key=lambda p: (-confidence(preds[p]), p))
            pairs[g] = best
            taken.add(best)
    return pairs


def _match(golds: list[_Gold], preds: list[_Pred], ok) -> dict[int, int]:
    return greedy_match(golds, preds, ok, confidence=lambda p: p.confidence)


def matched_events(gold_doc: dict, pred_doc: dict) -> list[tuple[dict, dict]]:
    """(gold event, predicted event) pairs of one document, matched as the event score
    matches them (benchmarks/locations.py compares their places)."""
    golds = _gold_events(gold_doc)
    preds = _pred_events(pred_doc, gold_doc["text"])
    pairs = _match(golds, preds, _event_ok)
    return [(gold_doc["events"][g], pred_doc["events"][p]) for g, p in pairs.items()]


# --------------------------------------------------------------------------- report

@dataclass
class TypeRow:
    """Per-type scores. A match counts for recall under the gold type and for
    precision under the predicted type, so an alt-type match (gold CONSULT, predicted
    AGREE) credits CONSULT's recall and AGREE's precision and neither exceeds 1."""
    type: str
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.matched_predicted, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.matched_gold, self.gold)

    @property
    def f1(self) -> float:
        return f1_of(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ConfidenceHalves:
    """Precision of the more and the less confident half of the predicted events:
    a useful confidence score makes the top half clearly more precise."""
    top_n: int = 0
    top_matched: int = 0
    bottom_n: int = 0
    bottom_matched: int = 0

    @property
    def top_precision(self) -> float:
        return ratio(self.top_matched, self.top_n)

    @property
    def bottom_precision(self) -> float:
        return ratio(self.bottom_matched, self.bottom_n)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "top_precision": round(self.top_precision, 4),
                "bottom_precision": round(self.bottom_precision, 4)}


@dataclass
class EvalReport:
    n_docs: int = 0
    n_gold_events: int = 0
    n_predicted_events: int = 0
    actor: PRF = field(default_factory=PRF)
    event: PRF = field(default_factory=PRF)
    dyad: PRF = field(default_factory=PRF)
    type: PRF = field(default_factory=PRF)
    status_correct: int = 0
    status_total: int = 0
    type_pairs: list[tuple[str, str]] = field(default_factory=list)   # (gold, predicted) of dyad matches
    confidence: ConfidenceHalves = field(default_factory=ConfidenceHalves)
    per_type: list[TypeRow] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)   # gold docs with no prediction
    extra_docs: list[str] = field(default_factory=list)     # predictions with no gold (ignored)

    @property
    def status_accuracy(self) -> float:
        return ratio(self.status_correct, self.status_total)

    @property
    def type_kappa(self) -> float:
        """Cohen's kappa of the PLOVER type over events matched on sentence and parties."""
        return cohen_kappa(self.type_pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_docs": self.n_docs, "n_gold_events": self.n_gold_events,
            "n_predicted_events": self.n_predicted_events,
            "actor": self.actor.to_dict(), "event": self.event.to_dict(),
            "dyad": self.dyad.to_dict(), "type": self.type.to_dict(),
            "status": {"accuracy": round(self.status_accuracy, 4),
                       "correct": self.status_correct, "total": self.status_total},
            "type_agreement": {"kappa": round(self.type_kappa, 4), "pairs": len(self.type_pairs)},
            "confidence": self.confidence.to_dict(),
            "per_type": [row.to_dict() for row in self.per_type],
            "misses": self.misses, "false_alarms": self.false_alarms,
            "missing_docs": self.missing_docs, "extra_docs": self.extra_docs,
        }


# --------------------------------------------------------------------------- scoring

def score(gold_docs: Iterable[dict], predicted_docs: Iterable[dict]) -> EvalReport:
    """Compare predicted documents with gold documents, matching them by doc_id."""
    gold_docs = list(gold_docs)
    predicted = {doc["doc_id"]: doc for doc in predicted_docs}
    gold_ids = {doc["doc_id"] for doc in gold_docs}
    report = EvalReport(n_docs=len(gold_docs))
    report.extra_docs = sorted(set(predicted) - gold_ids)
    rows: dict[str, TypeRow] = {}
    ranked: list[tuple[float, bool]] = []      # (confidence, matched) of every prediction
    for gold_doc in gold_docs:
        pred_doc = predicted.get(gold_doc["doc_id"])
        if pred_doc is None:
            report.missing_docs.append(gold_doc["doc_id"])
        empty = {"doc_id": gold_doc["doc_id"], "actors": [], "events": []}
        _score_actors(report, gold_doc, pred_doc or empty)
        _score_events(report, gold_doc, pred_doc or empty, rows, ranked,
                      doc_missing=pred_doc is None)
    report.per_type = sorted(rows.values(), key=lambda r: (-r.gold, -r.predicted, r.type))
    report.confidence = _confidence_halves(ranked)
    return report


def _score_actors(report: EvalReport, gold_doc: dict, pred_doc: dict) -> None:
    gold = _codes(gold_doc.get("actors"))
    pred = _codes(pred_doc.get("actors"))
    report.actor.add(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def _score_events(report: EvalReport, gold_doc: dict, pred_doc: dict,
                  rows: dict[str, TypeRow], ranked: list[tuple[float, bool]],
                  doc_missing: bool = False) -> None:
    golds = _gold_events(gold_doc)
    preds = _pred_events(pred_doc, gold_doc["text"])
    report.n_gold_events += len(golds)
    report.n_predicted_events += len(preds)
    matches = {name: _match(golds, preds, ok) for name, ok in
               (("event", _event_ok), ("dyad", _dyad_ok), ("type", _type_only_ok))}
    for name, pairs in matches.items():
        getattr(report, name).add(tp=len(pairs), fp=len(preds) - len(pairs),
                                  fn=len(golds) - len(pairs))
    report.type_pairs.extend((golds[g].type, preds[p].type or "(none)") for g, p in matches["dyad"].items())
    event_pairs = matches["event"]
    for g, p in event_pairs.items():
        report.status_total += 1
        report.status_correct += golds[g].aux == preds[p].aux
    _count_types(rows, golds, preds, event_pairs)
    matched_preds = set(event_pairs.values())
    ranked.extend((pred.confidence, p in matched_preds) for p, pred in enumerate(preds))
    report.misses.extend(_miss(gold, g, matches, doc_missing) for g, gold in enumerate(golds)
                         if g not in event_pairs)
    report.false_alarms.extend(_false_alarm(pred) for p, pred in enumerate(preds)
                               if p not in matched_preds)


def _count_types(rows: dict[str, TypeRow], golds: list[_Gold], preds: list[_Pred],
                 pairs: dict[int, int]) -> None:
    def row(name: str | None) -> TypeRow:
        name = name or "(none)"
        return rows.setdefault(name, TypeRow(name))
    for gold in golds:
        row(gold.type).gold += 1
    for pred in preds:
        row(pred.type).predicted += 1
    for g, p in pairs.items():
        row(golds[g].type).matched_gold += 1
        row(preds[p].type).matched_predicted += 1


def _miss(gold: _Gold, g: int, matches: dict[str, dict[int, int]], doc_missing: bool) -> dict:
    # Say what went wrong: the dyad-only or type-only matcher found a partner.
    if doc_missing:
        reason = "document not coded"
    elif g in matches["dyad"]:
        reason = "wrong type"
    elif g in matches["type"]:
        reason = "wrong actors"
    else:
        reason = "not found"
    return {"doc_id": gold.doc_id, "sentence": gold.sentence, "trigger": gold.trigger,
            "type": gold.type, "alt_types": sorted(gold.types - {gold.type}),
            "source": sorted(gold.source), "target": sorted(gold.target),
            "aux": gold.aux, "reason": reason}


def _false_alarm(pred: _Pred) -> dict:
    return {"doc_id": pred.doc_id, "sentence": pred.sentence, "trigger": pred.trigger,
            "type": pred.type, "actor": sorted(pred.actor),
            "recipient": sorted(pred.recipient), "aux": pred.aux,
            "confidence": pred.confidence}


def _confidence_halves(ranked: list[tuple[float, bool]]) -> ConfidenceHalves:
    # Stable sort keeps document order among equal confidences.
    ordered = sorted(ranked, key=lambda item: -item[0])
    cut = math.ceil(len(ordered) / 2)
    top, bottom = ordered[:cut], ordered[cut:]
    return ConfidenceHalves(top_n=len(top), top_matched=sum(m for _, m in top),
                            bottom_n=len(bottom), bottom_matched=sum(m for _, m in bottom))


# --------------------------------------------------------------------------- text output

def format_report(report: EvalReport, errors: bool = False) -> str:
    """A readable summary; with ``errors`` also every miss and false alarm."""
    lines = [f"{report.n_docs} documents, {report.n_gold_events} gold events, "
             f"{report.n_predicted_events} predicted events", ""]
    lines += _prf_table([(name, getattr(report, name))
                         for name in ("actor", "event", "dyad", "type")])
    lines += ["",
              f"status accuracy  {report.status_accuracy:.3f}  "
              f"({report.status_correct}/{report.status_total} matched events)",
              f"type agreement   kappa {report.type_kappa:.3f}  ({len(report.type_pairs)} events matched "
              "on sentence and parties)",
              _format_confidence(report.confidence)]
    if report.missing_docs:
        lines.append("documents without predictions (all their events missed): "
                     + ", ".join(report.missing_docs))
    if report.extra_docs:
        lines.append("predicted documents not in the gold (ignored): "
                     + ", ".join(report.extra_docs))
    lines += ["", *_type_table(report.per_type)]
    if errors:
        lines += ["", f"MISSES ({len(report.misses)})", *map(_format_miss, report.misses)]
        lines += ["", f"FALSE ALARMS ({len(report.false_alarms)})",
                  *map(_format_false_alarm, report.false_alarms)]
    return "\n".join(lines)


def _prf_table(rows: list[tuple[str, PRF]]) -> list[str]:
    out = [f"{'':10}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for name, prf in rows:
        out.append(f"{name:10}{prf.precision:7.3f}{prf.recall:7.3f}{prf.f1:7.3f}"
                   f"{prf.tp:6d}{prf.fp:6d}{prf.fn:6d}")
    return out


def _format_confidence(halves: ConfidenceHalves) -> str:
    return (f"confidence       top half precision {halves.top_precision:.3f} "
            f"({halves.top_matched}/{halves.top_n}), bottom half "
            f"{halves.bottom_precision:.3f} ({halves.bottom_matched}/{halves.bottom_n})")


def _type_table(rows: list[TypeRow]) -> list[str]:
    out = [f"{'type':12}{'gold':>6}{'pred':>6}{'hit/g':>7}{'hit/p':>7}"
           f"{'P':>7}{'R':>7}{'F1':>7}"]
    for r in rows:
        out.append(f"{r.type:12}{r.gold:6d}{r.predicted:6d}{r.matched_gold:7d}"
                   f"{r.matched_predicted:7d}{r.precision:7.3f}{r.recall:7.3f}{r.f1:7.3f}")
    out.append("(hit/g: matches counted for the gold type, used for R; "
               "hit/p: for the predicted type, used for P)")
    return out


def _dyad_text(source: list[str], target: list[str]) -> str:
    return f"{'+'.join(source) or '?'} -> {'+'.join(target) or '-'}"


def _format_miss(miss: dict) -> str:
    alt = f" (alt {', '.join(miss['alt_types'])})" if miss["alt_types"] else ""
    aux = f" [{miss['aux']}]" if miss["aux"] else ""
    return (f"  {miss['doc_id']}: {miss['type']}{alt} "
            f"{_dyad_text(miss['source'], miss['target'])}{aux} -- {miss['reason']}\n"
            f"      {miss['sentence']}")


def _format_false_alarm(alarm: dict) -> str:
    aux = f" [{alarm['aux']}]" if alarm["aux"] else ""
    return (f"  {alarm['doc_id']}: {alarm['type']} "
            f"{_dyad_text(alarm['actor'], alarm['recipient'])}{aux} "
            f"conf {alarm['confidence']:.2f} trigger {alarm['trigger']!r}\n"
            f"      {alarm['sentence']}")
