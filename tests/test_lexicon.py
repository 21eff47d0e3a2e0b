"""The trigger lexicon agrees with PLOVER's CAMEO→PLOVER crosswalk."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from diurna.events.cameo import PLOVER_SCORES, quad_class, score
from diurna.events.lexicon import load_lexicon
from diurna.records import PLOVER_TYPES

CROSSWALK = REPO.parent / "shared" / "ontology" / "CAMEO2PLOVER-2021.txt"
# Departures documented in docs/ontology.md: sanctions are SANCTION in our
# conventions (the crosswalk says COERCE); appeals (CAMEO 02x) are missing there.
DEPARTURES = {"163": "SANCTION"}


@pytest.fixture(scope="module")
def crosswalk():
    if not CROSSWALK.is_file():
        pytest.skip(f"{CROSSWALK} not found (shared/ontology lives beside the repository)")
    table = {}
    for line in CROSSWALK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if match:
            table[match[1]] = match[2]
    return table


def _entries():
    lexicon = load_lexicon()
    for section in (lexicon.verbs, lexicon.nouns, lexicon.adjectives):
        yield from section.items()


def test_every_entry_matches_the_crosswalk(crosswalk):
    wrong = []
    for word, trig in _entries():
        if trig.cameo.startswith("02"):
            assert trig.event == "REQUEST", word
            continue
        expected = DEPARTURES.get(trig.cameo) or crosswalk.get(trig.cameo)
        if expected != trig.event:
            wrong.append((word, trig.cameo, trig.event, expected))
    assert not wrong, wrong


def test_scores_and_quads_cover_every_type():
    assert set(PLOVER_SCORES) == set(PLOVER_TYPES)
    assert score("CONSULT", "visit") == 4 and score("ASSAULT", None) == -9
    assert quad_class("REQUEST", "020") == 1 and quad_class("REQUEST", "100") == 3
