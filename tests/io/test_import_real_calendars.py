"""``timeline import`` of the icalendar library's own test calendars (real calendars of
many programs, and broken ones), read where the installed library keeps them: how many
VEVENTs are stored, and that none ends in a traceback."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import icalendar
import pytest
from flask import Flask

from tests.io.test_import import run

CALENDARS = Path(icalendar.__file__).parent / "tests" / "calendars"
#: At least this many of their VEVENTs are stored (issue 22: 43 were before it).
AT_LEAST = 75


@pytest.fixture(scope="module")
def files() -> list[Path]:
    found = sorted(CALENDARS.glob("*.ics"))
    if not found:
        pytest.skip(f"icalendar's test calendars are not installed at {CALENDARS}")
    return found


def test_most_of_icalendars_test_calendars_are_imported(app: Flask, files: list[Path]) -> None:
    outcomes: Counter[str] = Counter()
    unreadable = 0
    for path in files:
        result = run(app, "import", str(path))
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            path.name,
            result.output,
        )
        assert "Traceback" not in result.output, path.name
        if result.exit_code == 2:  # not iCalendar at all: one line says why
            unreadable += 1
            assert "Error: Invalid value for FILE" in result.output, path.name
            continue
        for line in result.output.splitlines()[:-1]:
            outcomes[line.split(" ", 1)[0]] += 1
    stored = outcomes["added"] + outcomes["updated"] + outcomes["unchanged"]
    assert (len(files), unreadable) == (116, 13)
    assert stored + outcomes["rejected"] == 122
    print(f"{stored} of 122 VEVENTs stored, {outcomes}")
    assert stored >= AT_LEAST, outcomes
    assert outcomes["repaired"] >= 20  # each repair one line, naming the UID
