"""Stage 3 of extraction: the date expressions of the text, found and read by the dates
scanner against the reference day (the dispatch's own date when its dateline gives one,
else the publication date), each placed in its sentence, with the tense of its clause
deciding a bare weekday's direction."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from timeline.dates import scan as scanner
from timeline.extract import references
from timeline.extract.layout import Text
from timeline.extract.model import EventRef, Found, Mention, Page, Sentence
from timeline.extract.sentences import Clauses, tense

_WEEKDAY = re.compile(
    r"(?:周|星期|礼拜)[一二三四五六日天]|(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE
)
#: A dateline's day is the reference of relative dates when it lies this close before
#: the publication date (a dispatch filed on the 19th and printed on the 21st).
DATELINE_SLACK = dt.timedelta(days=7)


def find(
    text: Text,
    page: Page,
    sentences: list[Sentence],
    *,
    published: dt.date,
    language: str,
) -> tuple[list[Mention], dt.date]:
    """Return every date expression of ``text.clean`` as a :class:`Mention` (in order,
    ``found.anchor`` indexing this list) and the reference day used: ``published``, or
    the day of the dispatch's dateline when it lies up to DATELINE_SLACK before it."""
    future = _future(text, sentences)
    founds = scanner.scan(text.clean, reference=published, language=language, future=future)
    line = _dateline_day(page, founds, kinds=("absolute", "relative"))
    reference = published
    if line is not None and line != published and dt.timedelta(0) < published - line:
        if published - line <= DATELINE_SLACK:
            reference = line
            founds = scanner.scan(text.clean, reference=line, language=language, future=future)
    starts = [s.start for s in sentences]
    refs = references.find(text.clean, text.folded)
    placed: list[tuple[Found, EventRef | None, int | None]] = []
    ref_index = 0
    for number, found in enumerate(founds):
        while ref_index < len(refs) and refs[ref_index][0].start < found.start:
            placed.append((refs[ref_index][0], refs[ref_index][1], None))
            ref_index += 1
        if placed and placed[-1][1] is not None and found.start < placed[-1][0].end:
            continue  # inside an event reference (峰会闭幕当天 holds 当天)
        if ref_index < len(refs) and refs[ref_index][0].start < found.end:
            continue
        placed.append((found, None, number))
    placed += [(found, ref, None) for found, ref in refs[ref_index:]]
    renumbered = {old: new for new, (_, _, old) in enumerate(placed) if old is not None}
    mentions = []
    for found, ref, _ in placed:
        if found.anchor is not None:
            found = dataclasses.replace(found, anchor=renumbered.get(found.anchor))
        index = bisect.bisect_right(starts, found.start) - 1
        if index >= 0 and found.end > sentences[index].end:
            index = -1
        mentions.append(Mention(found, index, ref))
    return mentions, reference


def publication_day(text: Text, page: Page, *, language: str) -> dt.date | None:
    """Return the day the article gives itself (a dateline or time stamp with a year:
    新华社北京2025年2月18日电, Updated Jan 23, 2023), or None."""
    founds = scanner.scan(text.clean, reference=None, language=language)
    return _dateline_day(page, founds, kinds=("absolute",))


def _dateline_day(page: Page, founds: list[Found], kinds: tuple[str, ...]) -> dt.date | None:
    """The first day-precision date inside a dispatch head or a meta block near the top
    (the first three blocks)."""
    spans = list(page.heads) + [(b.start, b.end) for b in page.blocks[:3] if b.role == "meta"]
    for found in founds:
        when = found.when
        if when is None or found.kind not in kinds or when.precision not in ("day", "datetime"):
            continue
        if any(start <= found.start and found.end <= end for start, end in spans):
            first = when.start
            return first.date() if isinstance(first, dt.datetime) else first
    return None


def _future(text: Text, sentences: list[Sentence]) -> Callable[[int], bool | None]:
    """The tense of the clause at an offset for the scanner: True in the future (and for a
    date a plan sets or moves: postponed to, confirmed as), False in the past, None when
    its words show neither (a present perfect, no verb: a date without a year is then
    the nearest), except that a bare weekday with no word of the future is in the past
    (news reports what happened: 39 seconds on Sunday)."""
    starts = [s.start for s in sentences]
    clauses = Clauses(text.clean)
    seen: dict[tuple[int, int], bool | None] = {}
    # A date a plan sets or moves (postponed to, confirmed as) lies ahead of the plan.
    answers: dict[str, bool | None] = {"future": True, "planned": True, "past": False}

    def future(offset: int) -> bool | None:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return None
        bounds = clauses.around(sentences[index], offset, offset + 1)
        if bounds not in seen:
            seen[bounds] = answers.get(tense(text.folded, *bounds))
        if seen[bounds] is None and _WEEKDAY.match(text.folded, offset):
            return False
        return seen[bounds]

    return future
