"""Configuration layers, and the documented example file kept in sync with the defaults."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from flask import Flask

from timeline.app import create_app, prepare_store
from timeline.config import DEFAULTS

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"


def test_example_file_documents_every_default_with_its_value() -> None:
    documented = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert documented == DEFAULTS


def test_every_key_has_a_comment() -> None:
    """Each key, or the block of keys it stands in, comes right after a comment."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()

    def is_key(line: str) -> bool:
        return bool(line) and not line.startswith("#") and "=" in line

    for i, line in enumerate(lines):
        if is_key(line):
            j = i - 1
            while is_key(lines[j]):
                j -= 1
            assert lines[j].startswith("#"), f"no comment above {line!r}"


def test_layers_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    config = tmp_path / "t.toml"
    config.write_text('CALENDAR_NAME = "From file"\nFEED_MAX_ITEMS = 7\nLANGUAGE = "zh"\n')
    monkeypatch.setenv("TIMELINE_CONFIG", str(config))
    monkeypatch.setenv("TIMELINE_FEED_MAX_ITEMS", "9")
    app: Flask = create_app({"LANGUAGE": "fr", "DATABASE_URL": database_url})
    assert app.config["CALENDAR_NAME"] == "From file"
    assert app.config["FEED_MAX_ITEMS"] == 9
    assert app.config["LANGUAGE"] == "fr"
    assert app.config["REFRESH_INTERVAL"] == 3600


def test_default_database_is_sqlite_in_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMELINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TIMELINE_CONFIG", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{Path(app.instance_path) / 'timeline.db'}"
    from timeline.http import db

    db.close_app(app)


def test_the_default_store_is_readable_by_its_owner_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The SQLite file holds token hashes and every revision: it was created 0644, in an
    # instance folder of 0755.
    monkeypatch.delenv("TIMELINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TIMELINE_CONFIG", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    umask = os.umask(0o022)
    try:
        app = create_app({"SEED_ON_START": False})
        prepare_store(app)
    finally:
        os.umask(umask)
    from timeline.http import db

    try:
        assert stat.S_IMODE(instance.stat().st_mode) == 0o700
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in instance.glob("timeline.db*")}
        assert files == {"timeline.db": 0o600, "timeline.db-wal": 0o600, "timeline.db-shm": 0o600}
    finally:
        db.close_app(app)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "TIMELINE_FEED_MAX_ITEMS",
            "abc",
            "FEED_MAX_ITEMS must be a whole number of at least 1, not 'abc'",
        ),
        (
            "TIMELINE_CACHE_MAX_AGE",
            "0",
            "CACHE_MAX_AGE must be a whole number of at least 1, not 0",
        ),
        ("TIMELINE_SEED_ON_START", "1", "SEED_ON_START must be true or false, not 1"),
        ("TIMELINE_BASE_URL", "5", "BASE_URL must be text, not 5"),
    ],
)
def test_a_setting_of_the_wrong_kind_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, database_url: str, variable: str, value: str, message: str
) -> None:
    from timeline.config import ConfigError

    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"^setting {message}$"):
        create_app({"DATABASE_URL": database_url})


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://postgres@127.0.0.1:1/test", "Connection refused"),
        ("sqlite:////nonexistent/dir/timeline.db", "unable to open database file"),
    ],
)
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["export", "--format", "ics"]])
def test_an_unreachable_database_is_one_line_not_a_traceback(
    url: str, reason: str, command: list[str]
) -> None:
    timeline = Path(sys.executable).with_name("timeline")
    env = {**os.environ, "TIMELINE_DATABASE_URL": url}
    done = subprocess.run(
        [str(timeline), *command], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("Error: cannot use the database (TIMELINE_DATABASE_URL): ")
    assert reason in line


@pytest.mark.parametrize(
    ("variables", "line"),
    [
        (
            {"TIMELINE_DATABASE_URL": "postgres://postgres@127.0.0.1/test"},
            "Error: TIMELINE_DATABASE_URL is not a database URL this service can use: "
            "Can't load plugin: sqlalchemy.dialects:postgres "
            "(PostgreSQL: postgresql://user@host:5432/dbname)",
        ),
        (
            {"TIMELINE_FEED_MAX_ITEMS": "abc"},
            "Error: configuration: setting FEED_MAX_ITEMS must be a whole number of at least 1, "
            "not 'abc'",
        ),
        (
            {"TIMELINE_BASE_URL": "127.0.0.1:8001"},
            "Error: configuration: setting BASE_URL must be an absolute http or https URL such "
            "as https://events.example.org, not '127.0.0.1:8001'",
        ),
        (
            {"TIMELINE_CONFIG": "/nonexistent/timeline.toml"},
            "Error: [Errno 2] Unable to load configuration file (No such file or directory): "
            "'/nonexistent/timeline.toml'",
        ),
    ],
)
def test_a_bad_setting_is_one_line_not_a_traceback(variables: dict[str, str], line: str) -> None:
    timeline = Path(sys.executable).with_name("timeline")
    env = {**os.environ, **variables}
    done = subprocess.run(
        [str(timeline), "export", "--format", "ics"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr.strip()) == (1, line)
