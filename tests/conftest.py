"""Shared fixtures: one real Coder (the real spaCy model) for the whole test session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "examples" / "articles"
EVAL_DIR = Path(os.environ.get("DIURNA_EVAL_DIR", REPO.parent / "shared" / "eval"))


@pytest.fixture(scope="session")
def coder():
    from diurna import Coder
    return Coder()


@pytest.fixture(scope="session")
def dev_gold():
    path = EVAL_DIR / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"evaluation data not found at {path} (it lives beside the repository in shared/eval)")
    from diurna.evaluate.score import load_gold
    return load_gold(path)


def codes(entities) -> set[str]:
    return {e.code for e in entities}


def find_event(doc, event_type):
    """The first event of a type, with a readable failure listing what was found."""
    for event in doc.events:
        if event.event == event_type:
            return event
    found = [(e.event, sorted(codes(e.actor)), sorted(codes(e.recipient))) for e in doc.events]
    raise AssertionError(f"no {event_type} event; found {found}")
