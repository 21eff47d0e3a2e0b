"""Reading the dependency parse: subjects, objects, passives and prepositional objects."""
from __future__ import annotations

from collections.abc import Iterator, Set as AbstractSet

from spacy.tokens import Token

from diurna.events.words import WORDS

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "obj", "iobj"}
STEP_NOUNS = WORDS.step_nouns


def is_passive(verb: Token) -> bool:
    """'Iran was condemned', and participles like 'missiles launched by Iran'."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ == "auxpass" for c in verb.children) or \
        headline_passive(verb)


# Verbs whose object is the party done to: in a headline, with the object missing, the
# subject is that party ("South Korea invited to NATO meeting", "Iran sanctioned over drones").
TRANSITIVE_HEADLINE_VERBS = WORDS.transitive_headline_verbs
PEOPLE_NOUNS = WORDS.people_nouns
COUNT_NOUNS = WORDS.count_nouns


def _infinitive(token: Token) -> bool:
    """'warned to stop': a complement clause, so the verb is active with its subject."""
    return token.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def headline_passive(verb: Token) -> bool:
    """Headlinese drops 'is/was': 'Opposition leader arrested', 'Seoul invited to summit'.
    A headline is a sentence that ends without a full stop, the text's first line."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBN") or \
            verb.lemma_.lower() not in TRANSITIVE_HEADLINE_VERBS:
        return False
    if any(c.dep_ in OBJECTS or c.dep_ in ("aux", "auxpass", "ccomp") or _infinitive(c) for c in verb.children):
        return False
    sent = verb.sent
    last = next((t for t in reversed(sent) if not t.is_space), None)
    return last is not None and last.text not in (".", "!", "?", '"', "”", "'", "’") and \
        "\n" not in sent.doc.text[:sent.start_char] and any(c.dep_ in SUBJECTS for c in verb.children)


def subject_token(verb: Token) -> tuple[Token | None, bool]:
    """The subject of a verb, inherited through control, coordination and relative clauses."""
    node = verb
    subjects = SUBJECTS
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in subjects and not is_dateline(c)), None)
        if subj is not None:
            return subj, node is not verb
        subjects = SUBJECTS
        if node.dep_ == "xcomp":
            obj = next((c for c in node.head.children if c.dep_ in OBJECTS), None)
            if obj is not None and not takes_steps(node):   # object control: "urged Russia to withdraw"
                return obj, True
            node = node.head
            subjects = SUBJECTS | PASSIVE_SUBJECTS          # "X is scheduled to meet", "was forced to resign"
        elif node.dep_ == "pcomp" and node.head.lower_ in ("by", "in") and node.head.head.pos_ in ("VERB", "AUX"):
            node = node.head.head          # the means: "Taiwan reacted by cutting ties", "joins … in condemning"
        elif node.dep_ == "pcomp" and node.head.lower_ == "in" and node.head.head.pos_ == "NOUN":
            # "Egypt's role in mediating the ceasefire"
            owner = next((c for c in node.head.head.children if c.dep_ == "poss"), None)
            return owner, owner is not None
        elif node.dep_ == "conj" and node.tag_ in FINITE and node.head.dep_ == "acl" \
                and node.head.tag_ == "VBN":
            # "condemned the arrests made last week and called for …": a finite verb hung
            # on a participle is coordinated with the clause the participle sits in
            node = next((a for a in node.head.ancestors if a.pos_ in ("VERB", "AUX")
                         and a.dep_ not in ("acl", "relcl")), node.head)
        elif node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head
        elif node.dep_ == "acomp":            # "X is due to meet", "X is ready to help"
            node = node.head
        elif node.dep_ in ("relcl", "acl") and not is_passive(node):
            return node.head, True
        elif node.dep_ in ("advcl",) and node.tag_ == "VBG":
            node = node.head               # "…, killing five people"
        elif node.dep_ == "advcl" and (takes_steps(node) or is_purpose(node)):
            node = node.head               # "X is taking steps to impose sanctions"
        else:
            return None, False
    return None, False


DASHES = frozenset({"—", "–", "--", "-"})


def is_dateline(token: Token) -> bool:
    """'Seoul, South Korea — Top leaders …': a place opening the sentence and closed by a
    dash is the report's dateline, though the parser may take it for a subject."""
    sent = token.sent
    return token.left_edge.i == sent.start and token.right_edge.i + 1 < sent.end and \
        token.right_edge.i - sent.start < 8 and \
        (token.right_edge.text in DASHES or token.doc[token.right_edge.i + 1].text in DASHES)


# Tags of verbs with a tense of their own.
FINITE = ("VBD", "VBZ", "VBP")


def is_purpose(verb: Token) -> bool:
    """'used his address to call for talks': an infinitive of purpose, done by the subject
    of the verb it serves."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def takes_steps(verb: Token) -> bool:
    """'took steps to impose': the steps are the act, done by the subject of 'take' and
    still to come (other purpose clauses pass their subject on too, see is_purpose, but
    keep their own status)."""
    head = verb.head
    return verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VB" and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and \
        head.lemma_.lower() == "take" and \
        any(c.dep_ in OBJECTS and c.lemma_.lower() in STEP_NOUNS for c in head.children)


def agent_token(verb: Token) -> Token | None:
    """The by-phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def prep_objects(token: Token, preps: AbstractSet[str]) -> Iterator[Token]:
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    yield grand
        elif child.dep_ == "prt" and child.lower_ in preps:
            # "call on X": spaCy may attach X as dobj of the verb
            continue


def clause_verb(token: Token) -> Token:
    """The nearest verb above a token: whose clause it sits in."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return node


def counted(token: Token) -> Token:
    """Who a count noun counts: "a number of ministers", "thousands of protesters"."""
    if token.lemma_.lower() in COUNT_NOUNS:
        return next(prep_objects(token, {"of"}), token)
    return token


def names_people(token: Token) -> bool:
    """Whether a noun phrase's head names people: a name, a pronoun, a number ("the two",
    "46 prisoners") or a noun for people, counted or not."""
    token = counted(token)
    return token.pos_ in ("PROPN", "PRON", "NUM") or token.lemma_.lower() in PEOPLE_NOUNS or \
        token.ent_type_ in ("PERSON", "NORP")
