"""The date corpora of ``../shared/corpora`` read into cases, and the one way every system
(ours and the peers) is judged on them.

- TempEval-3 platinum: see :mod:`bench.te3`.
- Microsoft Recognizers-Text DateTime (``recognizers-text-datetime``, Chinese and English):
  the cases whose every expected expression is a date or a span of dates (a day, week,
  month, quarter, season, year or a range of them), times of day out of scope.
- JioNLP's time parser cases (``jionlp-time-parser-cases``, Chinese): the points and spans
  of whole days or more.

A case is *right* when every expected expression is found with its span, *wrong* when one
is found with another span, *refused* when one is found but not resolved (a vague or
ambiguous text), *missed* when one is not found.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

#: The corpora lie in shared/ beside the project's folder (never copied into it).
ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpora"
DAY = dt.timedelta(days=1)
Verdict = Literal["right", "wrong", "refused", "missed"]
#: Our TIMEX3 mods as Recognizers-Text names them.
RT_MODS = {
    "BEFORE": "before",
    "AFTER": "after",
    "ON_OR_AFTER": "since",
    "ON_OR_BEFORE": "until",
    "APPROX": "approx",
    "START": "start",
    "MID": "mid",
    "END": "end",
}


@dataclass(frozen=True)
class Prediction:
    """What a system read at ``text[start:end]``: the first day and the day after its
    span (None when unresolved), its TIMEX3 value and mod when it gives them, whether it
    refused to resolve it, and whether it gives one instant only (a peer that answers a
    datetime for any expression: judged right when the instant lies in the expected span)."""

    start: int
    end: int
    first: dt.date | None
    after: dt.date | None
    value: str = ""
    mod: str | None = None
    refused: bool = False
    instant: bool = False


@dataclass(frozen=True)
class Expected:
    """One expected expression of a Recognizers-Text case: its offsets (end exclusive),
    text, TIMEX3 value, the readings it accepts as ``(first, after)`` (either may be None
    for an open range), its mod, and whether it is a range (whose end the corpus writes
    either as the last day, month or year or as the one after)."""

    start: int
    end: int
    text: str
    timex: str
    readings: tuple[tuple[dt.date | None, dt.date | None], ...]
    mod: str | None
    is_range: bool


@dataclass(frozen=True)
class Case:
    """A case of Recognizers-Text or JioNLP: an id, the input, its reference day, the
    expected expressions, and for JioNLP the option (``ret_future``) and convention."""

    id: str
    text: str
    reference: dt.date
    expected: tuple[Expected, ...]
    not_supported: str = ""
    future: bool = False
    blur: bool = False


#: The cases we read differently on purpose, each with its reason and our reading.
READINGS = Path(__file__).resolve().parent / "date_readings.toml"


def readings() -> dict[str, dict[str, Any]]:
    """Return the cases read differently on purpose: id -> {reason, ours}."""
    with READINGS.open("rb") as handle:
        data: dict[str, dict[str, Any]] = tomllib.load(handle)
    return data


def available() -> bool:
    """Whether ``../shared/corpora`` is there."""
    return ROOT.is_dir()


def day(text: str) -> dt.date:
    """The day an ISO 8601 date or date-time of a corpus begins with."""
    return dt.date.fromisoformat(text[:10])


def _maybe_day(text: object) -> dt.date | None:
    """A day of the corpus, None for an open end or a value it does not resolve."""
    try:
        return day(str(text)) if text else None
    except ValueError:
        return None


# ---------------------------------------------------------------- Recognizers-Text

_RANGE_TIMEX = re.compile(r"^\((?P<a>[^,]+),(?P<b>[^,]+),P")
_DATE_TYPES = ("datetimeV2.date", "datetimeV2.daterange")
_TIME = re.compile(r"T\d|\d:\d")


def _expected(result: dict[str, Any]) -> Expected | None:
    """The expected expression of a result, or None when it is not of date grain."""
    kind = result.get("TypeName") or result.get("Typename")
    values = result.get("Resolution", {}).get("values", [])
    if kind not in _DATE_TYPES or not values:
        return None
    readings: list[tuple[dt.date | None, dt.date | None]] = []
    mod = None
    timex = str(values[0].get("timex", ""))
    for value in values:
        if _TIME.search(json.dumps(value)):
            return None
        mod = value.get("Mod") or mod
        if value.get("type") == "date" and _maybe_day(value.get("value")) is not None:
            first = day(value["value"])
            readings.append((first, first + DAY))
        elif _maybe_day(value.get("start")) or _maybe_day(value.get("end")):
            readings.append((_maybe_day(value.get("start")), _maybe_day(value.get("end"))))
    start = int(result["Start"])
    return Expected(
        start,
        int(result["End"]) + 1,
        str(result["Text"]),
        timex,
        tuple(readings),
        mod,
        timex.startswith("("),
    )


def rt_cases(language: Literal["zh", "en"]) -> list[Case]:
    """Return the Recognizers-Text DateTimeModel cases of ``language`` whose every
    expected expression is of date grain, ids ``rt-<language>-<index in the file>``."""
    folder = "Chinese" if language == "zh" else "English"
    path = ROOT / "recognizers-text-datetime" / folder / "DateTimeModel.json"
    cases = []
    for index, raw in enumerate(json.loads(path.read_text(encoding="utf-8-sig"))):
        results = raw.get("Results") or []
        expected = [_expected(r) for r in results]
        if not results or any(e is None for e in expected):
            continue
        reference = day(raw.get("Context", {}).get("ReferenceDateTime", "2016-11-07"))
        cases.append(
            Case(
                f"rt-{language}-{index}",
                str(raw["Input"]),
                reference,
                tuple(e for e in expected if e is not None),
                str(raw.get("NotSupported", "")),
            )
        )
    return cases


_DATE_TIMEX = re.compile(r"(\d{4}|XXXX)-(\d{2})-(\d{2})")


def _impossible(expected: Expected) -> bool:
    """Whether the expected expression is a date no calendar has (February 30)."""
    if expected.readings:
        return False
    match = _DATE_TIMEX.search(expected.timex)
    if match is None:
        return False
    year = 2000 if match[1] == "XXXX" else int(match[1])  # 2000 is a leap year
    try:
        dt.date(year, int(match[2]), int(match[3]))
    except ValueError:
        return True
    return False


def _steps(after: dt.date) -> set[dt.date]:
    months = (1, 3, 12)  # the last month, quarter or year, as the corpus writes them
    return {after, after + DAY, *(after + relativedelta(months=m) for m in months)}


def judge(expected: Expected, predictions: Iterable[Prediction]) -> Verdict:
    """Judge the predictions overlapping one expected expression: the one overlapping it
    most must give one of its readings (and its mod, if it has one)."""
    overlapping = [p for p in predictions if p.start < expected.end and expected.start < p.end]
    if not overlapping:
        return "missed"
    resolved = [p for p in overlapping if not p.refused and p.first is not None]
    if not resolved:
        # An impossible date (feb 30) that the corpus does not resolve either: agreed.
        return "right" if _impossible(expected) else "refused"
    # A peer may give several readings of one text (past and future): any may agree.
    return "right" if any(_agrees(expected, p) for p in resolved) else "wrong"


#: Open ends of the same side: whether the date itself is in is a convention.
_SIDES = {"before": "before", "until": "before", "after": "after", "since": "after"}
_PARTS = ("start", "mid", "end")


def _agrees(expected: Expected, p: Prediction) -> bool:
    """Whether ``p`` gives one of the expected readings. An open end (before, since)
    must be on the same side; a part (the end of 2000, mid-November) must be the same
    part of the same TIMEX3 value, its days being each system's convention (RT: the end
    of a year is July to December, ours October to December)."""
    mod = (expected.mod or "").split("-")[0]
    ours = RT_MODS.get(p.mod or "", "")
    if mod in _SIDES:
        if p.mod is not None and _SIDES.get(ours) != _SIDES[mod]:
            return False
        bounds = {d for reading in expected.readings for d in reading if d is not None}
        return p.value == expected.timex or bool(bounds & {p.first, p.after})
    if mod in _PARTS and ours == mod:
        if p.value == expected.timex:
            return True
        for first, after in expected.readings:
            if first is not None and after is not None and p.first is not None:
                if first <= p.first < after:
                    return True
    if not expected.readings:
        return p.value == expected.timex
    for first, after in expected.readings:
        if first is None or after is None or p.first is None:
            continue
        if p.instant:
            if (after == first + DAY and p.first == first) or (first <= p.first < after):
                return True
            continue
        ends = _steps(after) if expected.is_range else {after}
        if p.first == first and p.after in ends:
            return True
    return False


# ---------------------------------------------------------------- JioNLP


def jionlp_cases() -> list[Case]:
    """Return JioNLP's time parser cases that name whole days or more (points and spans
    from midnight to 23:59:59, not durations or recurring times), ids ``jio-<index>``."""
    path = ROOT / "jionlp-time-parser-cases" / "jionlp_time_parser_cases.json"
    cases = []
    for index, raw in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        wanted = raw["expected"]
        times = wanted["time"]
        if wanted["type"] not in ("time_point", "time_span") or not raw["time_base"]:
            continue
        if not isinstance(times, list) or "inf" in " ".join(map(str, times)):
            continue
        if not (str(times[0]).endswith("00:00:00") and str(times[1]).endswith("23:59:59")):
            continue
        first, last = day(times[0]), day(times[1])
        text = str(raw["text"])
        expected = Expected(0, len(text), text, "", ((first, last + DAY),), None, False)
        cases.append(
            Case(
                f"jio-{index}",
                text,
                day(raw["time_base"]),
                (expected,),
                future=raw["option"] == "ret_future",
                blur=wanted["definition"] == "blur",
            )
        )
    return cases


def judge_whole(case: Case, predictions: Sequence[Prediction]) -> Verdict:
    """Judge a JioNLP case, whose text is one expression (or a list of days, 9月10号，
    11号): the predictions' union must be the expected span."""
    if not predictions:
        return "missed"
    if any(p.refused or p.first is None or p.after is None for p in predictions):
        return "refused"
    first = min(p.first for p in predictions if p.first is not None)
    after = max(p.after for p in predictions if p.after is not None)
    union = Prediction(0, len(case.text), first, after, instant=predictions[0].instant)
    wanted = case.expected[0]
    return "right" if _agrees(wanted, union) else "wrong"


# ---------------------------------------------------------------- ours


def ours(
    text: str, reference: dt.date, language: str | None = None, future: bool = False
) -> list[Prediction]:
    """Our scanner's reading of ``text`` as predictions (``future``: every clause is in
    the future tense, JioNLP's ``ret_future``)."""
    from timeline.dates.scan import scan

    tense = (lambda offset: True) if future else None
    predictions = []
    for found in scan(text, reference=reference, language=language, future=tense):
        when = found.when
        first = after = None
        if when is not None:
            start, end = when.start, when.end
            first = start.date() if isinstance(start, dt.datetime) else start
            after = end.date() if isinstance(end, dt.datetime) else end
            after = after or first + DAY
        refused = when is None or found.flag is not None
        predictions.append(
            Prediction(found.start, found.end, first, after, found.value, found.mod, refused)
        )
    return predictions
