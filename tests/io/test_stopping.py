"""``timeline export`` and ``timeline import`` stopped by SIGTERM run their cleanup, as
for Ctrl-C: no ``.FILE.<random>.partial`` is left beside the file an export writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from tests.io.test_import import run, write_json
from timeline.io import importer, stopping

_EXPORT_STOPPED = """
import sys, time
from timeline.cli import main
from timeline.io import export


def slow(*args, **kwargs):
    yield b"BEGIN:VCALENDAR\\r\\n"
    print("writing", flush=True)
    time.sleep(60)
    yield b"END:VCALENDAR\\r\\n"


export.export_chunks = slow
main(["export", "-o", sys.argv[1]])
"""


def test_an_export_stopped_by_sigterm_leaves_no_partial_file(tmp_path: Path) -> None:
    script = tmp_path / "stopped.py"
    script.write_text(_EXPORT_STOPPED)
    output = tmp_path / "out" / "calendar.ics"
    output.parent.mkdir()
    output.write_bytes(b"the last export\n")
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": f"sqlite:///{tmp_path / 'timeline.db'}",
        "TIMELINE_SEED_ON_START": "false",
    }
    env.pop("TIMELINE_CONFIG", None)
    with subprocess.Popen(
        [sys.executable, str(script), str(output)], stdout=subprocess.PIPE, text=True, env=env
    ) as command:
        try:
            assert command.stdout is not None
            assert command.stdout.readline() == "writing\n"
            partial = [p.name for p in output.parent.iterdir() if p.name.endswith(".partial")]
            assert len(partial) == 1 and partial[0].startswith(".calendar.ics.")
            command.send_signal(signal.SIGTERM)
            status = command.wait(timeout=30)
        finally:
            command.kill()
    assert status == stopping.STOPPED_STATUS == 143
    assert sorted(p.name for p in output.parent.iterdir()) == ["calendar.ics"]
    assert output.read_bytes() == b"the last export\n"


def test_import_and_export_stop_on_sigterm_only_while_they_run(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = signal.getsignal(signal.SIGTERM)
    assert before is not stopping._stop
    seen = []
    read = importer.read_items

    def reading(*args: object, **kwargs: object) -> object:
        seen.append(signal.getsignal(signal.SIGTERM))
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "read_items", reading)
    items = [{"id": "s1", "title": "S1", "start": "2025-03-01"}]
    result = run(app, "import", str(write_json(tmp_path, items)))
    assert result.exit_code == 0, result.output
    assert seen == [stopping._stop]
    assert signal.getsignal(signal.SIGTERM) is before
    result = run(app, "export", "-o", str(tmp_path / "calendar.ics"))
    assert result.exit_code == 0, result.output
    assert b"UID:s1@" in (tmp_path / "calendar.ics").read_bytes()
    assert signal.getsignal(signal.SIGTERM) is before
