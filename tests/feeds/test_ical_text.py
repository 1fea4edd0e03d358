"""feeds.render_vevent writes VEVENT text directly: over random events of every kind the
store holds, icalendar reads it as exactly what icalendar's object model renders
(tests/feeds/ical_reference.py), byte for byte."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feeds import ENGLISH, Entry, Wording, iter_ical, render_vevent, vevent_tzid
from feeds.contentlines import fold
from tests.feeds.fixtures import channel, entry
from tests.feeds.ical_reference import reference_vevent

#: Zones that icalendar takes for UTC (it writes their wall time with a ``Z``, wrong for
#: dates before the zone's last change): ours names them with a TZID instead; see
#: test_zones_icalendar_takes_for_utc_keep_their_tzid.
ICALENDAR_UTC = sorted(
    name
    for name in zoneinfo.available_timezones()
    if icalendar.timezone.tzid.tzid_from_tzinfo(zoneinfo.ZoneInfo(name)) == "UTC"
)
ZONES = sorted(zoneinfo.available_timezones() - set(ICALENDAR_UTC))
CHINESE = Wording(
    months=tuple(f"{n}月" for n in range(1, 13)),
    month="%(year)s年%(month)s",
    year="%(year)s年",
    month_marker="（%(date)s；日期不详）",
    approximate_marker="（日期为约数）",
    source="来源：%(source)s",
    separator="，",
)
# Text that exercises escaping (§3.3.11), folding (§3.1: multi-octet characters, a
# backslash or caret at the fold) and cleaning (control characters, CR).
ALPHABET = st.sampled_from(
    list("aZ09 ,;:\\^\"'\n\r\t\x00\x7f\u2028é中文日本語한국어🚀👩‍🔬N/.-_=")
) | st.characters(codec="utf-8")
TEXT = st.text(ALPHABET, max_size=200)
SHORT = st.text(ALPHABET, max_size=30)
LANGUAGES = st.none() | st.sampled_from(["en", "zh", "zh-Hans", "zh-Hant-TW", "de-CH"]) | SHORT
MOMENTS = st.datetimes(
    min_value=dt.datetime(100, 1, 2),
    max_value=dt.datetime(9997, 12, 30),
    timezones=st.sampled_from([dt.UTC, *map(zoneinfo.ZoneInfo, ZONES)]),
    allow_imaginary=False,
)
DAYS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9997, 12, 30))
RULES = st.sampled_from(
    [
        "FREQ=WEEKLY;COUNT=4",
        "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20300101",
        "FREQ=YEARLY",
        "FREQ=DAILY;INTERVAL=2",
    ]
)
TIMEZONES = st.none() | st.sampled_from(["UTC", "Etc/UTC", *ZONES])


@st.composite
def events(draw: st.DrawFn) -> Entry:
    """A random Entry: all-day (day, month or year precision) or timed in any zone,
    with or without end, every optional text, any status, and recurring (RRULE, RDATE
    with periods when timed, EXDATE) or an overridden instance (RECURRENCE-ID)."""
    all_day = draw(st.booleans())
    if all_day:
        start: Any = draw(DAYS)
        end: Any = draw(st.none() | DAYS)
        precision = draw(st.sampled_from(["day", "month", "year"]))
        moments: Any = DAYS
        rdates: Any = DAYS
    else:
        start = draw(MOMENTS)
        end = draw(st.none() | MOMENTS)
        precision = "datetime"
        moments = MOMENTS
        rdates = MOMENTS | st.tuples(MOMENTS, MOMENTS | st.timedeltas(dt.timedelta(0)))
    created = draw(MOMENTS)
    return entry(
        draw(SHORT.filter(str.strip)),
        uid=draw(st.sampled_from(["", "event-x@example.org", "C:\\New;a,b"]) | SHORT),
        title=draw(TEXT),
        start=start,
        end=end,
        all_day=all_day,
        timezone=draw(TIMEZONES),
        precision=precision,
        approximate=draw(st.booleans()),
        description=draw(TEXT),
        location=draw(st.none() | SHORT),
        url=draw(st.none() | st.just("https://example.org/a?b=1;c=2,3") | SHORT),
        tags=tuple(draw(st.lists(SHORT, max_size=4))),
        organizations=tuple(draw(st.lists(SHORT, max_size=3))),
        source_name=draw(st.none() | SHORT),
        source_published=draw(st.none() | st.sampled_from(["2025", "2025-01", "2025-01-03"])),
        source_locator=draw(st.none() | SHORT),
        language=draw(LANGUAGES),
        description_language=draw(LANGUAGES),
        sequence=draw(st.integers(0, 2**31 - 1)),
        created=created,
        updated=draw(MOMENTS),
        wording=draw(st.sampled_from([ENGLISH, CHINESE])),
        status=draw(st.sampled_from(["confirmed", "tentative", "cancelled"])),
        rrule=draw(st.none() | RULES),
        rdate=tuple(draw(st.lists(rdates, max_size=3))),
        exdate=tuple(draw(st.lists(moments, max_size=3))),
        recurrence_id=draw(st.none() | moments),
    )


def _properties(vevent: bytes) -> tuple[str | None, list[tuple[str, dict[str, str], Any]]]:
    """A VEVENT as icalendar parses it: the component's name, then each property's name,
    parameters and decoded value, in order."""
    component = icalendar.Event.from_ical(vevent)
    assert not component.subcomponents and not component.errors
    found = []
    for name, value in component.property_items(recursive=False, sorted=False):
        if name not in ("BEGIN", "END"):
            params: Any = getattr(value, "params", {})
            found.append((name, dict(params), component.decoded(name)))
    return component.name, found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
@example(entry("x", title="a" * 73 + "\\;b", start=dt.date(2025, 1, 1), end=None, all_day=True))
def test_direct_text_is_what_icalendar_renders(event: Entry) -> None:
    try:
        expected = reference_vevent(event)
    except (ValueError, OverflowError) as error:
        with pytest.raises(type(error)):
            render_vevent(event)
        return
    ours = render_vevent(event)
    assert _properties(ours) == _properties(expected)
    assert ours == expected


@pytest.mark.parametrize("name", ["Atlantic/Reykjavik", "Africa/Abidjan"])
def test_zones_icalendar_takes_for_utc_keep_their_tzid(name: str) -> None:
    """Both kept local mean time in 1900 (Reykjavik UTC-1:28, Abidjan UTC-0:16:08), so
    1900-07-01 12:00 there is not 12:00 UTC. icalendar would write
    ``DTSTART:19000701T120000Z``; ours names the zone and its VTIMEZONE the offset."""
    tz = zoneinfo.ZoneInfo(name)
    start = dt.datetime(1900, 7, 1, 12, 0, tzinfo=tz)
    event = entry("old", title="Old", start=start, end=None, all_day=False, timezone=name)
    assert vevent_tzid(event) == name
    vevent = render_vevent(event)
    assert f"DTSTART;TZID={name}:19000701T120000\r\n".encode() in vevent
    calendar = b"".join(
        iter_ical(
            channel("https://example.org/calendar.ics"),
            [vevent],
            [name],
            span=(dt.date(1900, 1, 1), dt.date(1901, 1, 1)),
        )
    )
    parsed = icalendar.Calendar.from_ical(calendar).walk("VEVENT")[0]
    assert parsed.decoded("DTSTART").astimezone(dt.UTC) == start.astimezone(dt.UTC)
    assert start.utcoffset() != dt.timedelta(0)


def test_fold_never_splits_a_character_or_an_escape() -> None:
    line = "SUMMARY:" + "中" * 30 + "\\,x" + "🚀" * 20
    folded = fold(line).encode()
    pieces = folded.split(b"\r\n ")
    assert all(len(piece) <= 74 for piece in pieces)
    assert [piece.decode() for piece in pieces]  # each piece is whole UTF-8
    assert b"".join(pieces).decode() == line
    assert not any(piece.endswith((b"\\", b"^")) for piece in pieces[:-1])
