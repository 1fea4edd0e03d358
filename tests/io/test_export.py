"""``timeline export``: the same bytes as the service, to a file or standard output."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import feedparser
import icalendar
import pytest
from flask import Flask

from tests.io.test_seeds import EXPECTED


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("ics", "/calendar.ics"),
        ("rss", "/feed.rss"),
        ("atom", "/feed.atom"),
        ("json", "/feed.json"),
    ],
)
def test_export_equals_what_is_served(
    seeded_app: Flask, tmp_path: Path, fmt: str, path: str
) -> None:
    out = tmp_path / f"export.{fmt}"
    result = seeded_app.test_cli_runner().invoke(args=["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == seeded_app.test_client().get(path).data
    assert not (tmp_path / f"export.{fmt}.partial").exists()


def test_export_with_filters_to_stdout(seeded_app: Flask) -> None:
    result = seeded_app.test_cli_runner().invoke(
        args=["export", "--tag", "summit", "--from", "2025-02-10"]
    )
    assert result.exit_code == 0
    body = result.stdout_bytes
    assert body == seeded_app.test_client().get("/calendar.ics?tag=summit&from=2025-02-10").data
    uids = {str(e["UID"]).split("@")[0] for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert uids == {
        "2025-02-09-ai-action-summit",
        "2025-02-09-eu-cut-ai-red-tape",
        "2025-02-10-summit-declaration",
    }


def test_export_atom_parses(seeded_app: Flask) -> None:
    result = seeded_app.test_cli_runner().invoke(args=["export", "--format", "atom"])
    feed = feedparser.parse(result.stdout_bytes)
    assert feed.bozo == 0 and len(feed.entries) == len(EXPECTED)


def test_export_refuses_a_bad_filter(seeded_app: Flask) -> None:
    result = seeded_app.test_cli_runner().invoke(args=["export", "--from", "2025-02-30"])
    assert result.exit_code == 2
    assert "from='2025-02-30' is not a date of the form YYYY-MM-DD" in result.output


def test_export_to_a_folder_that_does_not_exist(seeded_app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.ics"
    result = seeded_app.test_cli_runner().invoke(args=["export", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write {target}: No such file or directory\n"


def test_export_to_dev_null_leaves_it_alone(seeded_app: Flask) -> None:
    """A device is written as it is, never replaced by a renamed file."""
    result = seeded_app.test_cli_runner().invoke(args=["export", "-o", "/dev/null"])
    assert result.exit_code == 0, result.output
    assert Path("/dev/null").is_char_device()
    assert not Path("/dev/null.partial").exists()


def test_export_never_writes_through_a_planted_link(seeded_app: Flask, tmp_path: Path) -> None:
    # `out.ics.partial` used to be opened as it was: a link planted there by another user
    # of the folder made the export overwrite the file it points to.
    folder = tmp_path / "shared"
    folder.mkdir()
    victim = folder / "victim.txt"
    victim.write_text("keep me\n")
    (folder / "out.ics.partial").symlink_to(victim)
    out = folder / "out.ics"
    result = seeded_app.test_cli_runner().invoke(args=["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me\n"
    assert out.read_bytes() == seeded_app.test_client().get("/calendar.ics").data
    assert sorted(p.name for p in folder.iterdir()) == [
        "out.ics",
        "out.ics.partial",
        "victim.txt",
    ]
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
