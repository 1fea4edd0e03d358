"""Tests of the iCalendar renderer: feeds.ical, parsed back with icalendar and vobject."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from feeds import Entry, iter_ical, render_ical, render_vevent, vevent_tzid
from feeds.times import zone
from tests.feeds.fixtures import channel, entry

UTC = dt.UTC
GOLDEN = Path(__file__).parent / "golden"
MADRID = ZoneInfo("Europe/Madrid")
CHANNEL = channel("https://example.org/calendar.ics")
BASE = entry(
    "choir",
    title="Choir rehearsal",
    start=dt.datetime(2025, 8, 20, 16, 0, tzinfo=MADRID),
    end=dt.datetime(2025, 8, 20, 18, 0, tzinfo=MADRID),
    all_day=False,
    timezone="Europe/Madrid",
)


def make(**fields: Any) -> Entry:
    """Return BASE with ``fields`` replaced; a new ``id`` also renames uid, guid and link."""
    slug = fields.get("id", BASE.id)
    defaults = {
        "uid": f"event-{slug}@example.org",
        "guid": f"tag:example.org,2025:event-{slug}",
        "link": f"https://example.org/events/{slug}",
    }
    return dataclasses.replace(BASE, **{**defaults, **fields})


def month_event() -> Entry:
    return make(
        id="ai-plan",
        title="Microsoft plans USD 80 billion for AI data centres",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 2, 1),
        all_day=True,
        timezone=None,
        precision="month",
        description="Spending in fiscal 2025.",
        url="https://news.example.com/ai",
        source_name="Example News",
        source_published="2025-01-03",
        source_locator="p. 4",
        tags=("technology", "business"),
        location="Redmond, WA",
    )


def lines_of(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def assert_wire_format(ics: bytes) -> None:
    """Every line is CRLF-terminated, at most 75 octets, and whole UTF-8 (RFC 5545 §3.1)."""
    assert ics.endswith(b"\r\n")
    assert not re.search(rb"(?<!\r)\n|\r(?!\n)", ics)
    for raw in ics.split(b"\r\n")[:-1]:
        assert len(raw) <= 75, raw
        raw.decode("utf-8")


def test_vevent_timed_in_its_zone() -> None:
    vevent = render_vevent(make(sequence=3, location="Sala 2; planta 1"))
    assert vevent.startswith(b"BEGIN:VEVENT\r\n")
    assert vevent.endswith(b"END:VEVENT\r\n")
    assert lines_of(vevent)[:-1] == [
        "BEGIN:VEVENT",
        "UID:event-choir@example.org",
        "DTSTAMP:20250802T093000Z",
        "DTSTART;TZID=Europe/Madrid:20250820T160000",
        "DTEND;TZID=Europe/Madrid:20250820T180000",
        "SUMMARY:Choir rehearsal",
        "LOCATION:Sala 2\\; planta 1",
        "URL:https://example.org/events/choir",
        "CREATED:20250801T090000Z",
        "LAST-MODIFIED:20250802T093000Z",
        "SEQUENCE:3",
        "X-TIMELINE-PRECISION:day",
        "END:VEVENT",
    ]
    assert vevent_tzid(make()) == "Europe/Madrid"


def test_vevent_without_zone_or_end_is_utc() -> None:
    instant = make(timezone=None, end=None)
    lines = lines_of(render_vevent(instant))
    assert "DTSTART:20250820T140000Z" in lines
    assert not [line for line in lines if line.startswith("DTEND")]
    assert vevent_tzid(instant) is None
    assert vevent_tzid(make(timezone="Etc/UTC")) is None


def test_month_precision_event() -> None:
    lines = lines_of(render_vevent(month_event()))
    assert "DTSTART;VALUE=DATE:20250101" in lines
    assert "DTEND;VALUE=DATE:20250201" in lines
    assert (
        "SUMMARY:Microsoft plans USD 80 billion for AI data centres"
        " (January 2025\\; day not reported)"
    ) in lines
    assert "X-TIMELINE-PRECISION:month" in lines
    assert "TRANSP:TRANSPARENT" in lines
    assert not [line for line in lines if line.startswith("X-TIMELINE-APPROXIMATE")]
    assert "URL:https://news.example.com/ai" in lines
    assert "CATEGORIES:technology,business" in lines
    assert "LOCATION:Redmond\\, WA" in lines
    event = icalendar.Calendar.from_ical(render_ical(CHANNEL, [month_event()])).walk("VEVENT")[0]
    assert event["DESCRIPTION"] == (
        "Date known to the month only: January 2025.\n\n"
        "Spending in fiscal 2025.\n\n"
        "Source: Example News, published 2025-01-03, p. 4\n"
        "https://news.example.com/ai"
    )


def test_x_properties_keep_what_summary_and_description_cannot() -> None:
    entry = make(
        timezone="Etc/UTC",
        precision="datetime",
        organizations=("Example, Inc.", "Back\\slash; Ltd"),
        source_name='Wire; "News"',
        source_locator="",
    )
    lines = lines_of(render_vevent(entry))
    assert lines[-7:] == [
        "X-TIMELINE-PRECISION:datetime",
        "X-TIMELINE-TIMEZONE:Etc/UTC",
        "X-TIMELINE-ORGANIZATIONS:Example\\, Inc.,Back\\\\slash\\; Ltd",
        'X-TIMELINE-SOURCE-NAME:Wire\\; "News"',
        "X-TIMELINE-SOURCE-LOCATOR:",
        "END:VEVENT",
        "",
    ]
    all_day = lines_of(render_vevent(make(all_day=True, start=dt.date(2025, 8, 20), end=None)))
    assert "X-TIMELINE-TIMEZONE:Europe/Madrid" in all_day
    assert not [line for line in lines_of(render_vevent(make())) if "-TIMEZONE" in line]


def test_approximate_year_event() -> None:
    entry = make(
        id="founding",
        title="Founding",
        start=dt.date(1998, 1, 1),
        end=dt.date(1999, 1, 1),
        all_day=True,
        precision="year",
        approximate=True,
    )
    lines = lines_of(render_vevent(entry))
    assert "SUMMARY:Founding (around 1998\\; date not reported)" in lines
    assert "X-TIMELINE-PRECISION:year" in lines
    assert "X-TIMELINE-APPROXIMATE:TRUE" in lines
    assert "DESCRIPTION:Approximate date\\, known to the year only: 1998." in lines


def test_long_chinese_and_emoji_title_folds_on_character_boundaries() -> None:
    title = "香港國際電影節開幕 🎬🎉 " * 12
    ics = render_ical(CHANNEL, [make(title=title, description="描述🙂" * 40)])
    assert_wire_format(ics)
    assert len(ics.split(b"\r\n ")) > 5
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["SUMMARY"] == title
    assert vobject.readOne(ics.decode()).vevent.summary.value == title


def test_line_breaks_cannot_inject_components() -> None:
    evil = "Evil\r\nBEGIN:VEVENT\r\nUID:injected"
    ics = render_ical(CHANNEL, [make(title=evil, description=evil, location=evil)])
    assert_wire_format(ics)
    raw_lines = ics.decode().split("\r\n")
    assert raw_lines.count("BEGIN:VEVENT") == 1
    assert not [line for line in raw_lines if line.startswith("UID:injected")]
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Evil BEGIN:VEVENT UID:injected"
    assert event["DESCRIPTION"] == "Evil\nBEGIN:VEVENT\nUID:injected"


def test_calendar_header() -> None:
    channel = dataclasses.replace(CHANNEL, refresh_interval=1800, description="Ciudad, eventos")
    lines = lines_of(render_ical(channel, []))
    assert lines == [
        "BEGIN:VCALENDAR",
        "PRODID:-//timeline//timeline 0.1//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "NAME:Example timeline",
        "X-WR-CALNAME:Example timeline",
        "DESCRIPTION:Ciudad\\, eventos",
        "X-WR-CALDESC:Ciudad\\, eventos",
        "URL:https://example.org/",
        "SOURCE;VALUE=URI:https://example.org/calendar.ics",
        "REFRESH-INTERVAL;VALUE=DURATION:PT30M",
        "X-PUBLISHED-TTL:PT30M",
        "END:VCALENDAR",
        "",
    ]
    calendar = vobject.readOne(render_ical(channel, []).decode())
    assert calendar.contents["x-wr-caldesc"][0].value == "Ciudad, eventos"


def test_calendar_is_header_plus_cached_parts() -> None:
    entries = [make(), month_event(), make(id="ny", timezone="America/New_York")]
    ics = render_ical(CHANNEL, entries)
    parts = [render_vevent(entry) for entry in entries]
    joined = b"".join(parts)
    assert joined in ics
    assert ics.endswith(joined + b"END:VCALENDAR\r\n")
    header = ics[: ics.index(joined)]
    assert re.findall(rb"\r\nTZID:([^\r]+)", header) == [b"America/New_York", b"Europe/Madrid"]
    assert_wire_format(ics)


def test_iter_ical_streams_parts_lazily() -> None:
    consumed: list[int] = []

    def parts() -> Iterator[bytes]:
        for number in range(3):
            consumed.append(number)
            yield render_vevent(make(id=f"e{number}"))

    stream = iter_ical(CHANNEL, parts(), ["Europe/Madrid", "UTC", "Europe/Madrid"])
    header = next(stream)
    assert consumed == []
    assert header.count(b"BEGIN:VTIMEZONE") == 1
    assert b"COMMENT:This timezone only works from 1970-01-01 to 2038-01-01." in header
    assert next(stream).startswith(b"BEGIN:VEVENT")
    assert consumed == [0]
    rest = b"".join(stream)
    assert rest.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    narrow = b"".join(
        iter_ical(CHANNEL, [], ["Europe/Madrid"], span=(dt.date(2025, 1, 1), dt.date(2026, 1, 1)))
    )
    assert narrow.count(b"BEGIN:DAYLIGHT") == 1


def test_vtimezone_resolves_wall_times_across_dst() -> None:
    winter = make(id="winter", start=dt.datetime(2025, 1, 15, 10, tzinfo=MADRID), end=None)
    summer = make(id="summer", start=dt.datetime(2025, 7, 15, 10, tzinfo=MADRID), end=None)
    ics = render_ical(CHANNEL, [winter, summer])
    calendar = vobject.readOne(ics.decode())
    starts = sorted(event.dtstart.value.astimezone(UTC) for event in calendar.vevent_list)
    assert starts == [
        dt.datetime(2025, 1, 15, 9, tzinfo=UTC),
        dt.datetime(2025, 7, 15, 8, tzinfo=UTC),
    ]


def test_date_range_query_returns_the_right_events() -> None:
    entries = [
        month_event(),
        make(id="feb", start=dt.datetime(2025, 2, 10, 9, tzinfo=MADRID), end=None),
        make(
            id="fair",
            start=dt.date(2025, 2, 17),
            end=dt.date(2025, 2, 20),
            all_day=True,
            timezone=None,
        ),
        make(),
    ]
    calendar = icalendar.Calendar.from_ical(render_ical(CHANNEL, entries))

    def between(start: dt.date, end: dt.date) -> list[str]:
        found = recurring_ical_events.of(calendar).between(start, end)
        return sorted(str(event["UID"]) for event in found)

    assert between(dt.date(2025, 1, 20), dt.date(2025, 1, 21)) == ["event-ai-plan@example.org"]
    assert between(dt.date(2025, 2, 1), dt.date(2025, 2, 18)) == [
        "event-fair@example.org",
        "event-feb@example.org",
    ]
    assert between(dt.date(2025, 2, 20), dt.date(2025, 8, 1)) == []
    assert between(dt.date(2025, 8, 20), dt.date(2025, 8, 21)) == ["event-choir@example.org"]


@pytest.mark.parametrize(
    "entry",
    [
        make(timezone="Mars/Olympus_Mons"),
        make(start=dt.datetime(2025, 8, 20, 16, 0)),
        make(start=dt.date(2025, 8, 20)),
        make(all_day=True),
    ],
    ids=["unknown-zone", "naive", "date-for-timed", "datetime-for-all-day"],
)
def test_inconsistent_entries_raise_value_error(entry: Entry) -> None:
    with pytest.raises(ValueError):
        render_vevent(entry)


def test_rendering_is_deterministic() -> None:
    entries = [make(), month_event(), make(id="ny", timezone="America/New_York")]
    assert render_ical(CHANNEL, entries) == render_ical(CHANNEL, list(entries))
    assert render_vevent(make()) == render_vevent(make())


def test_golden_calendar() -> None:
    entries = [make(tags=("community, outdoor", "music")), month_event()]
    assert render_ical(CHANNEL, entries) == (GOLDEN / "feeds_calendar.ics").read_bytes()


def test_the_second_of_a_repeated_wall_time_is_written_in_utc() -> None:
    """01:30 happens twice in New York on 2025-11-02; RFC 5545 §3.3.5 reads a TZID time as
    the first, so the second goes in UTC (with the zone kept in X-TIMELINE-TIMEZONE)."""
    zone = ZoneInfo("America/New_York")
    first = dt.datetime(2025, 11, 2, 5, 30, tzinfo=dt.UTC)  # 01:30 EDT
    second = dt.datetime(2025, 11, 2, 6, 30, tzinfo=dt.UTC)  # 01:30 EST
    lines = {
        name: render_vevent(
            make(all_day=False, start=start, end=None, timezone=zone.key, precision="datetime")
        ).split(b"\r\n")
        for name, start in (("first", first), ("second", second))
    }
    assert b"DTSTART;TZID=America/New_York:20251102T013000" in lines["first"]
    assert not any(line.startswith(b"X-TIMELINE-TIMEZONE") for line in lines["first"])
    assert b"DTSTART:20251102T063000Z" in lines["second"]
    assert b"X-TIMELINE-TIMEZONE:America/New_York" in lines["second"]
    for name, instant in (("first", first), ("second", second)):
        [vevent] = icalendar.Calendar.from_ical(
            b"BEGIN:VCALENDAR\r\n" + b"\r\n".join(lines[name]) + b"END:VCALENDAR\r\n"
        ).walk("VEVENT")
        assert vevent.decoded("DTSTART").astimezone(dt.UTC) == instant  # PEP 495: not ==


@pytest.mark.parametrize("name", ["Europe", "Mars/Base", ""])
def test_a_zone_name_zoneinfo_cannot_load_is_a_value_error(name: str) -> None:
    with pytest.raises(ValueError, match=f"unknown time zone {name!r}"):
        zone(name)
