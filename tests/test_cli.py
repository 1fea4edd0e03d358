"""The ``timeline`` command is timeline's own: its help, its version, and the database and
environment that every command's help names."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from timeline.cli import main

TIMELINE = Path(sys.executable).with_name("timeline")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


COMMANDS = _commands(main)


def test_the_commands_are_the_ones_documented() -> None:
    assert COMMANDS == [
        ("db",),
        ("db", "upgrade"),
        ("expire-tombstones",),
        ("export",),
        ("extract",),
        ("import",),
        ("seed",),
        ("serve",),
        ("token",),
        ("token", "create"),
        ("token", "list"),
        ("token", "revoke"),
        ("user",),
        ("user", "create"),
        ("user", "delete"),
        ("user", "list"),
    ]


def test_help_and_version_of_the_installed_command(tmp_path: Path) -> None:
    """The console script's own options, not Flask's (-A/--app, -e/--env-file, --debug)."""
    env = {**os.environ, "TIMELINE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    shown = subprocess.run(
        [str(TIMELINE), "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert shown.startswith("Usage: timeline [OPTIONS] COMMAND [ARGS]...\n")
    for flask_option in ("--app", "--env-file", "--debug", "python-dotenv"):
        assert flask_option not in shown
    version = subprocess.run(
        [str(TIMELINE), "--version"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert version == f"timeline, version {metadata.version('timeline')}\n"
    assert not (tmp_path / "x.db").exists()  # help touches no database


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "timeline")
def test_every_help_names_the_database_and_the_environment(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql://editor:secret@db.internal:5432/{tmp_path.name}"
    monkeypatch.setenv("TIMELINE_DATABASE_URL", url)
    monkeypatch.setenv("TIMELINE_BASE_URL", "https://news.example.org")
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for variable in ("TIMELINE_DATABASE_URL", "TIMELINE_BASE_URL", "TIMELINE_CONFIG"):
        assert any(line.strip().startswith(variable) for line in lines), variable
    assert f"    database  postgresql://editor:***@db.internal:5432/{tmp_path.name}" in lines
    assert "    base URL  https://news.example.org" in lines
    assert "secret" not in result.output
    assert [line for line in lines if line.endswith("...") and "[ARGS]" not in line] == []


def test_help_says_when_the_configuration_does_not_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_FEED_MAX_ITEMS", "abc")
    result = CliRunner().invoke(main, ["seed", "--help"])
    assert result.exit_code == 0
    assert (
        "Now: the configuration does not load: setting FEED_MAX_ITEMS must be a whole number"
        " of at least 1, not 'abc'"
    ) in result.output
