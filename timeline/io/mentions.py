"""The date expressions of an article as the extractor reads them: the finds of the one
grammar of dates (:func:`timeline.dates.scan.scan`) with the kind of reference each makes
(a date, a year, a day counted from the event before, a phase of a named event), and the
ones that are not event dates (cut-offs, periods since, captions, titles). No grammar of
dates lives here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from timeline.dates.dateline import dateline
from timeline.dates.grammar import load
from timeline.dates.scan import Found, scan
from timeline.io.sentences import HEADING_MAX

__all__ = ["Kind", "Mention", "dateline", "find_mentions", "not_an_event"]

Kind = Literal["date", "year", "after", "few_after", "immediate", "relative", "anchored"]

_CAPTION = re.compile(r"^(?:这是|图为|图片为|This (?:photo|picture) (?:shows|was taken))|摄）$")
#: A headline: a paragraph this short without final punctuation (see sentences.py).
_FINAL = "。！？!?；;…）)”」』."
_DAYS = re.compile(r"\+P(\d+)D")


@dataclass(frozen=True)
class Mention:
    """A date expression: ``clean[start:end]`` of the text read, its ``kind``, and the
    parts of an anchored one (``noun`` 峰会, ``phase`` 闭幕, ``rel`` 当天) or the count
    ``n`` of days of an ``after`` one; ``mod`` is the scanner's TIMEX3 mod."""

    start: int
    end: int
    kind: Kind
    text: str
    noun: str | None = None
    phase: str | None = None
    rel: str | None = None
    n: int | None = None
    mod: str | None = None


def _kind(found: Found) -> Kind | None:
    """The kind of reference a find makes, None for none the extractor proposes (the
    present, a period such as the past three days)."""
    if found.value.startswith("P") or (found.when is None and found.value.endswith("_REF")):
        return None
    if found.kind == "anaphoric":
        if found.event is not None:
            return "anchored"
        if found.mod == "APPROX" and found.offset == "+P1D":
            return "immediate"
        if found.offset == "+PXD":
            return "few_after"
        if found.offset in ("+P0D", "+P1D"):
            return "relative"
        if _DAYS.fullmatch(found.offset or "") is not None:
            return "after"
        return "date"
    if found.when is not None and found.when.precision == "year" and found.value.isdigit():
        return "year"
    return "date"


def find_mentions(clean: str, *, chinese: bool, published: dt.date | None = None) -> list[Mention]:
    """Return the date expressions of ``clean`` (text with its layout undone) in order,
    read by the scanner in the article's language against ``published``."""
    mentions = []
    phases = load(("any", "zh")).words.get("zh:phase", {})
    for found in scan(clean, reference=published, language="zh" if chinese else "en"):
        kind = _kind(found)
        if kind is None:
            continue
        start, noun, phase, rel, count = found.start, None, None, None, None
        if kind == "anchored":
            noun, phase, rel = _anchored(found, phases)
            if chinese:
                start = _qualified(clean, start)
        elif kind == "after" and (days := _DAYS.fullmatch(found.offset or "")) is not None:
            count = int(days[1])
        text = clean[start : found.end]
        mentions.append(Mention(start, found.end, kind, text, noun, phase, rel, count, found.mod))
    return mentions


def _anchored(found: Found, phases: Mapping[str, object]) -> tuple[str | None, str | None, str]:
    """Split an anchored find into the event's noun and phase and the words relating
    the date to it (峰会闭幕当天: 峰会, 闭幕, 当天; the day after the summit: summit, None,
    the day after)."""
    event = found.event or ""
    at = found.text.lower().rfind(event.lower())
    rel = (found.text[at + len(event) :] if at == 0 else found.text[:at]).strip()
    rel = re.sub(r"\s+the$", "", rel, flags=re.IGNORECASE) or "on"
    phase = next((p for p in phases if event.endswith(p)), None)
    noun = event[: -len(phase)] if phase else event
    return noun or None, phase, rel


def _alone(clean: str, line: str) -> bool:
    """Whether ``line`` is a paragraph of its own in ``clean``."""
    return any(
        (m.start() == 0 or clean[m.start() - 1] == "\n")
        and (m.end() == len(clean) or clean[m.end()] == "\n")
        for m in re.finditer(re.escape(line), clean)
    )


def _qualified(clean: str, start: int) -> int:
    """Take in the words that open a clause before an event noun (体验活动结束次日,
    开通仪式当天): up to four Han characters after a clause boundary, none of them a
    demonstrative or a function word (这次, 并于)."""
    head = re.search(
        r"(?:^|[。，；！？\n])([\u4e00-\u9fff]{1,4})$", clean[max(0, start - 5) : start]
    )
    if head is None or any(c in head[1] for c in "这本此该并于在而又还就也但与和及"):
        return start
    return start - len(head[1])


def not_an_event(clean: str, mention: Mention, sentence: str) -> str | None:
    """Return why ``mention`` is not an event date (a cut-off of figures, the start of a
    period, a photo caption, part of a title in 《》), or None. ``sentence`` is the
    sentence holding it."""
    if mention.mod == "ON_OR_BEFORE":
        return "a cut-off of figures (截至, as of), not an event"
    if mention.mod == "ON_OR_AFTER":
        return "the start of a period (以来, since), not an event"
    if _CAPTION.search(sentence.strip()):
        return "a photo caption, not an event"
    line = sentence.strip()
    if len(line) <= HEADING_MAX and line[-1:] not in _FINAL and _alone(clean, line):
        return "a headline, not an event"
    opened = clean.rfind("《", 0, mention.start)
    if opened != -1 and clean.rfind("》", 0, mention.start) < opened:
        return "part of a title in 《》, not an event"
    return None
