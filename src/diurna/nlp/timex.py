"""Resolving date expressions against the article's publication date.

Returns (ISO date, precision) with precision day, week, month or year. Week dates
are the Monday of the week, month dates the 1st, year dates January 1st — except that a
future event in the current period ("will meet this week") takes the publication date,
the first day it can happen: the date stands for that whole period (or its rest), which holds what the phrase means ("late last year" is
last year; "last weekend" the week of that Saturday and Sunday).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_MD = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
_DM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?")
_MY = re.compile(_MONTH + r"\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


_NUMBER_WORDS = {w: i for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
    start=1)}
_NUMBER_WORDS.update({"a": 1, "an": 1})
_AGO = re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,4})\s+"
                  r"(day|week|month|year)s?\s+ago\b")
_DURATION = re.compile(r"^(for |over |during |within )?(the )?(more than |less than |nearly |almost |about |"
                       r"around |some |over |up to |at least |past |last |next )*"
                       r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|\d+)\s+"
                       r"(hours?|days?|weeks?|months?|years?|decades?)\b")


def resolve_date(expression: str, published: date | None, future: bool = False) -> tuple[str, str] | None:
    text = expression.lower().strip()
    if _DURATION.match(text) and not re.search(r"\bago\b", text):
        return None            # "more than a year", "the past 24 hours": a span, not a date
    for resolver in (_explicit, _ago, _relative_day, _weekday, _relative_period, _month_only, _year_only):
        try:
            result = resolver(text, published, future)
        except (ValueError, OverflowError):      # past year 1 or 9999: "9999 months ago"
            return None
        if result:
            return result[0].isoformat(), result[1]
    return None


def _explicit(text, published, future):
    if m := _ISO.search(text):
        return _safe(int(m[1]), int(m[2]), int(m[3])), "day"
    for pattern, order in ((_MD, "md"), (_DM, "dm")):
        if m := pattern.search(text):
            month_name, day_s = (m[1], m[2]) if order == "md" else (m[2], m[1])
            month, day = MONTHS[month_name.rstrip(".")[:3]], int(day_s)
            if m[3]:
                found = _safe(int(m[3]), month, day)
            elif published:
                found = _nearest_year(published, month, day, future)
            else:
                return None
            return (found, "day") if found else None
    return None


def _nearest_year(published: date, month: int, day: int, future: bool):
    """A day-month without a year: the occurrence nearest the publication date on the
    expected side (past events before it, future ones after it)."""
    candidates = [d for d in (_safe(published.year + k, month, day) for k in (-1, 0, 1)) if d]
    if future:
        ahead = [d for d in candidates if d >= published]
        return min(ahead) if ahead else None
    behind = [d for d in candidates if d <= published + timedelta(days=1)]
    return max(behind) if behind else None


def _ago(text, published, future):
    """'three days ago', 'a week ago', '2 months ago': that day, or the week, month or
    year holding it."""
    if not published or not (m := _AGO.search(text)):
        return None
    count, unit = _NUMBER_WORDS.get(m[1]) or int(m[1]), m[2]
    if unit == "day":
        return published - timedelta(days=count), "day"
    if unit == "week":
        return _monday(published - timedelta(weeks=count)), "week"
    if unit == "month":
        return _month_start(published, -count), "month"
    return date(published.year - count, 1, 1), "year"


# Longest first: "the day before yesterday" holds "yesterday".
_DAY_OFFSETS = {"the day before yesterday": -2, "the day after tomorrow": 2,
                "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                "yesterday": -1, "last night": -1, "tomorrow": 1}


def _relative_day(text, published, future):
    if not published:
        return None
    for phrase, offset in _DAY_OFFSETS.items():
        if re.search(rf"\b{phrase}\b", text):
            return published + timedelta(days=offset), "day"
    return None


def _weekday(text, published, future):
    if not published:
        return None
    for index, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            delta = (index - published.weekday()) % 7
            if "next" in text or (future and "last" not in text):
                return published + timedelta(days=delta if delta or "next" not in text else 7), "day"
            back = (published.weekday() - index) % 7
            if "last" in text and back == 0:
                back = 7
            return published - timedelta(days=back), "day"
    return None


def _relative_period(text, published, future):
    """'last week', 'earlier this month', 'late last year', 'early next month': the
    period, whatever part of it the phrase names."""
    if not published:
        return None
    shift = -1 if re.search(r"\b(last|previous|past)\b", text) else 1 if re.search(r"\b(next|coming)\b", text) else 0
    if re.search(r"\bweekend\b", text):
        return _weekend(text, published, future, shift), "week"
    if re.search(r"\bweek\b", text):
        return _not_before(_monday(published) + timedelta(weeks=shift), published, future), "week"
    if re.search(r"\bmonth\b", text):
        return _not_before(_month_start(published, shift), published, future), "month"
    if re.search(r"\byear\b", text):
        return _not_before(date(published.year + shift, 1, 1), published, future), "year"
    return None


def _not_before(start: date, published: date, future: bool) -> date:
    """'will attend … this week': what is still to happen happens from the publication
    date on, so the current period's date is that day, not the period's first."""
    return max(start, published) if future else start


def _weekend(text, published, future, shift):
    """The week (Monday to Sunday) of the weekend meant. 'Last weekend' is the one before
    this week's; 'this weekend' and 'the weekend' are this week's, except told of in the
    past on a weekday, when the weekend just gone is meant."""
    monday = _monday(published)
    if shift:
        return monday + timedelta(weeks=shift)
    if not future and published.weekday() < 5:
        return monday - timedelta(weeks=1)
    return _not_before(monday, published, future)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_start(day: date, shift: int) -> date:
    months = day.year * 12 + day.month - 1 + shift
    return date(months // 12, months % 12 + 1, 1)


def _month_only(text, published, future):
    if m := _MY.search(text):
        return date(int(m[2]), MONTHS[m[1].rstrip(".")[:3]], 1), "month"
    for name, month in MONTHS.items():
        if len(name) > 3 and re.search(rf"\b{name}\b", text) and published:
            year = published.year if (month <= published.month or future) else published.year - 1
            if future and month < published.month:
                year += 1
            return date(year, month, 1), "month"
    return None


def _year_only(text, published, future):
    if m := _YEAR.search(text):
        return date(int(m[1]), 1, 1), "year"
    return None


def _safe(year, month, day):
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None
