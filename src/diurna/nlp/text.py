"""Text of a spaCy ``Doc``, built once per Doc: the components of every stage read it."""
from __future__ import annotations

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """doc.text, computed once per Doc (spaCy joins every token's text on each access)."""
    text = doc.user_data.get("diurna_text")
    if text is None:
        text = doc.user_data["diurna_text"] = doc.text
    return text
