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
