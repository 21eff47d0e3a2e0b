"""Who did it and to whom: event arguments read off the dependency parse."""
from __future__ import annotations

from itertools import islice

from collections.abc import Iterable
from typing import TYPE_CHECKING

from diurna.actors.resolve import Mention
from diurna.nlp.gazetteer import is_country_code
from diurna.events.conflict import both_sides
from diurna.events.syntax import PASSIVE_SUBJECTS, SUBJECTS, is_dateline
from diurna.events.words import WORDS
from diurna.nlp.words import WORDS as ENGLISH

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj"}
# Prepositions that introduce a recipient, by event type ("talks with", "sanctions on").
RECIPIENT_PREPS = WORDS.recipient_preps
SIDE_NOUNS = WORDS.side_nouns
GROUP_NOUNS = WORDS.group_nouns
BOTH = WORDS.both
PRONOUNS_PERSON = ENGLISH.person_pronouns
PRONOUNS_GROUP = ENGLISH.group_pronouns
PRONOUNS_SPEAKER = ENGLISH.speaker_pronouns
# "I urged allies …": in a quotation the sayer, in a statement its author, as "we" is.
FIRST_PERSON = frozenset({"i", "me", "my"})
ANTECEDENT_REACH = 2        # sentences before a "he" or "she" where the person may be named
STATEMENT_VERBS = WORDS.statement_verbs
ISSUER_SENTENCES = 2         # opening sentences where a statement names who issues it
REPORTING = WORDS.reporting
QUOTES = frozenset({'"', "“", "”"})


class MentionIndex:
    """Token → mention, plus helpers to find the mentions an argument denotes."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.mentions = mentions
        self.at: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self.at[i] = mention
        # who a statement's "we" may be, most likely first
        issuer = self.issuer = _issuer(doc, mentions)
        self.speakers = ([issuer] if issuer else []) + \
            [m for m in _actors_by_subject_count(doc, mentions) if issuer is None or m.code != issuer.code]
        # (aggressor codes, victim codes) pairs, filled on first use by conflict.sides()
        self.conflict_sides: list[tuple[frozenset[str], frozenset[str]]] | None = None

    def for_token(self, token: Token, depth: int = 4) -> list[Mention]:
        """The mentions a noun phrase headed by ``token`` denotes, coordinations included."""
        found: list[Mention] = []
        heads = [token, *token.conjuncts]
        # "the four partners, South Korea, Japan and Australia": the listed members
        heads += [a for h in list(heads) for c in h.children if c.dep_ == "appos" for a in (c, *c.conjuncts)]
        for head in heads:
            for mention in self._for_head(head, depth):
                if mention not in found:
                    found.append(mention)
        return found

    def _for_head(self, token: Token, depth: int) -> list[Mention]:
        if token.i in self.at and self.at[token.i].code:
            mention = self.at[token.i]
            members = self._members(token, mention)
            if members:
                return members
            # "the militaries of the United States and the United Kingdom"
            joined = [self.at[c.i] for t in self.doc[mention.start:mention.end] for c in t.conjuncts
                      if c.i in self.at and self.at[c.i].code and not mention.start <= c.i < mention.end]
            return _unique([mention, *joined])
        if token.lower_ in PRONOUNS_PERSON:
            return self._antecedent(token, person=True)
        if token.lower_ in PRONOUNS_GROUP and token.tag_ in ("PRP", "WP", "WDT"):
            # only subjects: an object "them" is as often the weapons as the people
            return self._group_antecedent(token) if token.dep_ in ("nsubj", "nsubjpass") else []
        if token.lemma_.lower() in GROUP_NOUNS and any(c.lower_ == "the" for c in token.children) and \
                token.dep_ in ("nsubj", "nsubjpass", "poss"):
            return self._last_group(token)
        if token.lemma_.lower() in SIDE_NOUNS and any(c.lower_ in BOTH for c in token.children):
            return self._both_sides() or self._last_two(token)
        if token.lower_ in PRONOUNS_SPEAKER or token.lower_ in FIRST_PERSON:
            # "We, the G7 foreign ministers, …"; otherwise statements and readouts speak
            # as "we" for the document's main actor
            named = [c for c in token.children if c.dep_ == "appos"]
            if named:
                return self._for_head(named[0], depth)
            quoted = self._quoted_speaker(token)
            if quoted:
                return quoted
            return self._speaker(token)
        # Look inside the phrase: "the government of X", "X's embassy", "a hospital in Kyiv".
        frontier = [token]
        for _ in range(depth):
            nxt = []
            for node in frontier:
                for child in node.children:
                    if child.dep_ in CLAUSE_DEPS or child.dep_ in ("cc", "punct"):
                        continue
                    if child.dep_ == "conj" and node.i == token.i:
                        continue       # the head's own coordinates are handled by for_token
                    nxt.append(child)
            hits = [self.at[n.i] for n in nxt if n.i in self.at and self.at[n.i].code]
            # "the leaders of Burkina Faso, Mali and Niger": keep the coordinated names
            hits += [self.at[c.i] for n in nxt if n.i in self.at for c in n.conjuncts if c.i in self.at]
            if hits:
                return _unique(hits)
            frontier = nxt
        if token.dep_ == "appos" and depth > 1:
            # "Russia's war in Ukraine, a conflict that…": the appositive renames its head
            return self._for_head(token.head, depth - 1)
        return []

    def _speaker(self, token: Token) -> list[Mention]:
        """The issuer a statement's "we" stands for: the likeliest one not named in the
        sentence other than as a subject ("We commend Georgia's contributions" is not said by
        Georgia; "The United States remains dedicated to our commitment" is)."""
        sent = token.sent
        named = {m.code for i in range(sent.start, sent.end) if (m := self.at.get(i)) is not None and m.code
                 and self.doc[m.start:m.end].root.dep_ not in SUBJECTS}
        chosen = next((m for m in self.speakers if m.code not in named), None)
        return [chosen or self.speakers[0]] if self.speakers else []

    def quoted_speaker(self, token: Token) -> list[Mention]:
        return self._quoted_speaker(token)

    def _quoted_speaker(self, token: Token) -> list[Mention]:
        """'"We will not back down," the minister said': inside a quotation, "we" speaks for
        whoever the sentence says is talking (a saying verb's subject outside the quotes)."""
        sent = token.sent
        if not _inside_quotes(token):
            return []
        for verb in sent:
            if verb.lemma_.lower() not in REPORTING or _inside_quotes(verb):
                continue
            subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
            if subject is not None and not _inside_quotes(subject) and subject.lower_ not in PRONOUNS_SPEAKER:
                found = [m for m in self.for_token(subject, depth=2) if m.code]
                if found:
                    return found
        return []

    def _both_sides(self) -> list[Mention]:
        """'both sides', 'the warring parties': the two sides of the document's conflict."""
        return both_sides(self)

    def _last_group(self, token: Token) -> list[Mention]:
        """'Al-Shabab … the group still controls rural areas': the organisation named last
        before, in this sentence or the two before (not a state, not a person), a subject
        first."""
        sent_start = token.sent.start
        previous = [s for s in self.doc.sents if s.end <= sent_start][-ANTECEDENT_REACH:]
        window_start = previous[0].start if previous else sent_start
        groups = [m for m in self.mentions if window_start <= m.start and m.end <= token.i and m.code
                  and not m.is_person and m.role == "actor" and m.ref.sector not in (None, "GOV", "MIL", "POL")
                  and not is_country_code(m.code)]
        # the subject the text has been following, as for "he" (_antecedent)
        subjects = [m for m in groups if self.doc[m.start:m.end].root.dep_ in ("nsubj", "nsubjpass")]
        chosen = subjects or groups
        return [chosen[-1]] if chosen else []

    def _last_two(self, token: Token) -> list[Mention]:
        """'Sudan and South Sudan … the two countries': with no conflict to take sides
        from, the last two parties named before."""
        chosen: list[Mention] = []
        for mention in reversed(self.mentions):
            if mention.end <= token.i and mention.code and mention.role != "modifier" and \
                    mention.code not in {m.code for m in chosen}:
                chosen.append(mention)
                if len(chosen) == 2:
                    return chosen[::-1]
        return []

    def code_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for mention in self.mentions:
            if mention.code:
                counts[mention.code] = counts.get(mention.code, 0) + 1
        return counts

    def earlier_owner(self, noun: Token) -> list[Mention]:
        """'the meeting' → the owner of an earlier 'NATO's … meeting' in the document."""
        if not any(c.lower_ == "the" for c in noun.children):
            return []
        for token in reversed(self.doc[:noun.i]):
            if token.lemma_ != noun.lemma_:
                continue
            owners = [self.at[c.i] for c in token.children
                      if c.dep_ in ("poss", "compound") and c.i in self.at]
            owners += [self.at[g.i] for c in token.children if c.dep_ == "poss"
                       for g in c.children if g.dep_ == "poss" and g.i in self.at]
            if owners:
                return owners
        return []

    def _antecedent(self, token: Token, person: bool) -> list[Mention]:
        """The nearest earlier person mention with a code, in this sentence or the two before."""
        sent_start = token.sent.start
        previous = [s for s in self.doc.sents if s.end <= sent_start][-ANTECEDENT_REACH:]
        window_start = previous[0].start if previous else sent_start
        people = [m for m in self.mentions
                  if m.end <= token.i and m.start >= window_start and m.is_person and m.code]
        # "Cho will hold talks with NATO's Rutte. He will also…": the subject, not the
        # nearest name, is what a following "he" continues
        subjects = [m for m in people if self.doc[m.start:m.end].root.dep_ in ("nsubj", "nsubjpass")]
        chosen = subjects or people
        return [chosen[-1]] if chosen else []

    def _group_antecedent(self, token: Token) -> list[Mention]:
        """'Russia said it would…', 'Iran, which …': the subject of the governing clause."""
        if token.lower_ in ("who", "which", "that") and token.head.dep_ == "relcl":
            return self.for_token(token.head.head, depth=1)
        node = token.head
        while node.head.i != node.i:
            node = node.head
            subjects = [c for c in node.children if c.dep_ in SUBJECTS and c.i < token.i
                        and not is_dateline(c)]
            if subjects:
                # "leaders from South Korea, China and Japan … as they vowed": a plural
                # reaches into its subject's phrase for all the parties
                depth = 2 if token.lower_ == "they" else 1
                return [m for m in self.for_token(subjects[0], depth=depth) if m.code]
        if token.lower_ == "they":
            return self._previous_subjects(token)
        return []

    def _members(self, token: Token, mention: Mention) -> list[Mention]:
        """'leaders from South Korea, China and Japan', 'ministers of the three states
        A, B and C': an unnamed group drawn from several parties is those parties."""
        if mention.agent_key is None or mention.ref.name is not None:
            return []
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        found = _unique([self.at[t.i] for t in (obj, *obj.conjuncts)
                                         if t.i in self.at and self.at[t.i].code])
                        if len({m.code for m in found}) > 1:
                            return found
        return []

    def _previous_subjects(self, token: Token) -> list[Mention]:
        """'Sudan and South Sudan signed a deal. They held four days of talks…': a "they"
        opening a clause continues the subjects of the sentence before, if several."""
        start = token.sent.start
        if start == 0:
            return []
        root = self.doc[start - 1].sent.root
        subjects = [c for c in root.children if c.dep_ in SUBJECTS or c.dep_ in PASSIVE_SUBJECTS]
        found = [m for s in subjects for m in self.for_token(s, depth=1) if m.code]
        plural = len({m.code for m in found}) > 1 or any(s.tag_ in ("NNS", "NNPS") for s in subjects)
        return found if plural else []


def _inside_quotes(token: Token) -> bool:
    """Whether a token stands between quotation marks opened in its sentence."""
    marks = sum(1 for t in token.sent[:token.i - token.sent.start] if t.text in QUOTES)
    return marks % 2 == 1


def _issuer(doc: Doc, mentions: list[Mention]) -> Mention | None:
    """Who issues a statement: the subject of a present-tense verb in its opening
    sentences ("The United States strongly condemns …", "The U.S. Embassy welcomes …",
    "Foreign Minister Janelidze, the United States warmly welcomes you"). News reports
    open in the past or progressive ("protesters are vowing"), so they have none."""
    opening = list(islice(doc.sents, ISSUER_SENTENCES))
    if not opening:
        return None
    end = opening[-1].end
    for mention in mentions:
        if mention.start >= end:
            break
        head = doc[mention.start:mention.end].root
        if head.dep_ == "appos":
            head = head.head          # "Foreign Minister Janelidze, the United States welcomes you"
        verb = head.head
        if mention.code and mention.role == "actor" and head.dep_ == "nsubj" and verb.tag_ == "VBZ" and \
                verb.lemma_.lower() in STATEMENT_VERBS and not _inside_quotes(head):
            return mention
    return None


def _actors_by_subject_count(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Actors that are grammatical subjects, most often first (the first-named on ties):
    who a statement speaks for, when no issuer opens it."""
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}
    for mention in mentions:
        head = doc[mention.start:mention.end].root
        if mention.code and mention.role == "actor" and head.dep_ in ("nsubj", "nsubjpass"):
            counts[mention.code] = counts.get(mention.code, 0) + 1
            first.setdefault(mention.code, mention)
    return [first[code] for code in sorted(counts, key=lambda code: -counts[code])]


def _unique(items: Iterable[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def recipient_preps(event: str) -> frozenset[str]:
    return RECIPIENT_PREPS.get(event, RECIPIENT_PREPS["default"])
