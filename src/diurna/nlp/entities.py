"""Named entities from rules, in place of the statistical NER.

The coder reads entities for three things only: date expressions (the event date),
places (cities the knowledge base does not list), and people it does not know yet
(a name right after a title, or with a title in apposition). Actors themselves come
from the knowledge base. Rules give these three from the tagger's output and an
offline gazetteer for a fraction of the NER's cost:

- DATE / TIME: weekdays, months with or without days and years, years, ISO and
  slashed dates, "yesterday", "the day before yesterday", "last week", "last weekend",
  "earlier this month", "late last year", "three days ago", "2 weeks ago";
- GPE: proper-noun words that name a city or country in the gazetteer;
- PERSON: proper-noun words after a title or honorific ("Foreign Minister Ahmed
  Attaf", "Mr Starmer"), or followed by a title in apposition ("Attaf, the foreign
  minister,").
"""
from __future__ import annotations

from spacy.attrs import IDX, IS_DIGIT, LENGTH, LOWER, SHAPE, TAG
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from diurna.nlp.text import doc_text
from diurna.nlp.timex import MONTHS, WEEKDAYS
from diurna.nlp.words import WORDS

PROPER_TAGS = frozenset({"NNP", "NNPS"})
# Longest place name tried inside a run of proper nouns, in words.
PLACE_WORDS = 3
# Words before a name that make it a person's ("Mr", "President", "spokeswoman").
HONORIFICS = WORDS.honorifics
# Words that make a run of proper nouns an organisation's name, not a person's.
ORGANISATION_WORDS = WORDS.organisation_words
# How far after a name a title may sit in apposition ("Attaf, Algeria's top diplomat,").
APPOSITION_REACH = 6

_MONTHS = sorted({m for m in MONTHS} | {f"{m}." for m in MONTHS if len(m) == 3} | {"sept."})
_FULL_MONTHS = [m for m in MONTHS if len(m) > 3 and m != "sept"]
_PERIODS = ["week", "weekend", "month", "year", "fortnight", "quarter", "decade",
            "spring", "summer", "autumn", "fall", "winter"]
_UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades",
          "hour", "hours"]
_COUNTS = ["a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve", "several", "few", "couple"]
_DAY = {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}}
_YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}}
_MONTH = {"LOWER": {"IN": _MONTHS}, "IS_TITLE": True}
_NAMED_MONTH = {"LOWER": {"IN": _FULL_MONTHS}, "IS_TITLE": True, "TAG": {"IN": ["NNP", "NNPS"]}}
_RELATIVE = {"LOWER": {"IN": ["last", "next", "this", "coming", "past", "previous", "following"]}}

DATE_PATTERNS = [
    [{**_RELATIVE, "OP": "?"}, {"LOWER": {"IN": WEEKDAYS}}],
    [_MONTH, _DAY, {"ORTH": ",", "OP": "?"}, {**_YEAR, "OP": "?"}],
    [{"LOWER": "the", "OP": "?"}, _DAY, {"LOWER": "of", "OP": "?"}, _MONTH, {"ORTH": ",", "OP": "?"},
     {**_YEAR, "OP": "?"}],
    [{"LOWER": {"IN": ["early", "mid", "late"]}, "OP": "?"}, {"ORTH": "-", "OP": "?"}, _NAMED_MONTH,
     {**_YEAR, "OP": "?"}],
    [_MONTH, _YEAR],
    [_YEAR],
    [{"LOWER": {"IN": ["earlier", "later", "early", "mid", "late"]}, "OP": "?"}, _RELATIVE,
     {"LOWER": {"IN": _PERIODS}}],
    [{"LOWER": "the"}, {"LOWER": {"IN": ["past", "previous", "coming", "next"]}}, {"LOWER": {"IN": _PERIODS}}],
    [{"LOWER": {"IN": ["the", "this", "next", "last"]}}, {"LOWER": "weekend"}],
    [{"LOWER": {"IN": ["yesterday", "today", "tomorrow"]}}],
    [{"LOWER": "the"}, {"LOWER": "day"}, {"LOWER": {"IN": ["before", "after"]}},
     {"LOWER": {"IN": ["yesterday", "tomorrow"]}}],
    [{"LOWER": {"IN": _COUNTS} , "OP": "?"}, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": _UNITS}},
     {"LOWER": "ago"}],
    [{"SHAPE": "dddd"}, {"ORTH": "-"}, {"SHAPE": "dd"}, {"ORTH": "-"}, {"SHAPE": "dd"}],
    [{"TEXT": {"REGEX": r"^\d{1,2}/\d{1,2}/\d{2,4}$"}}],
]
TIME_PATTERNS = [
    [{"LOWER": {"IN": ["tonight", "overnight"]}}],
    [{"LOWER": {"IN": ["this", "yesterday", "tomorrow"]}},
     {"LOWER": {"IN": ["morning", "afternoon", "evening"]}}],
    [{"LOWER": {"IN": ["last", "tomorrow"]}}, {"LOWER": "night"}],
]
# Every pattern holds one of these words, a four-digit number (a year) or a slashed
# date (day numbers come with a month name); the longest pattern spans six tokens.
DATE_ANCHORS = frozenset(WEEKDAYS) | frozenset(_MONTHS) | frozenset(_PERIODS) | frozenset(
    ["yesterday", "today", "tomorrow", "ago", "tonight", "overnight", "night", "morning",
     "afternoon", "evening"])
PATTERN_REACH = 5
# Token shapes of slashed dates ("3/4/2025"); spaCy shapes cut runs at four characters.
SLASH_DATE_SHAPES = [f"{'d' * a}/{'d' * b}/{'d' * c}" for a in (1, 2) for b in (1, 2) for c in (2, 4)]


class RuleEntities:
    """Sets doc.ents from the rules above. ``titles``: lowercase title words of the
    knowledge base ("minister", "president"), which mark the names after them."""

    def __init__(self, vocab, titles: frozenset[str] = frozenset(),
                 common_words: frozenset[str] = frozenset()):
        self.matcher = Matcher(vocab)
        self.matcher.add("DATE", DATE_PATTERNS)  # type: ignore[arg-type]  # patterns are list[list[dict]]
        self.matcher.add("TIME", TIME_PATTERNS)  # type: ignore[arg-type]
        self.titles = frozenset(titles) | HONORIFICS
        self.common_words = frozenset(common_words)
        strings = vocab.strings
        self._anchors = frozenset(strings.add(w) for w in DATE_ANCHORS)
        self._slash_dates = frozenset(strings.add(shape) for shape in SLASH_DATE_SHAPES)
        self._proper_tags = frozenset(strings.add(t) for t in PROPER_TAGS)
        self._unknown_tag = strings.add("XX")
        self._strings = strings

    def __call__(self, doc: Doc) -> Doc:
        # one array read instead of a Python object per token
        rows = doc.to_array([LOWER, IS_DIGIT, LENGTH, SHAPE, TAG, IDX]).tolist() if len(doc) else []
        spans = self._dates(doc, rows)
        for start, end in self._proper_runs(rows):
            spans += self._names(doc, rows, start, end)
        spans += self._unknown_places(doc, rows)
        doc.ents = filter_spans(spans)
        return doc

    def _dates(self, doc: Doc, rows: list[list[int]]) -> list[Span]:
        """Date and time expressions; the matcher runs only near words that can anchor one."""
        anchors = [i for i, (lower, digit, length, shape, _, _) in enumerate(rows)
                   if lower in self._anchors or (digit and length == 4) or shape in self._slash_dates]
        spans = []
        for low, high in _windows(anchors, len(rows)):
            for match_id, start, end in self.matcher(doc[low:high]):
                spans.append(Span(doc, low + start, low + end, label=doc.vocab.strings[match_id]))
        return spans

    def _proper_runs(self, rows: list[list[int]]):
        """[start, end) of each run of capitalised proper nouns."""
        start = None
        for i, (_, _, _, shape, tag, _) in enumerate(rows):
            proper = tag in self._proper_tags and self._strings[shape][:1] == "X"
            if proper and start is None:
                start = i
            elif not proper and start is not None:
                yield start, i
                start = None
        if start is not None:
            yield start, len(rows)

    def _unknown_places(self, doc: Doc, rows: list[list[int]]) -> list[Span]:
        """Capitalised words the tagger could not tag ("Sana'a" is XX) that name a place."""
        from diurna.nlp.gazetteer import is_place_name

        return [Span(doc, i, i + 1, label="GPE") for i, (_, _, _, shape, tag, _) in enumerate(rows)
                if tag == self._unknown_tag and self._strings[shape][:1] == "X"
                and is_place_name(doc[i].text, self.common_words)]

    def _names(self, doc: Doc, rows: list[list[int]], start: int, end: int) -> list[Span]:
        """Places anywhere in one run of proper nouns, and a person's name at its end:
        after the run's last title word ("Foreign Minister Ahmed Attaf"), or the whole
        rest when a title comes just before the run or in apposition after it."""
        places, name_start, titled, i = [], start, False, start
        while i < end:
            # "The Hague": "The" is no proper noun, but part of the name
            the = i == start and i > 0 and doc[i - 1].lower_ == "the"
            place = self._place_at(doc, rows, i, end, "the " if the else "")
            if place is None and the:
                place, the = self._place_at(doc, rows, i, end), False
            # a place ends the run or comes before a title ("Kyiv Mayor …") or a day the
            # tagger glued to it ("Bangkok Monday"); else it begins some other name
            # ("Tehran Times", a boat called "Unaizah May 4")
            if place and (place == end or self._is_title(doc[place]) or doc[place].lower_ in WEEKDAYS):
                places.append(Span(doc, i - 1 if the else i, place, label="GPE"))
                name_start, i = place, place
                continue
            if self._is_title(doc[i]):
                name_start, titled = i + 1, True
            i += 1
        if name_start < end and _personal(doc[name_start:end]) and (
                titled or self._titled(doc, name_start) or self._apposed(doc, end)):
            return places + [Span(doc, name_start, end, label="PERSON")]
        return places

    def _place_at(self, doc: Doc, rows: list[list[int]], i: int, end: int, prefix: str = "") -> int | None:
        """End of the longest gazetteer place name starting at token i (after ``prefix``), if any."""
        # the gazetteer's tables only when rule entities first run
        from diurna.nlp.gazetteer import is_place_name

        text = doc_text(doc)
        for j in range(min(end, i + PLACE_WORDS), i, -1):
            last = rows[j - 1]
            if is_place_name(prefix + text[rows[i][5]:last[5] + last[2]], self.common_words):
                return j
        return None

    def _is_title(self, token) -> bool:
        return token.lower_.rstrip(".") in self.titles

    def _titled(self, doc: Doc, i: int) -> bool:
        """A title or honorific right before the name, or before a comma before it."""
        before = i - 1
        if before >= 0 and doc[before].text == ",":
            before -= 1
        return before >= 0 and self._is_title(doc[before])

    def _apposed(self, doc: Doc, end: int) -> bool:
        """'Ahmed Attaf, Algeria's foreign minister, said': a title soon after a comma."""
        if end >= len(doc) or doc[end].text != ",":
            return False
        for token in doc[end + 1:end + 1 + APPOSITION_REACH]:
            if token.is_punct:
                return False
            if self._is_title(token):
                return True
        return False


def _windows(anchors: list[int], length: int) -> list[tuple[int, int]]:
    """Merged [low, high) token windows around the anchors, wide enough for any pattern."""
    out: list[tuple[int, int]] = []
    for i in anchors:
        low, high = max(0, i - PATTERN_REACH), min(length, i + PATTERN_REACH + 1)
        if out and low <= out[-1][1]:
            out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return out


def _personal(span: Span) -> bool:
    return not any(t.lower_ in ORGANISATION_WORDS for t in span)
