"""A measure of our own of the ranking of merged candidates, after the date F1 of timeline
summarization (Timeline17, Tran et al. 2013: the dates a system picks for a story's
timeline against the dates of journalists' timelines of it).

Data: SemEval-2015 Task 4 (``../shared/corpora/semeval2015-task4-timeline``, read from
there): three corpora of 30 English Wikinews reports each (Airbus and Boeing; General
Motors, Chrysler and Ford; stock markets) and, per corpus, gold timelines of its target
entities written by annotators. For each corpus, all 30 reports are extracted together
(each dated by its DCT), their candidates merged and ranked by weight; the *k* distinct
days at the top are compared with the days of the gold timelines' dated events (day
precision, every entity of the corpus together), *k* the number of gold days, so that
precision, recall and F1 are one figure. Beside it, the same over every candidate's day
(no ranking) and over the *k* days first in the reports' order (no ranking either).

What it measures, honestly: whether the days our ranking puts first are days on which
the corpus's entities did something the annotators put on their timelines. The gold
timelines list every event of an entity, not a journalist's selection, and the reports
are tokenized (``March 01 , 2008``), so the figure is not Timeline17's and is not
comparable with published Timeline17 scores.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "semeval2015-task4-timeline"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)'])|(?<=[($]) ")


def _detokenize(tokens: str) -> str:
    """Undo the corpus's tokenization enough for a reader of news: no space before
    punctuation (``March 01 , 2008``: ``March 01, 2008``)."""
    text = _SPACE_BEFORE.sub("", tokens)
    return text.replace("`` ", '"').replace(" ''", '"').replace(" 's", "'s")


def documents(corpus: Path) -> list[tuple[str, dt.date, str]]:
    """The reports of one corpus: (document id, DCT, text: one sentence a line)."""
    result = []
    for path in sorted((corpus / "corpus_trackA_TimeML").glob("*.tml")):
        root = ElementTree.parse(path).getroot()
        dct = root.find("DCT/TIMEX3")
        assert dct is not None
        sentences = [_detokenize(s.text or "") for s in root.iter("s")]
        result.append((path.stem.split("_")[0], _dct(dct.get("value", "")), "\n\n".join(sentences)))
    return result


def _dct(value: str) -> dt.date:
    """A DCT: ISO 8601, or day-month-year as one report writes it (03-02-2009, whose
    dateline says February 03, 2009)."""
    if re.fullmatch(r"\d{2}-\d{2}-\d{4}", value):
        day, month, year = value.split("-")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(value)


def gold_days(corpus: Path) -> set[str]:
    """The days (YYYY-MM-DD) of the dated events of every gold timeline of the corpus."""
    days = set()
    for path in (corpus / "TimeLines_Gold_Standard").glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            fields = line.split("\t")
            if len(fields) > 1 and _DAY.fullmatch(fields[1]):
                days.add(fields[1])
    return days


def _f1(predicted: Sequence[str], gold: set[str]) -> dict[str, Any]:
    hits = len(set(predicted) & gold)
    precision = hits / len(set(predicted)) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"predicted": len(set(predicted)), "right": hits, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}  # fmt: skip


def _distinct(days: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(days))


def score(corpus: Path) -> dict[str, Any]:
    """The figures of one corpus (see the module)."""
    from timeline.extract.pipeline import Article, extract_many

    docs = documents(corpus)
    articles = [Article(text, doc, dct) for doc, dct, text in docs]
    extractions, merged = extract_many(articles, lang="en")
    gold = gold_days(corpus)
    k = len(gold)
    ranked = _distinct([c.start for c in merged if c.precision == "day"])
    in_order = _distinct(
        [c.start for e in extractions for c in e.candidates if c.precision == "day"]
    )
    return {
        "documents": len(docs),
        "gold_days": k,
        "candidates": len(merged),
        "top_k_ranked": _f1(ranked[:k], gold),
        "first_k_in_order": _f1(in_order[:k], gold),
        "every_candidate": _f1(ranked, gold),
    }


def run(folder: Path = CORPUS) -> dict[str, Any]:
    """Every corpus's figures, and their mean F1 at k; empty when the corpus is missing."""
    if not folder.is_dir():
        return {}
    corpora = {path.name: score(path) for path in sorted(folder.glob("corpus_*"))}
    mean = sum(c["top_k_ranked"]["f1"] for c in corpora.values()) / len(corpora)
    return {"corpora": corpora, "mean_f1_top_k": round(mean, 3)}
