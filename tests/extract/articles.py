"""The development set of real news reports (``../shared/articles``: never copied into the
project), for the tests and the benchmark: texts, gold events, and the scoring its README
gives."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: The articles lie in shared/ beside the project's folder.
ARTICLES = Path(__file__).resolve().parents[2].parent / "shared" / "articles"
# Skipped on a machine without shared/, never in CI (CI=true), where its absence fails.
needs_articles = pytest.mark.skipif(
    not ARTICLES.is_dir() and not os.environ.get("CI"), reason=f"no articles at {ARTICLES}"
)


@dataclass(frozen=True)
class GoldArticle:
    """One article: its name (``d01``), text, publication date, and gold (the JSON)."""

    name: str
    text: str
    published: dt.date
    gold: dict[str, Any]


def gold_articles() -> list[GoldArticle]:
    """Every article of ARTICLES with its gold, by name; empty when the folder is missing."""
    if not ARTICLES.is_dir():
        return []
    result = []
    for path in sorted(ARTICLES.glob("d*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        result.append(GoldArticle(path.stem, text, dt.date.fromisoformat(gold["published"]), gold))
    return result
