"""English date words: number words, ordinals, relative days, weeks, months and parts."""

import datetime
import re

from timeline.dates import periods as cal
from timeline.dates.periods import When

_NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_UNITS_ORDINAL = "first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS_ORDINAL = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth"
).split()


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"


_ORDINALS = {word: _suffix(i + 1) for i, word in enumerate(_UNITS_ORDINAL)}
_ORDINALS |= {word: _suffix(i + 10) for i, word in enumerate(_TEENS_ORDINAL)}
_ORDINALS |= {"twentieth": "20th", "thirtieth": "30th", "thirty-first": "31st"}
_ORDINALS |= {f"twenty-{word}": _suffix(21 + i) for i, word in enumerate(_UNITS_ORDINAL)}
_WORDS = {word: str(i + 1) for i, word in enumerate(_NUMBERS)} | _ORDINALS
_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_ONE = re.compile(r"\b(?:a|an)\s+(?=(?:day|week|month|year)\b)", re.IGNORECASE)
_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = (
    r"(?P<wd>monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri"
    r"|saturday|sat|sunday|sun)\.?"
)
_MONTH = (
    r"(?P<month>january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august"
    r"|aug|september|sept|sep|october|oct|november|nov|december|dec)\.?"
)
_STEPS = {"last": -1, "this": 0, "next": 1}
_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_DAYS |= {"the day before yesterday": -2, "the day after tomorrow": 2}
_PARTS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid"}
_PARTS |= {"middle": "mid", "late": "late", "end": "late"}

_DATED_WEEKDAY = re.compile(rf"{_WEEKDAY},?\s+(?P<rest>.*\d.*)", re.IGNORECASE)
# yesterday at 3 pm, last Tuesday 9:30: a relative day and then a time of day.
_TIMED = re.compile(
    rf"(?P<day>the day before yesterday|the day after tomorrow|today|yesterday|tomorrow"
    rf"|(?:(?:last|this|next)\s+)?{_WEEKDAY.replace('wd', 'wd3')})"
    r",?\s+(?:at\s+)?(?P<time>\d{1,2}(?::\d{2}|\s*[ap]\.?m\b).*)",
    re.IGNORECASE,
)
_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAY_FORM = re.compile(
    rf"(?:(?P<step>last|this|next)\s+)?{_WEEKDAY}"
    rf"|{_WEEKDAY.replace('wd', 'wd2')},?\s+(?:of\s+)?(?P<step2>last|this|next)\s+week"
)
_STEP_FORM = re.compile(r"(?P<step>last|this|next)\s+(?P<unit>week|month|year)")
_OFFSET = re.compile(
    r"(?P<n>\d{1,4})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|later|from now)"
    r"|in\s+(?P<n2>\d{1,4})\s+(?P<unit2>day|week|month|year)s?(?:'?\s+time)?"
)
_PART = re.compile(
    r"(?P<part>early|mid|late)[-\s]+(?P<rest>.+)"
    r"|(?:the\s+)?(?P<part2>beginning|start|middle|end)\s+of\s+(?:the\s+)?(?P<rest2>.+)"
)
_HALF = re.compile(r"(?:the\s+)?(?P<n>1st|2nd)\s+half\s+of\s+(?:the\s+)?(?P<rest>.+)")
_QUARTER = re.compile(
    r"(?:the\s+)?(?P<n>1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?:the\s+)?(?P<rest>.+))?"
    r"|q(?P<q>[1-4])(?:\s+(?:of\s+)?(?P<year>\d{4}))?|(?P<year2>\d{4})\s+q(?P<q2>[1-4])"
    r"|h(?P<h>[12])\s+(?P<year3>\d{4})|(?P<year4>\d{4})\s+h(?P<h2>[12])"
)
_YEAR = re.compile(r"(?P<year>\d{4})|(?:(?P<step>last|this|next)\s+)?year")
_MONTH_FORM = re.compile(
    rf"{_MONTH}(?:\s+(?P<year>\d{{4}}))?|(?:(?P<step>last|this|next)\s+)?month"
)
_MONTH_NUMBERS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}


def words(text: str) -> str:
    """Return ``text`` with single spaces, number words as digits (three 3, a week 1 week)
    and ordinal words as ordinals (third 3rd, twenty-first 21st)."""
    text = " ".join(text.split())
    return _WORD.sub(lambda m: _WORDS[m.group().lower()], _ONE.sub("1 ", text))


def absolute(text: str) -> str:
    """Return ``text`` (from :func:`words`) in a form dateutil and the range reader take:
    without ordinal suffixes, ``the``, a leading ``from``, ``in`` or ``on``; ``thru`` as
    ``through`` (the 15th of February 15 of february; from 13 to 15 July 13 to 15 july)."""
    plain = _SUFFIX.sub("", text)
    plain = re.sub(r"\bthe\s+", "", plain, flags=re.IGNORECASE)
    plain = re.sub(r"^(?:from|in|on)\s+", "", plain, flags=re.IGNORECASE)
    plain = re.sub(r"\bthru\b", "through", plain, flags=re.IGNORECASE)
    # A bare 17th stays as it is: read as 17 it would look like a number, not a day.
    return text if _SUFFIX.search(text) and not re.search(r"[A-Za-z]", plain) else plain


def anchor(text: str, reference: datetime.date) -> str | None:
    """Return ``text`` (from :func:`words`) with a leading relative day followed by a time
    of day written as a date (yesterday at 3 pm: 17 Feb 2025 3 pm), or None for text that
    does not start so."""
    match = _TIMED.fullmatch(text)
    if match is None:
        return None
    when = read_relative(match["day"], reference)
    assert when is not None and isinstance(when.start, datetime.date)
    start = when.start
    return f"{start.day} {_MONTH_NAMES[start.month - 1]} {start.year} {match['time']}"


def split_weekday(text: str) -> tuple[str, int | None]:
    """Take a leading weekday off a dated ``text`` (Monday, Feb 17, 2025); return the rest
    and the weekday (ISO 1..7), or ``text`` and None when there is no such weekday."""
    match = _DATED_WEEKDAY.fullmatch(text)
    if match is None:
        return text, None
    return match["rest"], _weekday(match["wd"])


def _weekday(name: str) -> int:
    return [n[:3] for n in _WEEKDAY_NAMES].index(name[:3].lower()) + 1


def read_relative(text: str, reference: datetime.date) -> When | None:
    """Read the relative and vague forms of ``text`` (from :func:`words`), counting from
    ``reference``; return None for text that is none of them.

    Days: today, yesterday, tomorrow, the day before yesterday, the day after tomorrow.
    Weekdays: Tuesday (in the ISO week of ``reference``, Monday first), last Tuesday and
    Tuesday of last week (the previous ISO week), next Wednesday, this Friday. Weeks,
    months, years: last week (Monday to Sunday, approximate), this month, next year.
    Parts: early/mid/late March, the beginning/end of April 2025, late 2024, the end of
    the year. Halves and quarters: the first half of 2025, the second quarter of 2024,
    Q1 2025, H2 2024. Offsets: 3 days ago, a week ago, in two weeks, three months later.
    Raises ValueError for impossible values.
    """
    text = text.lower().removesuffix(".")
    text = re.sub(r"^(?:on|at|during|in)\s+(?=\D)", "", text)
    if text in _DAYS:
        return cal.day(reference + _DAYS[text] * cal.DAY)
    if (match := _WEEKDAY_FORM.fullmatch(text)) is not None:
        weeks = _STEPS[match["step"] or match["step2"] or "this"]
        return cal.weekday(reference, _weekday(match["wd"] or match["wd2"]), weeks)
    if (match := _STEP_FORM.fullmatch(text)) is not None:
        step = _STEPS[match["step"]]
        if match["unit"] == "week":
            return cal.week(reference, step)
        if match["unit"] == "month":
            return cal.month_offset(reference, step)
        return cal.year(reference.year + step)
    if (match := _OFFSET.fullmatch(text)) is not None:
        sign = -1 if match["dir"] in ("ago", "earlier") else 1
        return cal.offset(
            reference, int(match["n"] or match["n2"]), match["unit"] or match["unit2"], sign
        )
    if (match := _PART.fullmatch(text)) is not None:
        return _part(
            _PARTS[match["part"] or match["part2"]], match["rest"] or match["rest2"], reference
        )
    if (match := _HALF.fullmatch(text)) is not None:
        year = _year(match["rest"], reference)
        return None if year is None else cal.part_of_year(year, 1 if match["n"] == "1st" else 7, 6)
    if (match := _QUARTER.fullmatch(text)) is not None:
        return _quarter(match, reference)
    return None


def _quarter(match: re.Match[str], reference: datetime.date) -> When | None:
    year: int | None
    if match["h"] or match["h2"]:
        year = int(match["year3"] or match["year4"])
        return cal.part_of_year(year, 1 if (match["h"] or match["h2"]) == "1" else 7, 6)
    if match["n"]:
        quarter = int(match["n"][0])
        year = reference.year if match["rest"] is None else _year(match["rest"], reference)
    else:
        quarter = int(match["q"] or match["q2"])
        written = match["year"] or match["year2"]
        year = int(written) if written else reference.year
    return None if year is None else cal.part_of_year(year, 3 * quarter - 2, 3)


def _year(text: str, reference: datetime.date) -> int | None:
    """Read 2025, this year, last year, next year or (the) year; None for anything else."""
    match = _YEAR.fullmatch(text)
    if match is None:
        return None
    if match["year"]:
        return int(match["year"])
    return reference.year + _STEPS[match["step"] or "this"]


def _part(part: str, text: str, reference: datetime.date) -> When | None:
    """Read the part of the month or year that ``text`` names (March, April 2025, last
    month, the month; 2024, last year, the year)."""
    year = _year(text, reference)
    if year is not None:
        return cal.part_of_year(year, *cal.YEAR_PARTS[part])
    match = _MONTH_FORM.fullmatch(text)
    if match is None:
        return None
    if match["month"] is None:
        month = cal.month_offset(reference, _STEPS[match["step"] or "this"])
        assert isinstance(month.start, datetime.date)
        return cal.part_of_month(month.start.year, month.start.month, part)
    number = _MONTH_NUMBERS[match["month"][:3]]
    if match["year"]:
        return cal.part_of_month(int(match["year"]), number, part)
    return cal.nearest(reference, lambda y: cal.part_of_month(y, number, part))
