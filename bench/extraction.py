"""The "extraction" section: extraction scored on the development set of real news
(``../shared/articles``, read from there, never copied), per article and in all, as its
README scores it: certain gold events found (a candidate with the event's start, to its
precision, and its precision), candidates that are no event (whose start and precision
match no gold event), wrong dates (a candidate on a gold event's expression whose dates
do not lie within the gold event's, unless start and precision are the gold's), crashes,
and characters per second.

Also the seeds' source article with and without the known dates, and POST /api/extract on
hostile input (``"A"*40 + ", " + "Feb 1, "*n``) at 100 KB and 1 MB, whose time must grow
linearly. Stdlib only, so that the tests can score with it too.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The development set, in shared/ beside the project's folder.
ARTICLES = ROOT.parent / "shared" / "articles"


@dataclass(frozen=True)
class GoldArticle:
    """One article: its name (``d01``), text, publication date, and gold (its JSON)."""

    name: str
    text: str
    published: dt.date
    gold: dict[str, Any]


def gold_articles(folder: Path = ARTICLES) -> list[GoldArticle]:
    """Every article of ``folder`` with its gold, by name; empty when it is missing."""
    if not folder.is_dir():
        return []
    result = []
    for path in sorted(folder.glob("d*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        published = dt.date.fromisoformat(gold["published"])
        result.append(GoldArticle(path.stem, text, published, gold))
    return result


def _span(start: str, precision: str, end: str | None) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a date given to its precision."""
    parts = [int(p) for p in start.split("-")]
    first = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if end:
        last_parts = [int(p) for p in end.split("-")]
        if len(last_parts) == 3:
            return first, dt.date(*last_parts)
        return first, _span(end, "year" if len(last_parts) == 1 else "month", None)[1]
    if precision == "year":
        return first, dt.date(first.year, 12, 31)
    if precision == "month":
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    return first, first


def locate(text: str, event: dict[str, Any]) -> tuple[int, int] | None:
    """The (start, end) in ``text`` of a gold event's expression: inside its anchor."""
    expression = event["expression"]
    anchor = event.get("anchor") or ""
    at = text.find(anchor) if anchor else -1
    if at != -1 and expression in anchor:
        start = at + anchor.index(expression)
        return start, start + len(expression)
    start = text.find(expression)
    return (start, start + len(expression)) if start != -1 else None


@dataclass
class Score:
    """One article's (or all articles') figures."""

    certain: int = 0
    found: int = 0
    candidates: int = 0
    non_events: int = 0
    wrong: int = 0
    crashes: int = 0
    characters: int = 0
    seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    non_event_list: list[str] = field(default_factory=list)
    wrong_list: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add ``other``'s counts to these (the lists are not carried)."""
        for name in ("certain", "found", "candidates", "non_events", "wrong", "crashes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.characters += other.characters
        self.seconds += other.seconds


def score(article: GoldArticle, candidates: Sequence[Any]) -> Score:
    """Score ``candidates`` (objects with ``start``, ``end``, ``precision``,
    ``when_start``, ``when_end``, ``when``) against the article's gold."""
    result = Score(characters=len(article.text))
    events = article.gold["events"]
    keys = {(c.start, c.precision) for c in candidates}
    gold_keys = {(e["start"], e["precision"]) for e in events}
    for event in events:
        if event.get("uncertain"):
            continue
        result.certain += 1
        if (event["start"], event["precision"]) in keys:
            result.found += 1
        else:
            result.missed.append(f"{event['expression']} ({event['start']})")
    result.candidates = len(candidates)
    for candidate in candidates:
        if (candidate.start, candidate.precision) not in gold_keys:
            result.non_events += 1
            result.non_event_list.append(f"{candidate.when!r} ({candidate.start})")
    for event in events:
        where = locate(article.text, event)
        if event.get("uncertain") or where is None:
            continue
        low, high = _span(event["start"], event["precision"], event.get("end_inclusive"))
        for candidate in candidates:
            if (candidate.start, candidate.precision) == (event["start"], event["precision"]):
                continue
            if candidate.when_start < where[1] and where[0] < candidate.when_end:
                first, last = _span(candidate.start, candidate.precision, candidate.end)
                if not (low <= first and last <= high):
                    result.wrong += 1
                    result.wrong_list.append(
                        f"{candidate.when!r} gave {candidate.start}, gold {event['start']}"
                    )
    return result


def run_articles(
    extract: Callable[[GoldArticle], Sequence[Any]], articles: Sequence[GoldArticle]
) -> tuple[dict[str, Score], Score]:
    """Score ``extract`` on each article; a crash is counted and its last line kept."""
    per: dict[str, Score] = {}
    total = Score()
    for article in articles:
        began = time.perf_counter()
        try:
            candidates = extract(article)
        except Exception:  # noqa: BLE001 - a crash is a figure here
            certain = sum(not e.get("uncertain") for e in article.gold["events"])
            result = Score(crashes=1, certain=certain, characters=len(article.text))
            result.missed.append(traceback.format_exc().strip().splitlines()[-1])
        else:
            result = score(article, candidates)
        result.seconds = time.perf_counter() - began
        per[article.name] = result
        total.add(result)
    return per, total


def _figures(score: Score) -> dict[str, Any]:
    return {
        "certain": score.certain,
        "found": score.found,
        "candidates": score.candidates,
        "non_events": score.non_events,
        "wrong": score.wrong,
        "crashes": score.crashes,
        "characters": score.characters,
        "seconds": round(score.seconds, 4),
        "missed": score.missed,
        "non_event_list": score.non_event_list,
        "wrong_list": score.wrong_list,
    }


def ours(article: GoldArticle) -> Sequence[Any]:
    """This project's candidates for ``article`` (its publication date given)."""
    from timeline.extract.known import load
    from timeline.extract.pipeline import extract

    return extract(article.text, published=article.published, known=load()).candidates


def _speed(articles: Sequence[GoldArticle], rounds: int = 5) -> float:
    """Characters per second over every article, the best of ``rounds``."""
    from timeline.extract.known import load
    from timeline.extract.pipeline import extract

    known = load()
    characters = sum(len(a.text) for a in articles)
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for article in articles:
            extract(article.text, published=article.published, known=known)
        best = min(best, time.perf_counter() - began)
    return characters / best


def _source_article() -> dict[str, Any]:
    """The seeds' source article: its 20 dated events found (the expression as written,
    the date, precision and end) with and without the known dates."""
    import tomllib

    from timeline.extract.known import load
    from timeline.extract.pipeline import extract

    text = (ROOT.parent / "shared" / "seeds" / "000_782b2cc3e3de6569.txt").read_text("utf-8")
    with (ROOT / "seeds" / "article-2025-02.toml").open("rb") as handle:
        dated = [e for e in tomllib.load(handle)["event"] if "when" in e]
    result = {}
    for label, known in (("with known dates", load()), ("without", ())):
        candidates = extract(text, published=dt.date(2025, 2, 18), known=known).candidates
        keys = {("".join(c.when.split()), c.start, c.precision, c.end) for c in candidates}
        found = sum(
            any(
                when.startswith("".join(e["when"].split()))
                and (start, precision, end) == (e["date"], e["precision"], e.get("end"))
                for when, start, precision, end in keys
            )
            for e in dated
        )
        result[label] = {"found": found, "of": len(dated), "candidates": len(candidates)}
    return result


def _hostile(sizes: Sequence[int] = (100_000, 1_000_000)) -> dict[str, Any]:
    """POST /api/extract of ``"A"*40 + ", " + "Feb 1, "*n`` at each size (the body limit
    raised for it): status and seconds."""
    import tempfile

    from timeline.app import create_app, prepare_store

    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                "MAX_CONTENT_LENGTH": 4 * max(sizes),
                "SEED_ON_START": False,
                "SPOOL_DIR": f"{folder}/spool",
                "TESTING": True,
            }
        )
        prepare_store(app)
        from timeline.api.auth import create_token
        from timeline.http import db
        from timeline.store.engine import begin_write

        with app.app_context():
            session = db.get_session()
            begin_write(session)
            token = create_token(session, "bench")
            session.commit()
        client = app.test_client()
        for size in sizes:
            text = "A" * 40 + ", " + "Feb 1, " * ((size - 42) // 7)
            began = time.perf_counter()
            response = client.post(
                "/api/extract",
                json={"text": text, "published": "2025-02-18"},
                headers={"Authorization": f"Bearer {token}"},
            )
            seconds = time.perf_counter() - began
            assert response.status_code == 200, response.get_data(as_text=True)[:200]
            result[str(size)] = {
                "characters": len(text),
                "status": response.status_code,
                "seconds": round(seconds, 3),
                "characters_per_second": round(len(text) / seconds),
            }
    return result


def run() -> dict[str, Any]:
    """Every figure of the section, as the results document keeps it, but the peers
    (:mod:`bench.extraction_peers`, which ``python -m bench`` adds as ``peers``)."""
    articles = gold_articles()
    if not articles:
        raise SystemExit(f"extraction: no articles at {ARTICLES}")
    ours(articles[0])  # the grammar of dates is compiled once, before any article's time
    per, total = run_articles(ours, articles)
    return {
        "articles": {name: _figures(s) for name, s in per.items()},
        "total": _figures(total) | {"articles": len(articles)},
        "characters_per_second": round(_speed(articles)),
        "source_article": _source_article(),
        "hostile": _hostile(),
    }
