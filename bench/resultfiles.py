"""The results files of the benchmark under bench/results/: which one a run adds to."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = (
    "render",
    "http",
    "memory",
    "writes",
    "import",
    "coldcal",
    "page",
    "dates",
    "extraction",
)


def starting_results(path: Path, only: tuple[str, ...]) -> dict[str, Any]:
    """Return the results a run of the sections ``only`` adds to: those of ``path``
    when it exists; else, for a run of some sections only into a file of the day under
    :data:`RESULTS` (``YYYY-MM-DD.json``), those of the newest such file before it (the
    documents are written from one file: without them, a run after midnight would drop
    every section it did not run); else none."""
    if path.exists():
        found: dict[str, Any] = json.loads(path.read_text())
        return found
    if set(only) == set(SECTIONS) or path.parent.resolve() != RESULTS:
        return {}
    if not _DAY_FILE.fullmatch(path.name):
        return {}
    earlier = sorted(p for p in RESULTS.iterdir() if _DAY_FILE.fullmatch(p.name) and p < path)
    if not earlier:
        return {}
    carried: dict[str, Any] = json.loads(earlier[-1].read_text())
    carried["carried_from"] = earlier[-1].name
    return carried


_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
