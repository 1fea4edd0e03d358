"""The benchmark's command line: which results a run adds to (bench/resultfiles.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import resultfiles


@pytest.fixture
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path.resolve()
    monkeypatch.setattr(resultfiles, "RESULTS", folder)
    for name, version in [
        ("2026-11-30.json", 1),
        ("2026-11-30-final.json", 2),
        ("2026-12-06.json", 3),
        ("2026-12-06-quick.json", 4),
    ]:
        (folder / name).write_text(json.dumps({"writes": {"version": version}, "http": {}}))
    return folder


def test_a_run_of_some_sections_on_a_new_day_keeps_the_others(results: Path) -> None:
    # After midnight (UTC), `--only writes` writes to a new file of the day: the docs
    # are written from it alone, so it must carry the sections it does not run.
    started = resultfiles.starting_results(results / "2026-12-07.json", ("writes",))
    assert started == {"writes": {"version": 3}, "http": {}, "carried_from": "2026-12-06.json"}


def test_an_existing_file_is_added_to(results: Path) -> None:
    started = resultfiles.starting_results(results / "2026-11-30.json", ("writes",))
    assert started == {"writes": {"version": 1}, "http": {}}


@pytest.mark.parametrize(
    ("name", "only"),
    [
        ("2026-12-07.json", resultfiles.SECTIONS),  # every section: nothing to carry
        ("2026-12-07-quick.json", ("writes",)),  # a quick run is a record of its own
        ("2026-11-29.json", ("writes",)),  # no record before it
    ],
)
def test_nothing_is_carried(results: Path, name: str, only: tuple[str, ...]) -> None:
    assert resultfiles.starting_results(results / name, only) == {}


def test_a_file_outside_the_results_folder_starts_empty(results: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "trial" / "2026-12-07.json"
    assert resultfiles.starting_results(elsewhere, ("writes",)) == {}
