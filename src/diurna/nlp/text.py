"""Text of a spaCy ``Doc``, built once per Doc: the components of every stage read it."""
from __future__ import annotations

from collections.abc import Container

from spacy.tokens import Doc, Span, Token


def span_entities(span: Span, labels: Container[str]) -> list[Span]:
    """The entities with these labels wholly inside ``span`` (as ``Span.ents`` gives them),
    read from its tokens' IOB tags.
    (``Span.ents`` builds every entity of the whole Doc on each call: cost that grows with
    the document, paid once per event.)"""
    found: list[Span] = []
    start = None
    doc = span.doc
    for token in span:
        if start is not None and token.ent_iob_ != "I":
            found.append(doc[start:token.i])
            start = None
        if token.ent_iob_ == "B" and token.ent_type_ in labels:
            start = token.i
    if start is not None and (span.end == len(doc) or doc[span.end].ent_iob_ != "I"):
        found.append(doc[start:span.end])       # (one running past the span is not inside it)
    return [Span(doc, e.start, e.end, label=doc[e.start].ent_type_) for e in found]


def entity_span(token: Token) -> Span:
    """The entity a token is part of (the token alone if none), from the IOB tags."""
    doc = token.doc
    if not token.ent_type_:
        return doc[token.i:token.i + 1]
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def doc_text(doc: Doc) -> str:
    """doc.text, computed once per Doc (spaCy joins every token's text on each access)."""
    text = doc.user_data.get("diurna_text")
    if text is None:
        text = doc.user_data["diurna_text"] = doc.text
    return text
