"""CAMEO codes → quad class, and PLOVER type/mode → conflict/cooperation score.

Scores are the PLOVER manual's table of conflict–cooperation scores (section
"Numeric conflict/cooperation scores"). The manual prints ACCUSE as 3; every other
verbal-conflict score is negative and ACCUSE's modes are -2 to -3.5, so we read
it as -3.
Modes are the manual's (events/modes.py maps the lexicon's older names onto them); a
mode the table has no row for (PROTEST vandalize) scores as its type.
"""
from __future__ import annotations

PLOVER_SCORES: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5,
    "AID": 10, "RETREAT": 6.5, "REQUEST": 0, "ACCUSE": -3, "REJECT": -2,
    "THREATEN": -3.5, "PROTEST": -5, "SANCTION": -6, "MOBILIZE": -5.5,
    "COERCE": -7, "ASSAULT": -9,
}
MODE_SCORES: dict[tuple[str, str], float] = {
    ("CONSULT", "visit"): 4, ("CONSULT", "third-party"): 1, ("CONSULT", "multilateral"): 4,
    ("CONSULT", "phone"): 1.5, ("RETREAT", "withdraw"): 8, ("RETREAT", "release"): 6.5,
    ("RETREAT", "disarm"): 10, ("RETREAT", "ceasefire"): 7.5, ("RETREAT", "access"): 6.5,
    ("RETREAT", "resign"): 4.5, ("REQUEST", "assist"): 0.5, ("REQUEST", "change"): -1,
    ("REQUEST", "yield"): -1, ("REQUEST", "meet"): 0, ("ACCUSE", "disapprove"): -2,
    ("ACCUSE", "investigate"): -3.5, ("ACCUSE", "allege"): -3.5, ("REJECT", "assist"): -1.5,
    ("REJECT", "change"): -2, ("REJECT", "yield"): -2, ("REJECT", "meet"): -2,
    ("THREATEN", "restrict"): -3, ("THREATEN", "arrest"): -3.5, ("THREATEN", "relations"): -3.5,
    ("THREATEN", "expel"): -3.5, ("THREATEN", "territory"): -4, ("THREATEN", "violence"): -3.5,
    ("PROTEST", "demo"): -5, ("PROTEST", "riot"): -7, ("PROTEST", "strike"): -5,
    ("PROTEST", "hunger"): -4.5, ("PROTEST", "boycott"): -4.5, ("PROTEST", "obstruct"): -4.5,
    ("SANCTION", "convict"): -6, ("SANCTION", "expel"): -5.5, ("SANCTION", "withdraw"): -6,
    ("SANCTION", "discontinue"): -6, ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5,
    ("MOBILIZE", "police"): -5.5, ("MOBILIZE", "militia"): -6, ("COERCE", "seize"): -7,
    ("COERCE", "restrict"): -7, ("COERCE", "censor"): -6.5, ("COERCE", "curfew"): -6.5,
    ("COERCE", "martial-law"): -7.5, ("COERCE", "arrest"): -7, ("COERCE", "deport"): -7,
    ("COERCE", "withhold"): -7, ("COERCE", "misinformation"): -6.5, ("COERCE", "cyber"): -7,
    ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5, ("ASSAULT", "torture"): -8.5,
    ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5, ("ASSAULT", "destroy"): -8.5,
    ("ASSAULT", "primitive"): -8, ("ASSAULT", "firearms"): -9, ("ASSAULT", "explosives"): -9,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "aerial"): -9.5, ("ASSAULT", "drone"): -9.5,
    ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "crowd-control"): -7.5,
    ("ASSAULT", "unconventional"): -10,
}
# PLOVER's quad categories: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict.
PLOVER_QUAD: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}


def score(event: str, mode: str | None) -> float:
    return MODE_SCORES.get((event, mode or ""), PLOVER_SCORES[event])


def quad_class(event: str, cameo: str | None = None) -> int:
    """PLOVER's quad class; an appeal (CAMEO 02) is verbal cooperation, a demand (10) conflict."""
    if event == "REQUEST" and cameo and cameo.startswith("02"):
        return 1
    return PLOVER_QUAD[event]


def cameo_root(cameo: str | None) -> str | None:
    return cameo[:2] if cameo else None


def cameo_quad(cameo: str) -> int:
    """CAMEO root → GDELT-style quad class (01–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4)."""
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
