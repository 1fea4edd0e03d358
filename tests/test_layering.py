"""The feeds library stands alone: importing it pulls in neither the app nor its frameworks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("timeline", "flask", "sqlalchemy")


def test_importing_feeds_loads_no_app_or_framework_module() -> None:
    script = "import json, sys\nimport feeds\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert "feeds" in loaded
    offending = [
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offending == []


def test_store_and_dates_load_no_web_framework() -> None:
    """Every module of the store and of the dates imports without Flask or Werkzeug."""
    packages = ("timeline.store", "timeline.dates")
    script = (
        "import importlib, json, pkgutil, sys\n"
        f"for package in {packages!r}:\n"
        "    module = importlib.import_module(package)\n"
        "    for info in pkgutil.iter_modules(module.__path__, package + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert {"timeline.store.writes", "timeline.store.models", "timeline.dates.normalize"} <= set(
        loaded
    )
    assert [name for name in loaded if name.split(".")[0] in ("flask", "werkzeug")] == []


def test_import_linter_contracts_are_kept() -> None:
    """The layers contract of pyproject.toml (and the contracts beside it) hold."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout
    assert "extraction is a one-way pipeline" in result.stdout
