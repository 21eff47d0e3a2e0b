"""The fast path: parse only the sentences that can hold an event, or that one needs.

The coder finds an event only in a sentence with a trigger word and an actor. Before
spaCy runs, a rule-based splitter cuts the text into pieces (sentences) and cheap
string tests describe each: trigger forms, knowledge-base aliases, name-like words,
titles, pronouns. A piece is parsed when it may hold an event, or when a parsed piece
may depend on it: actor resolution and argument finding read earlier sentences
(names "Cho" → "Cho Tae-yul", titles "the minister", pronouns "he", "the meeting" →
its earlier owner, "we" → the document's main actor).

Pieces that are not parsed stay in the Doc as one opaque token each ("gap"), so the
Doc's text and every character offset are those of the original article, and the
coder runs on it unchanged. Pieces without any name or alias contribute no mentions,
so dropping them changes nothing; the test suite checks that the fast path yields
the same events as the full parse (tests/test_prefilter.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from collections.abc import Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Iterable, Iterator, cast

from spacy.tokens import Doc

from diurna.actors.kb import Alias, KnowledgeBase, normalise
from diurna.events.lexicon import Lexicon
from diurna.events.words import WORDS
from diurna.nlp.pipeline import Parser, english_words, sentence_lines
from diurna.nlp.words import WORDS as ENGLISH
from diurna.records import Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import Lemmatizer

TOKEN = re.compile(r"\w+|[^\w\s]")
HYPHENATED = re.compile(r"\w+(?:-\w+)+")
# "the" plus up to this many tokens: where a definite noun ("the talks") may sit.
DEFINITE_REACH = 4
# Share of an article's characters kept above which it is parsed whole.
MOSTLY_KEPT = 0.85
# Words of context parsed on each side of a kept run: more than the four tokens
# spaCy's token vectors look at, since a word may be several tokens or none.
CONTEXT_WORDS = 6
# Words whose lemma guesses are cached (a long run meets ever new names; keep it bounded).
GUESS_CACHE = 20_000
_WORD_START = re.compile(r"(?<!\S)\S")
_WORD_AND_SPACE = re.compile(r"\S+\s*")

# A sentence ends at . ! or ? (then closing brackets or quotes), whitespace, and a
# capital letter, possibly after an opening quote or bracket.
_BOUNDARY = re.compile(r"""[.!?](?P<close>['"’”)\]]*)(?P<space>\s+)(?=['"‘“(\[]?[A-Z])""")
# Words ending in a full stop that rarely end a sentence.
_ABBREVIATIONS = WORDS.abbreviations
# Capitalised sentence openers that are not names.
_OPENERS = WORDS.openers
# the pronouns argument finding resolves (events/arguments.py): the same lists
_PERSON_PRONOUNS = ENGLISH.person_pronouns
_SPEAKER_PRONOUNS = ENGLISH.speaker_pronouns
# "both sides", "the two countries" (arguments.py): the side nouns in the plural too
_BOTH = WORDS.both
_GROUP_NOUNS = WORDS.group_nouns
_SIDE_FORMS = frozenset(form for noun in WORDS.side_nouns for form in (noun, noun + "s", noun[:-1] + "ies"))
_PERSON_FORMS = {"person", "surname"}


# -- splitting ----------------------------------------------------------------------
# A sentence longer than this is parsed in parts cut at spaces: the parser, and the rules
# that walk its trees, then never meet a "sentence" of many thousand tokens (a list of
# 40,000 names, 100,000 characters without a full stop, 300,000 nested brackets).
MAX_PIECE_CHARS = 3_000


def bounded_pieces(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """``split_pieces``, with pieces over ``MAX_PIECE_CHARS`` cut at the last space before
    the limit (or at the limit); also the positions of those forced cuts."""
    out: list[tuple[int, int]] = []
    forced: set[int] = set()
    for start, end in split_pieces(text):
        while end - start > MAX_PIECE_CHARS:
            cut = text.rfind(" ", start + MAX_PIECE_CHARS // 2, start + MAX_PIECE_CHARS) + 1 or start + MAX_PIECE_CHARS
            out.append((start, cut))
            forced.add(cut)
            start = cut
        out.append((start, end))
    return out, forced


def split_pieces(text: str) -> list[tuple[int, int]]:
    """Cut text into sentence pieces [start, end) that cover it exactly.

    Each piece keeps its trailing whitespace, so spaCy tokenises a piece as it
    tokenises the same stretch of the whole text. Cuts are made only at clear
    sentence ends: a wrong cut could make a parsed piece differ from the full parse.
    """
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        if _clear_end(text, match):
            cuts.append(match.end())
    # the headline and each paragraph start a sentence, as the parse has them
    cuts.extend(sentence_lines(text))
    cuts = sorted(set(cuts) | {len(text)})
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _clear_end(text: str, match: re.Match[str]) -> bool:
    if match.group("close") and "\n" not in match.group("space"):
        return False        # '"Why?" Smith asked.': the quote may go on
    if text[match.start()] != ".":
        return "\n" in match.group("space")
    word = text[:match.start()].rsplit(None, 1)[-1] if text[:match.start()].strip() else ""
    word = word.lstrip("\"'“‘([")
    if "." in word or len(word) <= 1:
        return False        # U.S., p.m., initials
    return word.lower() not in _ABBREVIATIONS


# -- what a piece holds ---------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    trigger: bool          # a trigger word form is present
    coded: bool            # an alias that carries a code, or names a known person
    person_alias: bool     # a knowledge-base person (may resolve by date or later)
    any_alias: bool        # any alias at all (agents and titles too)
    title: bool            # a title word ("the minister") that may resolve to a person
    names: frozenset[str]  # name-like words, matched against later mentions
    opener: str | None     # a capitalised first word that is also a common word ("Prices")
    person_pronoun: bool
    speaker_pronoun: bool
    sides: bool            # "both sides", "the two countries", "the North": parties named before
    protest: bool          # a protest word: unnamed protesters are of the state in focus
    definite: frozenset[str]   # lemma guesses of words after "the"
    lemmas: frozenset[str]     # lemma guesses of all words (only for pieces with mentions)

    @property
    def has_mentions(self) -> bool:
        """Whether the coder may find any mention here (else dropping it is harmless)."""
        return self.any_alias or bool(self.names)

    @property
    def person_source(self) -> bool:
        """Whether this piece may resolve a person that later pieces refer back to."""
        return self.person_alias or (self.coded and (bool(self.names) or self.title))

    @property
    def person_words(self) -> frozenset[str]:
        """Words a person resolved here may be named by later (the opener too: "Rice")."""
        return (self.names | {self.opener}) if self.opener else self.names


@dataclass(frozen=True)
class _AliasInfo:
    coded: bool
    person: bool
    title: bool
    name_words: frozenset[str]


# An alias table: the token counts of the aliases each first token begins, and the
# aliases as token tuples with what their hits can be.
_AliasTable = tuple[dict[str, set[int]], dict[tuple[str, ...], _AliasInfo]]


class SentenceFilter:
    """Decides, per article, which pieces to parse. Built once per Coder."""

    def __init__(self, nlp: Language, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self._lemmas = _LemmaGuesser(nlp)
        self._triggers = _trigger_forms(lexicon, self._lemmas, nlp.Defaults.stop_words)
        # crowds that gather protest though the lexicon does not list the verb (candidates._idiom)
        crowds = frozenset(form for verb in WORDS.crowd_verbs for form in self._lemmas.forms(verb))
        self._triggers |= crowds
        self._protests = crowds | frozenset(form for table in (lexicon.verbs, lexicon.nouns)
                                            for key, trigger in table.items() if trigger.event == "PROTEST"
                                            and " " not in key for form in self._lemmas.forms(key))
        self._cased = _alias_table(kb.cased, lower=False)
        self._uncased = _alias_table(kb.uncased, lower=True)

    def plan(self, text: str) -> list[tuple[int, int, bool]]:
        """Runs (start, end, parse?) covering the text, adjacent kept pieces merged, except
        across a cut made inside an overlong sentence: those parts are parsed apart."""
        bounds, forced = bounded_pieces(text)
        pieces = [self.describe(text, a, b) for a, b in bounds]
        keep = decide(pieces)
        runs: list[tuple[int, int, bool]] = []
        for piece, kept in zip(pieces, keep):
            if runs and runs[-1][2] == kept and runs[-1][1] not in forced:
                runs[-1] = (runs[-1][0], piece.end, kept)
            else:
                runs.append((piece.start, piece.end, kept))
        return runs

    def describe(self, text: str, start: int, end: int) -> Piece:
        tokens = TOKEN.findall(normalise(text[start:end]))
        lowered = [t.lower() for t in tokens]
        hits, covered = self._aliases(tokens, lowered)
        names = _name_words(tokens, covered) | {w for h in hits for w in h.name_words}
        for word in HYPHENATED.findall(normalise(text[start:end])):
            if word[0].isupper():
                names |= set(word.split("-"))
        opener = self._common_opener(tokens, covered)
        names.discard(opener)
        any_alias = bool(hits)
        return Piece(
            start, end,
            trigger=not self._triggers.isdisjoint(lowered),
            coded=any(h.coded for h in hits), person_alias=any(h.person for h in hits),
            any_alias=any_alias, title=any(h.title for h in hits), names=frozenset(names),
            opener=opener,
            person_pronoun=not _PERSON_PRONOUNS.isdisjoint(lowered),
            speaker_pronoun=not _SPEAKER_PRONOUNS.isdisjoint(lowered),
            sides=_names_sides(lowered),
            protest=not self._protests.isdisjoint(lowered),
            definite=self._definite(lowered),
            lemmas=self._all_lemmas(lowered) if any_alias or names or opener else frozenset())

    def _common_opener(self, tokens: list[str], covered: set[int]) -> str | None:
        """The first word, if capitalised only because it opens the sentence."""
        first = _first_word(tokens)
        if first < 0 or first in covered or not tokens[first][:1].isupper():
            return None
        word = tokens[first]
        lowered = word.lower()
        if lowered in _OPENERS or self._lemmas.is_common(lowered):
            return word
        return None

    def _aliases(self, tokens: list[str], lowered: list[str]) -> tuple[list[_AliasInfo], set[int]]:
        hits: list[_AliasInfo] = []
        covered: set[int] = set()
        for table, words in ((self._cased, tokens), (self._uncased, lowered)):
            firsts, aliases = table
            for i, word in enumerate(words):
                for length in firsts.get(word, ()):
                    info = aliases.get(tuple(words[i:i + length]))
                    if info is not None:
                        hits.append(info)
                        if not info.person:
                            covered.update(range(i, i + length))
        return hits, covered

    def _definite(self, lowered: list[str]) -> frozenset[str]:
        out: set[str] = set()
        for i, word in enumerate(lowered):
            if word == "the":
                for follower in lowered[i + 1:i + 1 + DEFINITE_REACH]:
                    out |= self._lemmas.guesses(follower)
        return frozenset(out)

    def _all_lemmas(self, lowered: list[str]) -> frozenset[str]:
        out: set[str] = set()
        for word in set(lowered):
            out |= self._lemmas.guesses(word)
        return frozenset(out)


def decide(pieces: list[Piece]) -> list[bool]:
    """Which pieces to parse: those that may hold an event, then what they depend on."""
    pieces = _resolve_openers(pieces)
    keep = _candidates(pieces)
    if any(k and (p.speaker_pronoun or p.sides or p.protest) for p, k in zip(pieces, keep)):
        # "we" speaks for the actor most often a subject anywhere in the document; "both
        # sides" are the sides of a conflict named anywhere, or the last two parties named;
        # unnamed protesters are of the state the document keeps returning to
        return [k or p.has_mentions for p, k in zip(pieces, keep)]
    _keep_dependencies(pieces, keep)
    return keep


def _keep_dependencies(pieces: list[Piece], keep: list[bool]) -> None:
    """Keep what each kept piece depends on, transitively: the earlier sentence its "he"
    may stand for; for "the minister", every earlier sentence with mentions; the sentences
    naming a person it names by surname ("Cho" → "Cho Tae-yul"); and those holding the
    noun of its "the meeting". Dependencies point backwards, so one pass from the end
    settles them; each index entry is marked once, so the cost stays linear in the
    document (a loop over earlier sentences per sentence was quadratic)."""
    by_person_word: dict[str, list[int]] = {}
    by_lemma: dict[str, list[int]] = {}
    for j, piece in enumerate(pieces):
        if piece.has_mentions:
            if piece.person_source:
                for word in piece.person_words:
                    by_person_word.setdefault(word, []).append(j)
            for lemma in piece.lemmas:
                by_lemma.setdefault(lemma, []).append(j)
    done_words: set[str] = set()
    done_lemmas: set[str] = set()
    for i in range(len(pieces) - 1, -1, -1):
        if not keep[i]:
            continue
        piece = pieces[i]
        if piece.title:                  # every earlier sentence with mentions: nothing is left to add
            for j in range(i):
                keep[j] = keep[j] or pieces[j].has_mentions
            return
        if piece.person_pronoun and i > 0 and pieces[i - 1].has_mentions:
            keep[i - 1] = True
        _mark_earlier(keep, i, piece.names, by_person_word, done_words)
        _mark_earlier(keep, i, piece.definite, by_lemma, done_lemmas)


def _mark_earlier(keep: list[bool], i: int, keys: frozenset[str], index: dict[str, list[int]],
                  done: set[str]) -> None:
    """Keep the pieces before ``i`` that the index lists under any of ``keys``. A key
    marked from piece i has marked every entry before i, which covers every later
    (smaller) i: it is never looked at again."""
    for key in keys:
        if key in done or key not in index:
            continue
        done.add(key)
        for j in index[key]:
            if j >= i:
                break
            keep[j] = True


def _resolve_openers(pieces: list[Piece]) -> list[Piece]:
    """A common-word opener counts as a name when an earlier person bears it ("Rice")."""
    seen: set[str] = set()
    out = []
    for piece in pieces:
        if piece.opener and piece.opener in seen:
            piece = replace(piece, names=piece.names | {piece.opener})
        if piece.person_source:
            seen |= piece.person_words
        out.append(piece)
    return out


def _candidates(pieces: list[Piece]) -> list[bool]:
    keep = []
    earlier_names: set[str] = set()
    for piece in pieces:
        may_have_actor = (piece.coded or piece.title or piece.person_pronoun
                          or piece.speaker_pronoun or piece.sides or piece.protest
                          or not piece.names.isdisjoint(earlier_names))
        keep.append(piece.trigger and may_have_actor)
        if piece.person_source:
            earlier_names |= piece.person_words
    return keep


def _names_sides(lowered: list[str]) -> bool:
    """'both sides', 'the two warring parties', 'the two countries', 'the group'
    (events/arguments.py), 'the North' of a divided country (actors/resolve.py)."""
    return any((word in _BOTH and any(w in _SIDE_FORMS for w in lowered[i + 1:i + 3])) or
               (word == "the" and lowered[i + 1:i + 2] in (["north"], ["south"])) or
               (word == "the" and i + 1 < len(lowered) and lowered[i + 1] in _GROUP_NOUNS)
               for i, word in enumerate(lowered))


def _name_words(tokens: list[str], covered: set[int]) -> set[str]:
    return {t for i, t in enumerate(tokens) if t[:1].isupper() and i not in covered}


def _first_word(tokens: list[str]) -> int:
    return next((i for i, t in enumerate(tokens) if t[:1].isalnum()), -1)


def _alias_table(table: Mapping[str, list[Alias]], lower: bool) -> _AliasTable:
    """Aliases as token tuples, with what their hits can be, indexed by first token."""
    aliases: dict[tuple[str, ...], _AliasInfo] = {}
    for text, hits in table.items():
        words = tuple(TOKEN.findall(normalise(text).lower() if lower else normalise(text)))
        if not words:
            continue
        info = _alias_info(hits)
        old = aliases.get(words)
        aliases[words] = info if old is None else _AliasInfo(
            old.coded or info.coded, old.person or info.person, old.title or info.title,
            old.name_words | info.name_words)
    firsts: dict[str, set[int]] = {}
    for words in aliases:
        firsts.setdefault(words[0], set()).add(len(words))
    return firsts, aliases


def _alias_info(hits: list[Alias]) -> _AliasInfo:
    person = any(h.form in _PERSON_FORMS for h in hits)
    names: set[str] = set()
    for hit in hits:
        if hit.form in _PERSON_FORMS:
            canonical = normalise(hit.entry.name)
            names |= set(TOKEN.findall(canonical)) | set(canonical.replace("-", " ").split())
    return _AliasInfo(coded=person or any(h.entry.code for h in hits), person=person,
                      title=any(h.form == "title" for h in hits), name_words=frozenset(names))


# -- word forms -----------------------------------------------------------------------
class _LemmaGuesser:
    """Every lemma spaCy's rule lemmatizer could give a word, from its own tables."""

    def __init__(self, nlp: Language) -> None:
        # get_pipe is typed as returning a bare Doc -> Doc callable; this one is the Lemmatizer
        lookups = cast("Lemmatizer", nlp.get_pipe("lemmatizer")).lookups if "lemmatizer" in nlp.pipe_names else None
        # {pos: [[suffix, replacement], ...]} and {pos: {word: [lemma, ...]}}
        self.rules: Mapping[str, Sequence[Sequence[str]]] = lookups.get_table("lemma_rules", {}) if lookups else {}
        self.exceptions: Mapping[str, Mapping[str, Sequence[str]]] = \
            lookups.get_table("lemma_exc", {}) if lookups else {}
        self.guesses = lru_cache(maxsize=GUESS_CACHE)(self._guesses)
        self.known = english_words(nlp)

    def is_common(self, word: str) -> bool:
        """Whether the lowercase word is an ordinary English word the lemmatizer knows."""
        return not self.known.isdisjoint(self.guesses(word))

    def _guesses(self, word: str) -> frozenset[str]:
        out = {word}
        for pos, rules in self.rules.items():
            for old, new in rules:
                if word.endswith(old):
                    out.add(word[:len(word) - len(old)] + new)
        for pos, table in self.exceptions.items():
            out.update(table.get(word, ()))
        return frozenset(out)

    def forms(self, lemma: str) -> set[str]:
        """Surface forms the rules would map to ``lemma`` (the inverse of guesses)."""
        out = {lemma}
        for pos, rules in self.rules.items():
            for old, new in rules:
                if lemma.endswith(new):
                    out.add(lemma[:len(lemma) - len(new)] + old)
        return out

    def irregular_forms(self, lemmas: set[str]) -> set[str]:
        return {form for table in self.exceptions.values() for form, targets in table.items()
                if not lemmas.isdisjoint(targets)}


def _trigger_forms(lexicon: Lexicon, lemmas: _LemmaGuesser, stop_words: AbstractSet[str]) -> frozenset[str]:
    """Lowercase word forms that may carry a trigger, with all their inflections: the
    verb of each verb key ("call" of "call on"), the head word of every other key
    ("call" of "phone call"; nouns, adjectives and any table added later)."""
    words: set[str] = set()
    for name, table in vars(lexicon).items():
        if isinstance(table, dict):
            for key in table:
                parts = key.lower().split()
                heads = {parts[0]} if name == "verbs" else {parts[0], parts[-1]}
                # a particle of a multi-word key ("call for") is not what the coder tests
                words |= {h for h in heads if len(parts) == 1 or h not in stop_words}
    words |= {piece for word in list(words) for piece in TOKEN.findall(word) if piece.isalpha()}
    forms: set[str] = set()
    for word in words:
        forms |= lemmas.forms(word)
    return frozenset(forms | lemmas.irregular_forms(words))


# -- parsing the kept pieces ----------------------------------------------------------
class FastParser:
    """Runs spaCy on the kept runs of each article and rebuilds a Doc of the whole text.

    Each kept run is parsed with a few words of the neighbouring text on either side,
    so spaCy's token vectors (which see four tokens each way) are those of the full
    parse; the context is then cut off again. Where spaCy does not end a sentence at
    a cut, the article is parsed whole instead.
    """

    def __init__(self, parser: Parser, sentence_filter: SentenceFilter) -> None:
        self.parser = parser        # nlp.Parser: spaCy's pipe plus Diurna's finishing steps
        self.filter = sentence_filter
        self.fallbacks = 0          # articles parsed whole because a cut did not hold

    def pipe(self, articles: Iterable[Article], batch_size: int) -> Iterator[tuple[Doc, Article]]:
        """(Doc, article) in input order; articles are planned and parsed a batch at a time."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._batch(batch, batch_size)

    def _batch(self, articles: list[Article], batch_size: int) -> Iterator[tuple[Doc, Article]]:
        plans = [_whole_if_mostly_kept(self.filter.plan(a.text)) for a in articles]
        windows = [(n, start, end, *context_window(article.text, start, end))
                   for n, (article, plan) in enumerate(zip(articles, plans))
                   for start, end, kept in plan if kept]
        texts = ((articles[w[0]].text[w[3]:w[4]], w) for w in windows)
        parsed: dict[int, list[Doc | None]] = {}
        for doc, (n, start, end, left, _) in self.parser.pipe(
                texts, as_tuples=True, batch_size=_piece_batch(batch_size, len(windows), len(articles))):
            parsed.setdefault(n, []).append(_region(doc, start - left, end - left))
        docs = [self._assemble(a.text, plan, parsed.get(n, []))
                for n, (a, plan) in enumerate(zip(articles, plans))]
        redo = [n for n, doc in enumerate(docs) if doc is None]
        self.fallbacks += len(redo)
        for n, doc in zip(redo, self.parser.pipe((articles[n].text for n in redo), batch_size=batch_size)):
            docs[n] = doc
        yield from zip(docs, articles)

    def _assemble(self, text: str, plan: list[tuple[int, int, bool]], docs: list[Doc | None]) -> Doc | None:
        regions = [doc for doc in docs if doc is not None]
        if len(regions) < len(docs):
            return None
        if not plan:
            return self.parser.make_doc(text)       # empty text
        if len(plan) == 1 and regions:
            return regions[0]
        parsed = iter(regions)
        parts = [next(parsed) if kept else self._gap(text[start:end]) for start, end, kept in plan]
        return Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]  # spaCy's stub lacks it

    def _gap(self, text: str) -> Doc:
        """One opaque token for an unparsed stretch: its own sentence, no entity."""
        return Doc(self.parser.vocab, words=[text], spaces=[False], pos=["SPACE"], tags=["_SP"],
                   deps=["ROOT"], heads=[0], sent_starts=[True], ents=["O"], lemmas=[text])


def _piece_batch(batch_size: int, pieces: int, articles: int) -> int:
    """Kept pieces are shorter than articles: batch as many as make ``batch_size`` articles'
    worth of text (larger batches than that parse more slowly, smaller ones too)."""
    return batch_size * max(1, round(pieces / max(1, articles)))


def _whole_if_mostly_kept(plan: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """One run for the whole text when little would be dropped: cutting and rejoining
    pieces then costs more than parsing the rest. Not where two kept runs meet (a cut made
    inside an overlong sentence): those are parsed apart."""
    if not plan or any(a[2] and b[2] for a, b in zip(plan, plan[1:])):
        return plan
    kept = sum(end - start for start, end, keep in plan if keep)
    length = plan[-1][1] - plan[0][0]
    return [(plan[0][0], plan[-1][1], True)] if kept >= MOSTLY_KEPT * length else plan


def context_window(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[int, int]:
    """[left, right) around a run: ``words`` whole words more on each side, cut where
    spaCy would split the text anyway (at word starts), so tokens stay the same."""
    low = max(0, start - 80 * words)
    starts = [m.start() for m in _WORD_START.finditer(text, low, start)]
    if len(starts) >= words:
        left = starts[-words]
    else:
        left = 0 if low == 0 else (starts[0] if starts else start)
    right = end
    for match in islice(_WORD_AND_SPACE.finditer(text, end), words):
        right = match.end()
    return left, right


def _region(doc: Doc, start: int, end: int) -> Doc | None:
    """The tokens of doc in [start, end) chars as a Doc, or None unless spaCy starts a
    sentence at both edges (and no entity crosses them)."""
    first = next((t.i for t in doc if t.idx >= start), len(doc))
    stop = next((t.i for t in doc[first:] if t.idx >= end), len(doc))
    if first == stop or not (_clean_edge(doc, first) and _clean_edge(doc, stop)):
        return None
    if first == 0 and stop == len(doc):
        return doc
    return doc[first:stop].as_doc()


def _clean_edge(doc: Doc, i: int) -> bool:
    if i == 0 or i == len(doc):
        return True
    return bool(doc[i].is_sent_start) and doc[i].ent_iob_ != "I"
