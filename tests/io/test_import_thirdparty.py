"""``timeline import`` of a sample of other programs' calendars (hand-written in their
styles under tests/io/static/thirdparty/): what is added, what is refused and why, and
every imported DTSTART against the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from tests.io.test_import import content, run

THIRDPARTY = Path(__file__).parent / "static" / "thirdparty"
UTC = dt.UTC

#: Per file: each event's report line, and for each added one its DTSTART as written in
#: the file, as an exact UTC instant (timed) or date (all-day), and its stored zone.
SAMPLES: dict[str, list[tuple[str, dt.date | None, str | None]]] = {
    "no-uid.ics": [
        ("added 2025-02-14-board-dinner-46cfc10d", dt.datetime(2025, 2, 14, 18, tzinfo=UTC), None),
        ("added 2025-02-20-offsite-ed24a51f", dt.date(2025, 2, 20), None),
    ],
    "custom-vtimezone.ics": [
        ("added cz-1-d99990fb", dt.datetime(2025, 3, 10, 8, tzinfo=UTC), None),  # +01:00
        ("added cz-2-8757fdec", dt.datetime(2025, 7, 7, 7, tzinfo=UTC), None),  # +02:00
        ("added cz-3-8e0315e6", dt.datetime(2025, 4, 1, 18, tzinfo=UTC), "America/New_York"),
    ],
    "outlook.ics": [
        (
            "added 040000008200e00074c5b7101a82e00800000000a1b2c3d4e5f6a7010000-314caa68",
            dt.datetime(2025, 4, 15, 12, tzinfo=UTC),
            "Europe/Berlin",
        ),
        (
            "added 040000008200e00074c5b7101a82e00800000000b2c3d4e5f6a7b8010000-288ef07e",
            dt.datetime(2025, 4, 16, 1, tzinfo=UTC),
            "Asia/Tokyo",
        ),
        (
            "added 040000008200e00074c5b7101a82e00800000000c3d4e5f6a7b8c9010000-04ee6ac3",
            dt.datetime(2025, 4, 17, 1, 30, tzinfo=UTC),
            "Asia/Shanghai",
        ),
        (
            "added 040000008200e00074c5b7101a82e00800000000d4e5f6a7b8c9da010000-a7d46918",
            dt.date(2025, 4, 21),
            None,
        ),
    ],
    "google-floating.ics": [
        (
            "added 0a1b2c3d4e5f6g7h8i9j-885ee89f",
            dt.datetime(2025, 3, 1, 9, tzinfo=UTC),  # 10:00 floating, in X-WR-TIMEZONE
            "Europe/Berlin",
        ),
        (
            "added 1b2c3d4e5f6g7h8i9j0k-1716f711",
            dt.datetime(2025, 3, 15, 17, tzinfo=UTC),
            "Europe/Berlin",
        ),
        ("added 2c3d4e5f6g7h8i9j0k1l-54c078d8", dt.date(2025, 3, 29), None),
    ],
    "apple.ics": [
        (
            "added 5e0c9a1f-3b7d-4c2e-9f61-8a2b4d6e8c10-346b34e3",
            dt.datetime(2025, 3, 18, 16, 30, tzinfo=UTC),  # PDT since 9 March
            "America/Los_Angeles",
        ),
        ("added 7a2d4f60-1c3e-4b5a-8d7f-9e0a1b2c3d4e-c025537d", dt.date(2025, 3, 24), None),
    ],
    "broken-dtstart.ics": [
        ("added ok-fd69be5b", dt.datetime(2025, 5, 5, 8, tzinfo=UTC), None),
        (
            "rejected broken@example.net: DTSTART: '2025-05-06 08:00' is not a DATE or "
            "DATE-TIME (RFC 5545 §3.3.4, §3.3.5)",
            None,
            None,
        ),
        ("rejected nostart@example.net: /start: start is required (or when)", None, None),
    ],
    "recurring.ics": [  # a weekly stand-up and one moved occurrence of it
        ("added weekly-6733360f", dt.datetime(2025, 1, 6, 8, tzinfo=UTC), "Europe/Berlin"),
        ("added weekly-723d4645", dt.datetime(2025, 1, 13, 9, tzinfo=UTC), "Europe/Berlin"),
        ("added once-fa97c32c", dt.datetime(2025, 1, 20, 8, tzinfo=UTC), "Europe/Berlin"),
    ],
}


def test_every_sample_is_listed() -> None:
    assert sorted(p.name for p in THIRDPARTY.glob("*.ics")) == sorted(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_thirdparty_calendar(app: Flask, name: str) -> None:
    expected = SAMPLES[name]
    added = sum(line.startswith("added") for line, _, _ in expected)
    rejected = len(expected) - added
    result = run(app, "import", str(THIRDPARTY / name))
    summary = f"added {added}, updated 0, unchanged 0, rejected {rejected}"
    assert result.output.splitlines() == [*(line for line, _, _ in expected), summary]
    assert result.exit_code == (1 if rejected else 0)
    for line, start, zone in expected:
        if not line.startswith("added"):
            continue
        event = content(app.test_client(), line.removeprefix("added "))
        stored: dt.date = (
            dt.datetime.fromisoformat(event["start"]).astimezone(UTC)
            if isinstance(start, dt.datetime)
            else dt.date.fromisoformat(event["start"])
        )
        assert (stored, event["timezone"]) == (start, zone), line
    again = run(app, "import", str(THIRDPARTY / name))
    assert again.output.splitlines()[-1] == (
        f"added 0, updated 0, unchanged {added}, rejected {rejected}"
    )


def test_apples_address_lines_become_one_location(app: Flask) -> None:
    run(app, "import", str(THIRDPARTY / "apple.ics"))
    event = content(app.test_client(), "5e0c9a1f-3b7d-4c2e-9f61-8a2b4d6e8c10-346b34e3")
    assert event["location"] == "Infinite Loop 1, Cupertino CA 95014, United States"


def test_a_moved_occurrence_is_kept_with_its_recurring_event(app: Flask) -> None:
    run(app, "import", str(THIRDPARTY / "recurring.ics"))
    client = app.test_client()
    weekly, moved = content(client, "weekly-6733360f"), content(client, "weekly-723d4645")
    assert (weekly["rrule"], weekly["recurrence_of"]) == ("FREQ=WEEKLY;COUNT=10;BYDAY=MO", None)
    assert (moved["recurrence_of"], moved["recurrence_id"], moved["title"]) == (
        "weekly-6733360f",
        "2025-01-13T09:00:00+01:00",
        "Stand-up (moved)",
    )
