"""`diurna eval`: code a gold file with the real coder and score it.

The gold format is recognised from the file: dev.jsonl-style JSON Lines, PETRARCH's
validation XML, PLOVER's gold records (a JSON list) or the five-class TSV.
"""
from __future__ import annotations

from typing import Any, Callable

from pathlib import Path

from diurna.evaluate import score as evaluate, peers
from diurna.errors import InputError
from diurna.records import Article


def batch_coder(coder):
    """The peers' batch interface over the real Coder."""
    def code_batch(inputs):
        articles = [Article(doc_id, text or " ", published) for doc_id, text, published in inputs]
        return [doc.to_dict() for doc in coder.code_articles(articles)]
    return code_batch


def classifying_coder(coder):
    """For the five-class task: each sentence's main trigger, even where the coder could
    not resolve its actors (a sentence class needs the event type, not the dyad)."""
    # spaCy only when a five-class file is scored
    from diurna.events.coder import classify_articles

    def code_batch(inputs):
        articles = [Article(doc_id, text or " ", published) for doc_id, text, published in inputs]
        out = []
        for doc_id, trigger in classify_articles(coder, articles):
            events = [] if trigger is None else [
                {"event": trigger.event, "cameo": trigger.cameo, "confidence": 1.0, "actor": [], "recipient": []}]
            out.append({"doc_id": doc_id, "actors": [], "events": events})
        return out
    return code_batch


def gold_kind(path: Path) -> str:
    if not path.is_file():
        raise InputError(str(path), "gold file not found")
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "petrarch"
    if suffix == ".tsv":
        return "five-class"
    head = path.read_text(encoding="utf-8", errors="replace")[:200].lstrip()
    if head.startswith("["):
        return "plover"
    if head.startswith("{"):
        return "dev"
    raise InputError(str(path), "unrecognised gold format",
                     "give dev.jsonl-style JSON Lines, PETRARCH XML, PLOVER gold JSON or a five-class TSV")


def score_file(gold_path: Path, predictions_path: Path, errors: bool = False) -> tuple[str, dict]:
    """Score codings already made against a gold file: the coder's JSON Lines, another
    system's in that shape, or a second annotator's coding in the gold format (agreement)."""
    if gold_kind(gold_path) != "dev":
        raise InputError(str(gold_path), "--predictions needs a gold file in the dev.jsonl format")
    gold = evaluate.load_gold(gold_path)
    predicted = evaluate.load_predictions(predictions_path)
    if evaluate.is_gold_format(predicted):
        predicted = evaluate.gold_as_predictions(evaluate.load_gold(predictions_path))
    report = evaluate.score(gold, predicted)
    return evaluate.format_report(report, errors=errors), report.to_dict()


def run_eval(path: Path, coder, errors: bool = False, limit: int | None = None,
             sentence_mode: bool = False) -> tuple[str, dict]:
    kind = gold_kind(path)
    code_batch = batch_coder(coder)
    if kind == "dev":
        gold = evaluate.load_gold(path)[:limit] if limit else evaluate.load_gold(path)
        predicted = code_batch(evaluate.gold_inputs(gold))
        report = evaluate.score(gold, predicted)
        return evaluate.format_report(report, errors=errors), report.to_dict()
    if kind == "five-class" and sentence_mode:
        code_batch = classifying_coder(coder)
    report = peers.run_peer(kind, path.parent, code_batch, limit=limit) \
        if path.name == peers.PEER_FILES[kind] else _peer_from_path(kind, path, code_batch, limit)
    return report.format(errors=errors), report.to_dict()


def _peer_from_path(kind: str, path: Path, code_batch, limit):
    readers: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
               "petrarch": (peers.read_petrarch, peers.score_petrarch),
               "plover": (peers.read_plover_gsr, peers.score_plover_gsr),
               "five-class": (peers.read_five_class, peers.score_five_class)}
    read, score = readers[kind]
    items = read(path)
    return score(items[:limit] if limit else items, code_batch)
