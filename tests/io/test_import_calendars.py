"""``timeline import`` of other programs' calendars: events without UID, zones defined
by the file's own VTIMEZONE or named the Windows way, Google's X-WR-TIMEZONE."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.io.test_import import content, run

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
        (  # not a zone: ignored, so the floating time is refused as before
            "Mars/Olympus",
            [
                "rejected floating@google.com: /start: a date-time needs a UTC offset",
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
