"""Dates of an article's date expressions: read against the publication date, or against
the earlier event they refer to (峰会闭幕当天, 几天后, the next day), with a note on how,
a confidence and its reason; what cannot be resolved says why instead of guessing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from timeline.dates.normalize import WhenError, parse_when
from timeline.dates.periods import When, day
from timeline.io.gazetteer import KNOWN_DATES
from timeline.io.mentions import Mention

DAY = dt.timedelta(days=1)
#: A few days (几天后, a few days later) is taken as this many, and marked approximate.
FEW_DAYS = 3
_HAN = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"[“《「]([^”》」]{1,30})[”》」]")
_LAST_PHASES = ("闭幕", "结束")
_EN_LAST = ("at the close of", "at the end of", "on the last day of", "on the closing day of")


class Earlier(Protocol):
    """What resolution reads of a candidate proposed before (see extract.Candidate)."""

    @property
    def span(self) -> When | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def sentence(self) -> str: ...
    @property
    def when(self) -> str: ...
    @property
    def locator(self) -> str: ...
    @property
    def precision(self) -> str | None: ...


class Resolution(NamedTuple):
    """A mention's date (None if unresolved), how it was derived, why it is unresolved,
    the confidence (0..1) and its reason."""

    span: When | None
    note: str | None
    unresolved: str | None
    confidence: float
    reason: str


def _days(span: When) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a span of days."""
    start = span.start.date() if isinstance(span.start, dt.datetime) else span.start
    end = span.end if isinstance(span.end, dt.date) else start + DAY
    if isinstance(end, dt.datetime):
        end = end.date()
    return start, end - DAY


def _compact(text: str) -> str:
    """Undo layout inside a date expression: no spaces in Chinese, single ones otherwise."""
    return ("" if _HAN.search(text) else " ").join(text.split())


def _shown(earlier: Earlier) -> str:
    assert earlier.span is not None
    first, last = _days(earlier.span)
    dates = first.isoformat() if first == last else f"{first} to {last}"
    return f"'{_compact(earlier.when)}' ({dates}, {earlier.locator})"


def resolve(
    mention: Mention, sentence: str, earlier: Sequence[Earlier], published: dt.date
) -> Resolution:
    """Resolve ``mention`` (in ``sentence``) of an article published on ``published``,
    after the candidates ``earlier`` (in the article's order)."""
    previous = _followed(sentence, earlier)
    text = _compact(mention.text)
    if mention.kind in ("date", "year") or (mention.kind == "after" and previous is None):
        try:
            span = parse_when(re.sub(r"^(?i:on|in)\s+", "", text), reference=published)
        except WhenError as error:
            return Resolution(None, None, str(error), 0.1, "the date expression is not read")
        if span.precision == "year":
            return Resolution(span, None, None, 0.6, "a year only")
        if span.precision == "month" or span.approximate:
            return Resolution(span, None, None, 0.8, "a date given to the month or approximately")
        return Resolution(span, None, None, 0.9, "a date given in the text")
    if mention.kind == "anchored":
        return _anchored(mention, sentence, earlier, published)
    if previous is None:
        return Resolution(None, None, "counts from the event before, and none is dated", 0.1,
                          "a relative date with nothing to count from")  # fmt: skip
    if previous.span is None:
        unresolved = f"follows '{_compact(previous.when)}', which is not dated"
        return Resolution(None, None, unresolved, 0.1, "a relative date with nothing to count from")
    first, last = _days(previous.span)
    if mention.kind == "few_after":
        note = (
            f"The article says '{text}' (a few days later) after {_shown(previous)}; "
            f"{FEW_DAYS} days after it is a chosen date."
        )
        span = day(last + FEW_DAYS * DAY, approximate=True)
        return Resolution(span, note, None, 0.45, "a few days after the event before")
    if mention.kind == "immediate":
        note = (
            f"The article says '{text}' (at once) after {_shown(previous)}; "
            "the day after it is a chosen date."
        )
        return Resolution(day(last + DAY, approximate=True), note, None, 0.45,
                          "right after the event before")  # fmt: skip
    if mention.kind == "after":
        count = mention.n or 0
        note = f"The article says '{text}': {count} days after {_shown(previous)}."
        return Resolution(day(last + count * DAY), note, None, 0.7, "counted from the event before")
    same = text in ("当天", "当日", "同日", "同一天") or "same" in text.lower()
    target = first if same else last + DAY
    note = f"The article says '{text}' of {_shown(previous)}."
    return Resolution(day(target), note, None, 0.65, "the same or next day of the event before")


def _followed(sentence: str, earlier: Sequence[Earlier]) -> Earlier | None:
    """Return the event that a sentence counting from "the event before" follows: the
    latest earlier one sharing a quoted name with it (“星际之门”, 《...》), dated or not,
    else the latest earlier one dated to the day."""
    names = [n for n in _QUOTED.findall(sentence) if len(n) > 1]
    for candidate in reversed(earlier):
        if any(name in candidate.sentence for name in names):
            if candidate.span is None or candidate.precision == "day":
                return candidate
    dated = [c for c in earlier if c.span is not None and c.precision == "day"]
    return dated[-1] if dated else None


def _anchored(
    mention: Mention, sentence: str, earlier: Sequence[Earlier], published: dt.date
) -> Resolution:
    noun = mention.noun
    anchor = None
    for candidate in reversed(earlier):
        if candidate.kind != "date" or candidate.span is None or candidate.precision != "day":
            continue
        first, last = _days(candidate.span)
        if (noun and noun.lower() in candidate.sentence.lower()) or (not noun and last > first):
            anchor = candidate
            break
    confidence, reason = 0.8, "resolved against the date the article gives the event it names"
    if anchor is not None:
        assert anchor.span is not None
        first, last = _days(anchor.span)
        source = f"the {noun or 'event'} is dated by {_shown(anchor)}"
    elif noun is not None and (known := known_date(noun, sentence, published)) is not None:
        first = last = known[0]
        source = f"the {noun} is not dated in the article: {known[1]} (from the known dates)"
        confidence, reason = 0.6, "resolved against a known date from outside the article"
    else:
        named = noun or "the event"
        return Resolution(None, None, f"refers to '{named}', not dated in the article", 0.15,
                          "refers to an event the article does not date")  # fmt: skip
    rel, text = mention.rel or "", _compact(mention.text)
    lowered = rel.lower()
    if rel == "期间" or lowered == "during":
        span = When(first, last + DAY, "day", last > first)
        return Resolution(span, f"The article says '{text}'; {source}.", None, confidence, reason)
    base = last if mention.phase in _LAST_PHASES or lowered in _EN_LAST else first
    if rel in ("次日", "第二天") or lowered == "the day after":
        after_end = mention.phase in _LAST_PHASES or lowered == "the day after"
        base, approximate = (last if after_end else first) + DAY, False
    else:
        approximate = rel in ("前夕", "后")
        if rel in ("前一天", "前夕") or lowered == "the day before":
            base = first - DAY
        elif rel == "后":
            base = last + DAY
    note = f"The article says '{text}'; {source}, so it is {base.isoformat()}."
    return Resolution(day(base, approximate=approximate), note, None, confidence, reason)


def known_date(noun: str, sentence: str, published: dt.date) -> tuple[dt.date, str] | None:
    """Return the date and note of the :data:`KNOWN_DATES` entry for ``noun`` whose words
    are all in ``sentence`` and whose validity holds ``published``, or None."""
    for known in KNOWN_DATES:
        if known.noun.lower() != noun.lower() or not known.valid_from <= published:
            continue
        if published < known.valid_until and all(w in sentence for w in known.words):
            return known.date, known.note
    return None
