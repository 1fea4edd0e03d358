"""VTIMEZONEs as Outlook desktop reads them: yearly RRULEs, no RDATE lists, and right.

Clients that know IANA names (icalendar, Google, Apple) look the TZID up and never read
the VTIMEZONE; Outlook reads only the VTIMEZONE. So each test renames the zone to a name
no library knows, which makes icalendar and recurring_ical_events resolve times from our
VTIMEZONE alone, as Outlook does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo

import icalendar
import pytest
import recurring_ical_events

from feeds.vtimezone import render_vtimezone
from tests.conftest import ApiClient

_counter = itertools.count()


def _unknown_name(tzid: str) -> str:
    """A TZID that no time zone database has, unique so that icalendar's cache of zones
    made from VTIMEZONEs never hands back another test's."""
    return f"Not IANA {tzid} {next(_counter)} {uuid.uuid4().hex[:8]}"


def _own_zone(vtimezone: bytes, tzid: str) -> dt.tzinfo:
    text = vtimezone.decode().replace(f"TZID:{tzid}", f"TZID:{_unknown_name(tzid)}")
    component = icalendar.Timezone.from_ical(text)
    assert isinstance(component, icalendar.Timezone)
    zone: dt.tzinfo = component.to_tz(lookup_tzid=False)
    return zone


def _rules(component: icalendar.Timezone) -> list[tuple[str, dict[str, list[object]]]]:
    rules = []
    for part in component.subcomponents:
        if "RRULE" in part:
            rule = part["RRULE"]
            assert isinstance(rule, icalendar.vRecur)
            rules.append((str(part.name), {k: list(v) for k, v in rule.items()}))
    return rules


def test_berlin_2025_is_one_standard_and_one_daylight_with_yearly_rules(api: ApiClient) -> None:
    for start in ("2025-07-01T12:00:00", "2025-01-15T12:00:00"):
        api.created({"title": f"Meeting {start[:10]}", "start": start, "timezone": "Europe/Berlin"})
    body = api.client.get("/calendar.ics").data
    assert b"RDATE" not in body
    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert isinstance(vtimezone, icalendar.Timezone)
    assert str(vtimezone["TZID"]) == "Europe/Berlin"
    assert [part.name for part in vtimezone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    assert _rules(vtimezone) == [
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYDAY": ["-1SU"], "BYMONTH": [3]}),
        ("STANDARD", {"FREQ": ["YEARLY"], "BYDAY": ["-1SU"], "BYMONTH": [10]}),
    ]
    daylight, standard = vtimezone.subcomponents
    assert isinstance(daylight, icalendar.TimezoneDaylight)
    assert isinstance(standard, icalendar.TimezoneStandard)
    # DTSTART is the wall time before the change, in TZOFFSETFROM (RFC 5545 §3.6.5).
    assert (daylight.DTSTART.time(), daylight.TZOFFSETFROM, daylight.TZOFFSETTO) == (
        dt.time(2),
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    )
    assert (standard.DTSTART.time(), standard.TZOFFSETFROM, standard.TZOFFSETTO) == (
        dt.time(3),
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    )
    # B05: the VTIMEZONE comes before the first VEVENT.
    assert body.index(b"BEGIN:VTIMEZONE") < body.index(b"BEGIN:VEVENT")

    renamed = body.decode().replace("Europe/Berlin", _unknown_name("Europe/Berlin"))
    calendar = icalendar.Calendar.from_ical(renamed)
    instants = sorted(
        event.decoded("DTSTART").astimezone(dt.UTC)
        for event in recurring_ical_events.of(calendar).between(
            dt.date(2025, 1, 1), dt.date(2026, 1, 1)
        )
    )
    assert instants == [
        dt.datetime(2025, 1, 15, 11, tzinfo=dt.UTC),
        dt.datetime(2025, 7, 1, 10, tzinfo=dt.UTC),
    ]
    for event in calendar.walk("VEVENT"):
        assert "zoneinfo" not in type(event.decoded("DTSTART").tzinfo).__module__


def _changes(tz: zoneinfo.ZoneInfo, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """The UTC instants (to the minute) at which ``tz`` changes offset in the span."""
    found = []
    instant = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    end = dt.datetime(last.year, last.month, last.day, tzinfo=dt.UTC)
    step = dt.timedelta(hours=6)
    while instant < end:
        later = instant + step
        if instant.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            minute = instant
            while minute.astimezone(tz).utcoffset() == instant.astimezone(tz).utcoffset():
                minute += dt.timedelta(minutes=1)
            found.append(minute)
        instant = later
    return found


@pytest.mark.parametrize(
    ("tzid", "first", "last"),
    [
        ("Europe/Berlin", dt.date(2024, 1, 1), dt.date(2027, 1, 1)),
        ("America/New_York", dt.date(2005, 1, 1), dt.date(2009, 1, 1)),  # rule changed 2007
        ("Australia/Sydney", dt.date(2024, 1, 1), dt.date(2027, 1, 1)),  # southern summer
        ("Europe/Dublin", dt.date(2024, 1, 1), dt.date(2027, 1, 1)),  # negative DST
        ("America/Sao_Paulo", dt.date(2017, 1, 1), dt.date(2021, 1, 1)),  # DST ended 2019
        ("Asia/Tehran", dt.date(2020, 1, 1), dt.date(2024, 1, 1)),  # fixed dates, ended
        ("Pacific/Chatham", dt.date(2024, 1, 1), dt.date(2026, 1, 1)),  # +12:45 / +13:45
        ("Asia/Tokyo", dt.date(2024, 1, 1), dt.date(2027, 1, 1)),  # no changes
    ],
)
def test_the_vtimezone_alone_gives_zoneinfo_offsets(
    tzid: str, first: dt.date, last: dt.date
) -> None:
    vtimezone = render_vtimezone(tzid, first, last)
    assert b"RDATE" not in vtimezone
    component = icalendar.Timezone.from_ical(vtimezone)
    assert isinstance(component, icalendar.Timezone)
    assert {part.name for part in component.subcomponents} <= {"STANDARD", "DAYLIGHT"}
    assert "STANDARD" in {part.name for part in component.subcomponents}
    for _name, rule in _rules(component):
        assert rule["FREQ"] == ["YEARLY"] and len(rule["BYMONTH"]) == len(rule["BYDAY"]) == 1
    ours = _own_zone(vtimezone, tzid)
    real = zoneinfo.ZoneInfo(tzid)
    changes = _changes(real, first, last)
    around = [c + delta for c in changes for delta in (-dt.timedelta(minutes=1), dt.timedelta())]
    days = (last - first).days
    noons = [
        dt.datetime(first.year, first.month, first.day, 12, tzinfo=dt.UTC) + dt.timedelta(days=n)
        for n in range(days)
    ]
    for instant in around + noons:
        assert instant.astimezone(ours).utcoffset() == instant.astimezone(real).utcoffset(), instant


def test_years_with_the_same_rule_need_no_more_observances() -> None:
    one = render_vtimezone("Europe/Berlin", dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    # The EU's rule holds from 1996 (summer time until the last Sunday of October); the
    # search begins a year before the span, so the span begins in 1997.
    many = render_vtimezone("Europe/Berlin", dt.date(1997, 1, 1), dt.date(2038, 1, 1))
    assert one.count(b"BEGIN:STANDARD") == many.count(b"BEGIN:STANDARD") == 1
    assert one.count(b"BEGIN:DAYLIGHT") == many.count(b"BEGIN:DAYLIGHT") == 1


def test_a_timed_event_in_the_last_year_carried_is_published(api: ApiClient) -> None:
    """An event of 2199, the last year every output carries, has its VTIMEZONE."""
    api.created(
        {
            "title": "Far future",
            "start": "2199-06-01T12:00:00",
            "end": "2199-06-01T13:00:00",
            "timezone": "Europe/Berlin",
        }
    )
    response = api.client.get("/calendar.ics")
    assert response.status_code == 200
    body = response.data
    renamed = body.decode().replace("Europe/Berlin", _unknown_name("Europe/Berlin"))
    (event,) = icalendar.Calendar.from_ical(renamed).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2199, 6, 1, 10, tzinfo=dt.UTC)
