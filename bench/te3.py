"""TempEval-3 platinum (``te3-platinum`` in ``../shared/corpora``): 20 English news articles
of 2013 with their gold TIMEX3, scored on the DATE expressions relaxed (any overlap),
strict (same extent) and value F1 (overlap and the same TIMEX3 value), as TempEval-3
scores Task A. A system's expression that overlaps a gold expression of another type (a
DURATION, SET or TIME) is left out of its count: the scores are of dates only."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.corpora import ROOT, day


@dataclass(frozen=True)
class Timex:
    """A gold TIMEX3 of TempEval-3: offsets into the document's text, type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class Document:
    """A TempEval-3 platinum document: its id, creation day, text and gold TIMEX3."""

    id: str
    dct: dt.date
    text: str
    timexes: tuple[Timex, ...]


def documents() -> list[Document]:
    """Return the 20 platinum documents, text as in the ``<TEXT>`` of the TE3input files
    (XML entities decoded), with their gold TIMEX3 (``te3-platinum-timex3.jsonl``)."""
    golds: dict[str, list[Timex]] = {}
    dcts: dict[str, dt.date] = {}
    for line in (ROOT / "te3-platinum" / "te3-platinum-timex3.jsonl").read_text().splitlines():
        row = json.loads(line)
        dcts[row["doc"]] = day(row["dct"])
        golds.setdefault(row["doc"], []).append(
            Timex(row["start"], row["end"], row["text"], row["type"], row["value"])
        )
    documents = []
    for path in sorted((ROOT / "te3-platinum" / "te3input").glob("*.TE3input")):
        raw = path.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        assert body is not None
        doc = path.name.split(".")[0]
        # The gold names one document as MATRES renamed it (sarcozy for sarkozy).
        doc = doc if doc in dcts else doc.replace("sarkozy", "sarcozy")
        text = html.unescape(body.group(1))
        documents.append(Document(doc, dcts[doc], text, tuple(golds.get(doc, ()))))
    return documents


@dataclass
class Scores:
    """TempEval-3 counts of one system on DATE expressions and the F1 they give."""

    predicted: int = 0
    gold: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    wrong_values: list[tuple[str, str, str, str]] = field(default_factory=list)

    def f1(self, hits: int) -> float:
        """F1 of ``hits`` matches against the predicted and gold counts."""
        if not hits:
            return 0.0
        precision, recall = hits / self.predicted, hits / self.gold
        return 2 * precision * recall / (precision + recall)

    def as_dict(self) -> dict[str, Any]:
        """The counts and the three F1, for the results file."""
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "relaxed": self.relaxed,
            "strict": self.strict,
            "value": self.value,
            "relaxed_f1": round(self.f1(self.relaxed), 3),
            "strict_f1": round(self.f1(self.strict), 3),
            "value_f1": round(self.f1(self.value), 3),
            "precision": round(self.relaxed / self.predicted, 3) if self.predicted else 0.0,
            "recall": round(self.relaxed / self.gold, 3) if self.gold else 0.0,
            "wrong_values": [list(w) for w in self.wrong_values],
        }


def score(
    documents: Sequence[Document], predicted: dict[str, list[tuple[int, int, str]]]
) -> Scores:
    """Score DATE predictions ``predicted[doc]`` (start, end, TIMEX3 value) against the
    gold DATE expressions: each gold matched at most once, by the prediction overlapping
    it most."""
    scores = Scores()
    for document in documents:
        golds = [t for t in document.timexes if t.type == "DATE"]
        others = [t for t in document.timexes if t.type != "DATE"]
        scores.gold += len(golds)
        used: set[int] = set()
        for start, end, value in predicted.get(document.id, []):
            if not any(o.start < end and start < o.end for o in others) or any(
                g.start < end and start < g.end for g in golds
            ):
                scores.predicted += 1
            best, overlap = None, 0
            for index, gold in enumerate(golds):
                shared = min(end, gold.end) - max(start, gold.start)
                if index not in used and shared > overlap:
                    best, overlap = index, shared
            if best is None:
                continue
            used.add(best)
            gold = golds[best]
            scores.relaxed += 1
            scores.strict += (start, end) == (gold.start, gold.end)
            if value == gold.value:
                scores.value += 1
            else:
                shown = document.text[start:end]
                scores.wrong_values.append((document.id, gold.text, gold.value, f"{shown}={value}"))
    return scores


_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b)\s*")


def ours(document: Document) -> list[tuple[int, int, str]]:
    """Our DATE expressions of a TempEval-3 document as (start, end, value), with the
    clause's tense (:mod:`timeline.dates.tense`); a range (2009-2010) is given as its
    two ends, as TimeML writes it (it has no TIMEX3 for a range)."""
    from timeline.dates.scan import scan
    from timeline.dates.tense import future

    text = document.text
    found = scan(text, reference=document.dct, language="en", future=future(text))
    predicted = []
    for f in found:
        ends = f.value.split("/")
        cut = _SEPARATOR.search(text, f.start, f.end) if len(ends) == 2 else None
        if cut is not None:
            predicted.append((f.start, cut.start(), ends[0]))
            predicted.append((cut.end(), f.end, ends[1]))
        else:
            predicted.append((f.start, f.end, f.value))
    return predicted
