"""Timing helpers: medians of repeated wall-clock measurements."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Call ``fn()``; return (seconds taken, its result)."""
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def summary(runs: list[float]) -> dict[str, Any]:
    """Return ``{"median", "min", "max", "runs"}`` of ``runs`` (seconds)."""
    return {
        "median": statistics.median(runs),
        "min": min(runs),
        "max": max(runs),
        "runs": [round(r, 6) for r in runs],
    }


def ratio(slow: float | None, fast: float | None) -> float | None:
    """Return ``slow / fast``, or None when either is missing or ``fast`` is zero."""
    if not slow or not fast:
        return None
    return slow / fast
