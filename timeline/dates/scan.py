"""Find every date expression of running text (Chinese simplified and traditional, English,
or both) with its offsets, its span, its kind and its TIMEX3 value: the grammar of
:mod:`timeline.dates.grammar` run over the text, each match read by
:mod:`timeline.dates.frames`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from timeline.dates import frames, joins
from timeline.dates.grammar import LANGUAGES, load
from timeline.dates.matcher import Grammar
from timeline.dates.periods import DAY, When

Kind = Literal["absolute", "relative", "anaphoric"]


@dataclass(frozen=True)
class Found:
    """A date expression of the text given to :func:`scan`.

    ``start`` and ``end`` are character offsets (``str`` indices, end exclusive):
    ``text == scanned[start:end]``. ``kind`` is ``absolute`` (needs no reference:
    2025年2月17日, Feb 17, 2025), ``relative`` (counted from the reference, the publication
    date: 昨天, 上周二, last Tuesday, 今年3月, Feb 17 without a year) or ``anaphoric``
    (counted from another date of the text: 当天, 同日, 次日, 两天后, the next day, a week
    later). ``when`` is its span (:class:`timeline.dates.periods.When`, exclusive end), None
    when it cannot be resolved; ``value`` its TIMEX3 value (``2013-03-22``, ``2013-03``,
    ``2013``, ``2013-W11``, ``2013-Q1``, ``2013-SU``, ``199`` a decade, ``19`` a century,
    ``2013-02-09/2013-02-10`` a range, ``2013-03-22T15:00`` with a time of day,
    ``PRESENT_REF`` now), "" when unresolved. ``flag`` says why it is doubtful or refused
    (day and month that could be swapped, a weekday that disagrees with the date, an
    impossible date, a vague count), None when sure. ``anchor``: for an anaphoric
    expression, the index in the returned list of the Found it was resolved against
    (None: the reference). ``tense_sensitive``: a bare weekday, whose direction the caller
    may decide from the tense (see ``future`` of :func:`scan`).

    Added fields: ``mod``, the TIMEX3 mod (START, MID, END of a part: 年底, early March;
    APPROX: 左右, around; BEFORE, AFTER, ON_OR_BEFORE: 截至, as of, until; ON_OR_AFTER:
    以来, since, 起); ``offset``, for an anaphoric expression, its distance from the date
    it refers to as a signed ISO 8601 duration (``+P0D`` 当天, ``+P1D`` the next day,
    ``-P1D`` the day before, ``+P2D`` 两天后, ``+PXD`` 几天后, a few days later: vague);
    ``event``, the event an anaphoric expression names (``峰会闭幕`` of 峰会闭幕当天,
    ``summit`` of the day after the summit), whose date the caller may know better than
    the date before; ``rule``, the name of the grammar rule that matched.
    """

    start: int
    end: int
    text: str
    kind: Kind
    when: When | None
    value: str
    flag: str | None
    anchor: int | None
    tense_sensitive: bool
    mod: str | None = None
    offset: str | None = None
    event: str | None = None
    rule: str = ""


def languages(language: str | None) -> tuple[str, ...]:
    """Return the grammar files read for a BCP 47 ``language`` (``zh``, ``zh-Hant``,
    ``en-US``; None: Chinese and English). Raises ValueError for another language."""
    if language is None:
        return LANGUAGES
    primary = language.lower().split("-")[0].split("_")[0]
    if primary not in ("zh", "en"):
        raise ValueError(f"no date grammar for the language {language!r}: zh or en")
    return ("any", primary)


def scan(
    text: str,
    *,
    reference: datetime.date | None,
    language: str | None = None,
    future: Callable[[int], bool | None] | None = None,
) -> list[Found]:
    """Return every date expression of ``text`` in order of ``start``, never overlapping
    (where two could match, the longest), read against ``reference`` (the publication
    date; None: relative expressions come back with ``when`` None and ``value`` "", and
    anaphoric ones are read only from a date of the text).

    Two expressions that make a range (from May to Oct 2020, 三月和九月之间) are one
    Found; a day of a list takes the month of the day before it (9月10日、11日).
    Anaphoric expressions are resolved against the nearest preceding Found resolved to
    days (news style, as HeidelTime does): against its first day for 当天, the same day
    and the day before, its last day for the next day and later; with none, against the
    reference. ``future(offset)`` says whether the clause around ``offset`` (an index
    into ``text``) is in the future tense (True), the past (False) or neither as far as
    its words show (None): a bare weekday or a date without a year in a past-tense
    clause is then the last such day up to the reference, in a future-tense one the next
    from it (see :mod:`timeline.dates.tense`); without ``future``, or where it answers
    None, the day of that name in the reference's ISO week and the nearest such date
    (the rules of :func:`timeline.dates.normalize.parse_when`). ``language``: see :func:`languages`.
    Never raises for any text; raises ValueError for an unknown ``language``.
    """
    grammar = load(languages(language))
    folded = grammar.fold(text)
    items = []
    for match in grammar.matches(text, folded):
        if match.rule.refuse is not None:
            continue
        reading = frames.read(match, grammar, reference)
        if reading.tense_sensitive and future is not None:
            tense = future(match.start)
            if tense is not None:
                reading = frames.read(match, grammar, reference, future=tense)
        items.append(joins.Item(match.start, match.end, match, reading, match.rule.name))

    def reread(item: joins.Item, extra: dict[str, Any]) -> frames.Reading:
        assert item.match is not None
        slots = dict(extra)
        after, anchor = slots.pop("after", None), slots.pop("anchor", None)
        tense = future(item.start) if future is not None else None
        tense = slots.pop("future", tense)
        return frames.read(
            item.match, grammar, reference, anchor=anchor, future=tense, after=after, extra=slots
        )

    joined = joins.join(items, folded, grammar, reference, reread)
    return _anaphora(joins.bound(joined, folded, grammar), text, grammar, reference)


def _anaphora(
    items: list[joins.Item], text: str, grammar: Grammar, reference: datetime.date | None
) -> list[Found]:
    """Resolve each anaphoric item against the nearest preceding day and build Founds."""
    found: list[Found] = []
    anchor: int | None = None  # the last date to the day: 当天, the next day count from it
    dated: int | None = None  # the last date of any grain: 同年, that year count from it
    for item in items:
        reading, used = item.reading, None
        target = dated if reading.coarse else anchor
        # An offset left unjoined (four years after work began) counts from no date.
        rule = item.match.rule if item.match is not None else None
        unjoined = rule is not None and rule.unjoined is not None and reading.flag == rule.unjoined
        if (
            reading.kind == "anaphoric"
            and target is not None
            and item.match is not None
            and not unjoined
        ):
            day = _anchor_day(found[target], reading.offset)
            reading = frames.read(item.match, grammar, reference, anchor=day)
            used = target
        found.append(
            Found(
                item.start,
                item.end,
                text[item.start : item.end],
                reading.kind,
                reading.when,
                reading.value,
                reading.flag,
                used,
                reading.tense_sensitive,
                reading.mod,
                reading.offset,
                reading.event,
                item.rule,
            )
        )
        when = reading.when
        # An anaphoric date with nothing before it to count from anchors nothing.
        grounded = reading.kind != "anaphoric" or used is not None
        if (
            when is not None
            and reading.flag is None
            and not reading.value.startswith("P")
            and grounded
        ):
            dated = len(found) - 1
            if when.precision in ("day", "datetime") and not when.approximate:
                anchor = len(found) - 1
    return found


def _anchor_day(anchor: Found, offset: str | None) -> datetime.date:
    """The day an anaphoric expression counts from: the first day of ``anchor`` for the
    same day or days before, its last day for days after (``offset`` +P1D)."""
    when = anchor.when
    assert when is not None
    start = when.start.date() if isinstance(when.start, datetime.datetime) else when.start
    if isinstance(when.end, datetime.datetime) or not isinstance(when.end, datetime.date):
        return start
    if offset is not None and offset.startswith("+") and offset not in ("+P0D",):
        return when.end - DAY
    return start
