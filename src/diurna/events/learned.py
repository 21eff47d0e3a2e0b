"""The learned trigger layer: a linear model over the dependency parse that says which
PLOVER event a word carries, or none.

Rules decide who did what to whom; the model widens and checks the *what*. It reads a
word's lemma, part of speech and role, its head, objects, particles, prepositional
objects, subject type, auxiliaries and neighbours, and which types the curated lexicon
gives its lemma — so it learns when a lexicon word is not an event ("the talks will
focus on…" is not a meeting) and which words the lexicon lacks. Weights are trained by
``diurna train`` (events/training.py) and ship as data (``data/trigger_model.json.gz``).
"""
from __future__ import annotations

import gzip
import itertools
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

import numpy as np

from diurna.errors import LexiconError
from diurna.records import PLOVER_TYPES
from diurna.settings import TRIGGER_MODEL_FILE
from diurna.events.lexicon import Lexicon
from diurna.events.syntax import OBJECTS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NO_EVENT = "-"
_CACHE_KEY = "diurna_learned"      # a Doc's scored words, in doc.user_data
_SERIALS = itertools.count()
CLASSES = (NO_EVENT, *PLOVER_TYPES)
MODEL_FILE = TRIGGER_MODEL_FILE
# Words the model reads: verbs, nouns and predicative adjectives ("concerned about").
DENSE_WIDTH = 96        # en_core_web_sm's tok2vec width
CONTENT_POS = frozenset({"VERB", "NOUN"})


def eligible(token: Token) -> bool:
    if not token.is_alpha or len(token) < 3:
        return False
    return token.pos_ in CONTENT_POS or (token.pos_ == "ADJ" and token.dep_ == "acomp")


def token_vectors(tokens: list[Token]) -> np.ndarray:
    """The parser's own contextual vectors of the words (tok2vec, in ``doc.tensor``), scaled
    to unit length; zeros where the pipeline keeps none."""
    if not tokens or tokens[0].doc.tensor.size == 0:
        return np.zeros((len(tokens), DENSE_WIDTH))
    vectors = tokens[0].doc.tensor[[t.i for t in tokens]].astype(np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _unlisted(token: Token, lemma: str, lexicon: Lexicon) -> bool:
    """A word our lexicon does not list: where the lexicon speaks, the rules decide."""
    return lemma not in lexicon.verbs and lemma not in lexicon.nouns and token.lower_ not in lexicon.nouns \
        and lemma not in lexicon.adjectives


def features(token: Token, lexicon: Lexicon) -> list[str]:
    """The names of the features a word has; the same function trains and predicts."""
    lemma = token.lemma_.lower()
    head = token.head
    feats = ["bias", f"l={lemma}", f"p={token.pos_}", f"t={token.tag_}", f"d={token.dep_}",
             f"ld={lemma}|{token.dep_}", f"h={head.lemma_.lower()}", f"hd={head.pos_}|{token.dep_}",
             f"hl={head.lemma_.lower()}|{lemma}"]
    feats.extend(_lexicon_features(token, lemma, lexicon))
    for child in token.children:
        feats.extend(_child_features(child, lemma))
    doc = token.doc
    for offset in (-2, -1, 1, 2):
        i = token.i + offset
        if 0 <= i < len(doc):
            feats.append(f"w{offset:+d}={doc[i].lower_}")
    return feats


def _lexicon_features(token: Token, lemma: str, lexicon: Lexicon) -> list[str]:
    table = lexicon.nouns if token.pos_ == "NOUN" else lexicon.verbs
    feats = []
    for key in (lemma, token.lower_):
        trigger = table.get(key) or lexicon.adjectives.get(key)
        if trigger is not None:
            feats.append(f"lex={trigger.event}")
            feats.append(f"lexc={trigger.cameo[:2]}")
            break
    if lemma in lexicon.light_verbs:
        feats.append("light")
    base = lexicon.base_verbs.get(lemma)
    if base is not None:
        feats.append(f"cam={base.event}")
        feats.append(f"camp={base.event}|{token.pos_}")
    for child in token.children:
        if child.dep_ == "prt" and f"{lemma} {child.lower_}" in lexicon.base_verbs:
            feats.append(f"cam={lexicon.base_verbs[f'{lemma} {child.lower_}'].event}")
    return feats


def _child_features(child: Token, lemma: str) -> list[str]:
    dep = child.dep_
    if dep in OBJECTS:
        obj = child.lemma_.lower()
        return [f"o={obj}", f"lo={lemma}|{obj}", f"oe={child.ent_type_ or child.pos_}"]
    if dep in ("prt", "prep", "agent"):
        word = child.lower_
        out = [f"pr={word}", f"lpr={lemma}|{word}"]
        for grand in child.children:
            if grand.dep_ == "pobj":
                out.append(f"lpo={lemma}|{word}|{grand.lemma_.lower()}")
                out.append(f"po={word}|{grand.ent_type_ or grand.pos_}")
        return out
    if dep in ("nsubj", "nsubjpass", "poss"):
        return [f"{dep}={child.ent_type_ or child.lemma_.lower()}"]
    if dep in ("aux", "auxpass", "neg", "mark"):
        return [f"{dep}={child.lower_}"]
    if dep in ("amod", "compound"):
        return [f"m={child.lemma_.lower()}", f"me={child.ent_type_ or '-'}"]
    if dep in ("xcomp", "ccomp"):
        return [f"{dep}={child.lemma_.lower()}"]
    return []


@dataclass(frozen=True)
class TriggerModel:
    """Weights of the linear model: one row per feature, one column per class."""
    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray          # (features, classes)
    dense: np.ndarray            # (width of the parser's token vectors, classes)
    bias: np.ndarray             # (classes,)
    meta: dict[str, Any]

    def probabilities(self, tokens: list[Token], lexicon: Lexicon) -> np.ndarray:
        """(tokens, classes): each word's probability of carrying each event, or none."""
        scores = self.bias + token_vectors(tokens) @ self.dense
        cols = [[self.index[f] for f in features(token, lexicon) if f in self.index] for token in tokens]
        flat = np.fromiter((c for row in cols for c in row), dtype=np.intp)
        if flat.size:
            # one gather and one segmented sum for the whole sentence, not one per word
            rows = np.repeat(np.arange(len(tokens)), [len(row) for row in cols])
            np.add.at(scores, rows, self.weights[flat])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    @cached_property
    def serial(self) -> int:
        """A number no other model of this process has."""
        return next(_SERIALS)

    @cached_property
    def leaning_lemmas(self) -> frozenset[str]:
        """Lemmas whose own weight leans towards some event. Only these, and words some
        lexicon lists, are scored: for any other word the context alone has never reached
        the adding threshold, and skipping them saves most of the layer's time."""
        found = set()
        for name, row in self.index.items():
            if name.startswith("l=") and (self.weights[row, 1:] > self.weights[row, 0]).any():
                found.add(name[2:])
        return frozenset(found)

    def sentence(self, sent: Span, lexicon: Lexicon, skip: AbstractSet[int] = frozenset(),
                 ) -> dict[int, tuple[str, float, float]]:
        """Per word of a sentence the lexicon does not list (and not in ``skip``): its most
        likely event, that event's probability, and P(no event)."""
        judged = self._document(sent.doc, lexicon)
        return {i: judged[i] for i in range(sent.start, sent.end) if i in judged and i not in skip}

    def _document(self, doc: Doc, lexicon: Lexicon) -> dict[int, tuple[str, float, float]]:
        """Every scored word of a document, in one batch, kept with the Doc."""
        cached = doc.user_data.get(_CACHE_KEY)
        # keyed by this model's serial, not id(): a freed model's id can be a new model's
        if cached is not None and cached[0] == self.serial:
            scored: dict[int, tuple[str, float, float]] = cached[1]
            return scored
        known, base = self.leaning_lemmas, lexicon.base_verbs
        tokens = []
        for token in doc:
            lemma = token.lemma_.lower()
            if (lemma in known or lemma in base) and eligible(token) and _unlisted(token, lemma, lexicon):
                tokens.append(token)
        judged: dict[int, tuple[str, float, float]] = {}
        if tokens:
            probs = self.probabilities(tokens, lexicon)
            best = probs[:, 1:].argmax(axis=1) + 1
            for token, row, b in zip(tokens, probs, best.tolist()):
                judged[token.i] = (self.classes[b], float(row[b]), float(row[0]))
        doc.user_data[_CACHE_KEY] = (self.serial, judged)
        return judged

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.index, key=self.index.__getitem__)
        return {"classes": list(self.classes), "meta": self.meta,
                "bias": [round(float(b), 4) for b in self.bias],
                "dense": [[round(float(w), 4) for w in row] for row in self.dense],
                "features": {n: [round(float(w), 4) for w in self.weights[self.index[n]]] for n in names}}

    def save(self, path: Path) -> None:
        data = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode()
        # mtime 0: the same weights give the same bytes, so a retrained model can be compared
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(data)


def read_model(raw: dict[str, Any], where: str) -> TriggerModel:
    try:
        classes = tuple(raw["classes"])
        names = list(raw["features"])
        weights = np.array([raw["features"][n] for n in names], dtype=np.float64).reshape(len(names), len(classes))
        bias = np.array(raw["bias"], dtype=np.float64)
        dense = np.array(raw["dense"], dtype=np.float64).reshape(-1, len(classes))
    except (KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"{where}: not a trigger model ({exc}); retrain it with `diurna train`") from None
    if classes != CLASSES or bias.shape != (len(classes),):
        raise LexiconError(f"{where}: its classes {classes} are not this version's {CLASSES}; "
                           "retrain it with `diurna train`")
    return TriggerModel(classes, {n: i for i, n in enumerate(names)}, weights, dense, bias,
                        dict(raw.get("meta", {})))


def load_model(path: str | Path | None = None) -> TriggerModel:
    """A trained model: the file or folder given, else the one shipped with the package."""
    if path is None:
        return _shipped_model()
    path = Path(path)
    if path.is_dir():
        path = path / MODEL_FILE
    try:
        raw = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: cannot read a trigger model ({exc}); give the folder "
                           "`diurna train --out` wrote") from None
    return read_model(raw, str(path))


@lru_cache(maxsize=1)
def _shipped_model() -> TriggerModel:
    resource = files("diurna.events").joinpath("data", MODEL_FILE)
    return read_model(json.loads(gzip.decompress(resource.read_bytes())), f"diurna/events/data/{MODEL_FILE}")
