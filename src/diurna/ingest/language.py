"""Is a text English? A cheap check, not a language identifier.

English news prose has about a third of its words in ``_ENGLISH_STOPWORDS`` (0.30-0.42
on examples/articles); French, German, Spanish, Italian, Dutch or Indonesian prose under
0.06. Short texts pass unchecked.
"""
from __future__ import annotations

import re

_ENGLISH_STOPWORDS = frozenset("""
    a about after against all also an and any are as at be been but by can could did do does
    for from had has have he her his how i if in into is it its may more most no not of on one
    or other our out over said says she should so than that the their them then there these
    they this those to two under up was we were what when where which while who will with would
    """.split())
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
MIN_WORDS_FOR_LANGUAGE = 20
MIN_STOPWORD_SHARE = 0.15
LANGUAGE_SAMPLE_CHARS = 20_000


def language_problem(text: str) -> str | None:
    """'not English (…)' when the text is plainly in another language or script, else None."""
    sample = text[:LANGUAGE_SAMPLE_CHARS].lower()
    words = _LETTER_RUN.findall(sample)
    if _NON_LATIN_LETTER.search(sample):          # beyond Latin Extended-B; rare in English
        letters = len(_LETTER.findall(sample))
        non_latin = len(_NON_LATIN_LETTER.findall(sample))
        if letters >= 100 and non_latin > letters / 2:
            return "not English (mostly non-Latin script); only English text is coded"
        words = [w for w in words if w[0] < "\u0250"]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return None
    share = sum(map(_ENGLISH_STOPWORDS.__contains__, words)) / len(words)
    if share < MIN_STOPWORD_SHARE:
        return f"not English (only {share:.0%} common English words); only English text is coded"
    return None
