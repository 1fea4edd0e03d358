"""``timeline import`` of other programs' calendars: events without UID, zones defined
by the file's own VTIMEZONE or named the Windows way, Google's X-WR-TIMEZONE."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.io.test_import import calendar, content, run

NO_UID = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "DTSTAMP:20250101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20250217T093000",
        "DTEND;TZID=Europe/Berlin:20250217T110000",
        "SUMMARY:Planning meeting",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTAMP:20250101T000000Z",
        "DTSTART;VALUE=DATE:20250303",
        "SUMMARY:Carnival",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def test_events_without_uid_get_ids_from_their_content(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "no-uid.ics"
    path.write_text(NO_UID, encoding="utf-8")
    ids = ["2025-02-17-planning-meeting-2130080c", "2025-03-03-carnival-5fdf888f"]
    first = run(app, "import", str(path))
    assert (first.exit_code, first.output.splitlines()) == (
        0,
        [f"added {ids[0]}", f"added {ids[1]}", "added 2, updated 0, unchanged 0, rejected 0"],
    )
    again = run(app, "import", str(path))
    assert again.output.splitlines() == [
        f"unchanged {ids[0]}",
        f"unchanged {ids[1]}",
        "added 0, updated 0, unchanged 2, rejected 0",
    ]
    event = content(app.test_client(), ids[0])
    assert (event["start"], event["end"], event["timezone"]) == (
        "2025-02-17T09:30:00+01:00",
        "2025-02-17T11:00:00+01:00",
        "Europe/Berlin",
    )
    assert content(app.test_client(), ids[1])["start"] == "2025-03-03"
    # The documented key: SHA-256 of the DTSTART, DTEND (or DURATION) and SUMMARY lines.
    key = "DTSTART;VALUE=DATE:20250303\r\nSUMMARY:Carnival"
    assert ids[1].endswith(hashlib.sha256(key.encode()).hexdigest()[:8])


def test_a_moved_event_without_uid_is_another_event(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "moved.ics"
    path.write_text(NO_UID.replace("20250303", "20250304"), encoding="utf-8")
    result = run(app, "import", str(path))
    assert result.output.splitlines()[1] == "added 2025-03-04-carnival-680e1204"


GOOGLE_FLOATING = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "X-WR-CALNAME:Team",
        "X-WR-TIMEZONE:Europe/Berlin",
        "BEGIN:VEVENT",
        "DTSTART:20250301T100000",
        "DTEND:20250301T113000",
        "DTSTAMP:20250101T000000Z",
        "UID:floating@google.com",
        "SUMMARY:Floating in Berlin",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART:20250302T090000Z",
        "DTSTAMP:20250101T000000Z",
        "UID:utc@google.com",
        "SUMMARY:UTC in Berlin",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;VALUE=DATE:20250303",
        "DTSTAMP:20250101T000000Z",
        "UID:day@google.com",
        "SUMMARY:A day stays a day",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (
            "Europe/Berlin",
            [
                ("2025-03-01T10:00:00+01:00", "2025-03-01T11:30:00+01:00", "Europe/Berlin"),
                ("2025-03-02T10:00:00+01:00", None, "Europe/Berlin"),
                ("2025-03-03", "2025-03-03", None),
            ],
        ),
        (  # not a zone: ignored, so the floating time is read in IMPORT_TIMEZONE
            "Mars/Olympus",
            [
                "repaired floating@google.com: floating times read in UTC (IMPORT_TIMEZONE)",
                ("2025-03-01T10:00:00Z", "2025-03-01T11:30:00Z", None),
                ("2025-03-02T09:00:00Z", None, None),
                ("2025-03-03", "2025-03-03", None),
            ],
        ),
    ],
)
def test_x_wr_timezone_gives_floating_and_utc_times_its_zone(
    app: Flask, tmp_path: Path, zone: str, expected: list[Any]
) -> None:
    path = tmp_path / "google.ics"
    path.write_text(GOOGLE_FLOATING.replace("Europe/Berlin", zone), encoding="utf-8")
    result = run(app, "import", str(path))
    lines = result.output.splitlines()
    for line, want in zip(lines, expected, strict=False):
        if isinstance(want, str):
            assert line.startswith(want)
            continue
        event = content(app.test_client(), line.removeprefix("added "))
        assert (event["start"], event["end"], event["timezone"]) == want


def zone(tzid: str, rules: str, extra: str = "") -> str:
    """A VTIMEZONE (lines joined by ``|``) with ``rules``: ``berlin``, ``new_york``,
    ``los_angeles`` or a fixed offset such as ``+0530``."""
    if rules.startswith(("+", "-")):
        parts = [
            f"BEGIN:STANDARD|DTSTART:19700101T000000|TZOFFSETFROM:{rules}|"
            f"TZOFFSETTO:{rules}|END:STANDARD"
        ]
    else:
        winter, summer, months = {
            "berlin": ("+0100", "+0200", ("3;BYDAY=-1SU", "10;BYDAY=-1SU")),
            "new_york": ("-0500", "-0400", ("3;BYDAY=2SU", "11;BYDAY=1SU")),
            "los_angeles": ("-0800", "-0700", ("3;BYDAY=2SU", "11;BYDAY=1SU")),
        }[rules]
        parts = [
            f"BEGIN:DAYLIGHT|DTSTART:19700308T020000|RRULE:FREQ=YEARLY;BYMONTH={months[0]}|"
            f"TZOFFSETFROM:{winter}|TZOFFSETTO:{summer}|END:DAYLIGHT",
            f"BEGIN:STANDARD|DTSTART:19701101T020000|RRULE:FREQ=YEARLY;BYMONTH={months[1]}|"
            f"TZOFFSETFROM:{summer}|TZOFFSETTO:{winter}|END:STANDARD",
        ]
    return "|".join(
        [f"BEGIN:VTIMEZONE|TZID:{tzid}", *filter(None, [extra]), *parts, "END:VTIMEZONE"]
    )


@pytest.mark.parametrize(
    ("tzid", "zones", "day", "expected"),
    [
        (  # a quoted TZID, defined by the file only: the instant, in UTC
            '"Western/Central Europe"',
            zone('"Western/Central Europe"', "berlin"),
            "20250217T093000",
            ("2025-02-17T08:30:00Z", None),
        ),
        (
            '"Western/Central Europe"',
            zone('"Western/Central Europe"', "berlin"),
            "20250717T093000",
            ("2025-07-17T07:30:00Z", None),
        ),
        (  # an IANA name within the TZID, with the same offsets: that zone
            "custom_America/New_York",
            zone("custom_America/New_York", "new_york"),
            "20250217T093000",
            ("2025-02-17T09:30:00-05:00", "America/New_York"),
        ),
        (
            "custom_America/New_York",
            zone("custom_America/New_York", "new_york"),
            "20250717T093000",
            ("2025-07-17T09:30:00-04:00", "America/New_York"),
        ),
        (  # the name says New York, the definition says otherwise: the definition wins
            "custom_America/New_York",
            zone("custom_America/New_York", "+0100"),
            "20250717T093000",
            ("2025-07-17T08:30:00Z", None),
        ),
        (  # Evolution and Google name the zone in X-LIC-LOCATION
            "Pacific Time (US & Canada)",
            zone("Pacific Time (US & Canada)", "los_angeles", "X-LIC-LOCATION:America/Los_Angeles"),
            "20250217T093000",
            ("2025-02-17T09:30:00-08:00", "America/Los_Angeles"),
        ),
        (  # a globally unique TZID (RFC 5545 §3.2.19) without VTIMEZONE
            "/example.org/tzone/Europe/Paris",
            "",
            "20250217T093000",
            ("2025-02-17T09:30:00+01:00", "Europe/Paris"),
        ),
        ("Tokyo Standard Time", "", "20250217T093000", ("2025-02-17T09:30:00+09:00", "Asia/Tokyo")),
        (
            "China Standard Time",
            "",
            "20250217T093000",
            ("2025-02-17T09:30:00+08:00", "Asia/Shanghai"),
        ),
        (  # a Windows name wins over a VTIMEZONE of that name (Outlook writes both)
            "W. Europe Standard Time",
            zone("W. Europe Standard Time", "berlin"),
            "20250717T093000",
            ("2025-07-17T09:30:00+02:00", "Europe/Berlin"),
        ),
    ],
)
def test_zones_defined_by_the_file_or_named_the_windows_way(
    app: Flask, tmp_path: Path, tzid: str, zones: str, day: str, expected: tuple[str, str | None]
) -> None:
    path = tmp_path / "zones.ics"
    path.write_text(calendar(f"UID:z|SUMMARY:Z|DTSTART;TZID={tzid}:{day}", zones))
    result = run(app, "import", str(path))
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "added z-594e519a")
    event = content(app.test_client(), "z-594e519a")
    assert (event["start"], event["timezone"]) == expected


def test_a_zone_is_defined_by_its_own_file_only(app: Flask, tmp_path: Path) -> None:
    """icalendar remembers a VTIMEZONE process-wide; a file that uses a TZID it does not
    define has it read in IMPORT_TIMEZONE (said in the report) even after another file
    defined that TZID."""
    defines = tmp_path / "defines.ics"
    defines.write_text(
        calendar(
            "UID:a|SUMMARY:A|DTSTART;TZID=Office time:20250217T093000", zone("Office time", "+0530")
        )
    )
    assert run(app, "import", str(defines)).output.splitlines()[0] == "added a-ca978112"
    assert content(app.test_client(), "a-ca978112")["start"] == "2025-02-17T04:00:00Z"
    uses = tmp_path / "uses.ics"
    uses.write_text(calendar("UID:b|SUMMARY:B|DTSTART;TZID=Office time:20250217T093000"))
    assert run(app, "import", str(uses)).output.splitlines()[:2] == [
        "repaired b: TZID 'Office time' names no known zone: its times read in UTC "
        "(IMPORT_TIMEZONE)",
        "added b-3e23e816",
    ]
    assert content(app.test_client(), "b-3e23e816")["start"] == "2025-02-17T09:30:00Z"
