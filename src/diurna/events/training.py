"""Training the learned trigger layer (events/learned.py) from hand-coded documents.

Each gold event names its trigger words; the word of those that heads them in the parse
is labelled with the event's type, every other verb, noun and predicative adjective of
the document with "no event" (documents are coded in full, so an unlabelled word is a
negative example). The model is a multinomial logistic regression with an L2 penalty,
fitted by full-batch gradient descent (Adam) in numpy from a fixed start: the same
documents give the same weights, byte for byte.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from diurna.errors import InputError
from diurna.events.learned import CLASSES, NO_EVENT, TriggerModel, eligible, features, token_vectors
from diurna.events.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from diurna.nlp.pipeline import Parser

MIN_COUNT = 2          # a feature seen once is noise, and costs space
L2 = 1e-4              # per example; chosen on corpus/ train by 5-fold cross-validation
ITERATIONS = 300
LEARNING_RATE = 0.05


@dataclass
class Examples:
    labels: list[int]
    rows: list[list[str]]
    vectors: list[np.ndarray]
    skipped: int = 0            # gold events whose trigger words were not found

    def add(self, label: str, feats: list[str], vector: np.ndarray) -> None:
        self.labels.append(CLASSES.index(label))
        self.rows.append(feats)
        self.vectors.append(vector)


def read_documents(paths: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """Hand-coded documents (the gold JSONL format `diurna eval` reads)."""
    for path in map(Path, paths):
        if not path.is_file():
            raise InputError(str(path), "training file not found; give a JSONL file of hand-coded documents")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                doc["text"], doc["events"]          # noqa: B018 -- the fields training needs
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path}:{number}", "not a hand-coded document (JSON with `text` and "
                                 "`events`, as `diurna eval` reads)") from None
            yield doc


def examples(docs: list[dict[str, Any]], parser: Parser, lexicon: Lexicon) -> Examples:
    found = Examples([], [], [])
    parsed = parser.pipe(((d["text"], d) for d in docs), as_tuples=True, batch_size=16)
    for doc, gold in parsed:
        labelled = _labelled_words(doc, gold, found)
        words = [t for t in doc if eligible(t) and labelled.get(t.i, NO_EVENT) is not None]
        for token, vector in zip(words, token_vectors(words)):
            found.add(labelled.get(token.i) or NO_EVENT, features(token, lexicon), vector)
    return found


def _labelled_words(doc: Doc, gold: dict[str, Any], found: Examples) -> dict[int, str | None]:
    """Word index → gold type for the word heading each trigger; None for the trigger's
    other words (neither positive nor negative)."""
    text: str = gold["text"]
    labels: dict[int, str | None] = {}
    for event in gold["events"]:
        start = text.find(event.get("sentence") or "")
        offset = (event.get("sentence") or "").find(event.get("trigger") or "\0")
        if start < 0 or offset < 0:
            found.skipped += 1
            continue
        begin = start + offset
        span = doc.char_span(begin, begin + len(event["trigger"]), alignment_mode="expand")
        words = [t for t in span or () if eligible(t)]
        if not words:
            found.skipped += 1
            continue
        head = min(words, key=_depth)
        for token in words:
            labels.setdefault(token.i, None)
        if labels.get(head.i) is None:
            labels[head.i] = event["type"]
    return labels


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
        token, depth = token.head, depth + 1
    return depth


def fit(found: Examples, meta: dict[str, Any]) -> TriggerModel:
    """Multinomial logistic regression over the examples' features."""
    counts = Counter(f for row in found.rows for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {n: i for i, n in enumerate(names)}
    rows, cols = [], []
    for r, feats in enumerate(found.rows):
        for c in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(c)
    row_ids, col_ids = np.array(rows), np.array(cols)
    y = np.zeros((len(found.labels), len(CLASSES)))
    y[np.arange(len(found.labels)), found.labels] = 1.0
    vectors = np.array(found.vectors).reshape(len(found.labels), -1)
    weights, dense, bias = _gradient_descent(row_ids, col_ids, vectors, y, len(names))
    keep = np.abs(weights).max(axis=1) >= 1e-3
    kept = [n for n, k in zip(names, keep) if k]
    return TriggerModel(CLASSES, {n: i for i, n in enumerate(kept)}, weights[keep], dense, bias,
                        {**meta, "examples": len(found.labels), "features": len(kept)})


def _gradient_descent(rows: np.ndarray, cols: np.ndarray, vectors: np.ndarray, y: np.ndarray,
                      n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, k = y.shape
    weights = np.zeros((n_features, k))
    dense = np.zeros((vectors.shape[1], k))
    bias: np.ndarray = np.log(y.mean(axis=0) + 1e-6)
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros(k), np.zeros(k),
               np.zeros_like(dense), np.zeros_like(dense)]
    for step in range(1, ITERATIONS + 1):
        scores = bias + vectors @ dense + \
            np.stack([np.bincount(rows, weights[cols, j], minlength=n) for j in range(k)], axis=1)
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - y) / n
        grad_w: np.ndarray = np.stack([np.bincount(cols, error[rows, j], minlength=n_features) for j in range(k)], axis=1)
        grad_w += L2 * weights
        _adam(weights, grad_w, moments[0], moments[1], step)
        _adam(bias, error.sum(axis=0), moments[2], moments[3], step)
        _adam(dense, vectors.T @ error + L2 * dense, moments[4], moments[5], step)
    return weights, dense, bias


def _adam(param: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, step: int) -> None:
    m *= 0.9
    m += 0.1 * grad
    v *= 0.999
    v += 0.001 * grad * grad
    param -= LEARNING_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)


def train(paths: list[str], parser: Parser, lexicon: Lexicon) -> tuple[TriggerModel, Examples]:
    docs = list(read_documents(paths))
    found = examples(docs, parser, lexicon)
    meta = {"trained_on": [Path(p).name for p in paths], "documents": len(docs),
            "events": sum(len(d["events"]) for d in docs), "l2": L2, "iterations": ITERATIONS}
    return fit(found, meta), found
