"""The cases of the date corpora of ../shared/corpora, read by the scanner as tests (as
Duckling's corpus is its test suite): Recognizers-Text DateTime (Chinese and English)
and JioNLP's time parser cases that name whole days or more, and TempEval-3 platinum.

A case is read as the corpus reads it, or as bench/date_readings.toml lists it: read
differently on purpose (our reading is checked, the reason is there), or not read yet
(it must then be missed or refused, never wrong; reading it makes the list stale and
the test fail). Without ../shared the tests are skipped and say why; under CI=true they
fail instead."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pytest

from bench import corpora, te3
from bench.corpora import Case, Prediction

AVAILABLE = corpora.available()
SKIP = pytest.mark.skipif(
    not AVAILABLE and not os.environ.get("CI"), reason=f"no corpora at {corpora.ROOT}"
)
READINGS: dict[str, dict[str, Any]] = corpora.readings()


def _cases(kind: str) -> list[Any]:
    if not AVAILABLE:
        return [pytest.param(None, id="no-corpora")]
    cases = corpora.jionlp_cases() if kind == "jionlp" else corpora.rt_cases(kind)  # type: ignore[arg-type]
    return [pytest.param(case, id=case.id) for case in cases]


def _verdict(case: Case, predictions: Sequence[Prediction]) -> str:
    if case.id.startswith("jio-"):
        return corpora.judge_whole(case, predictions)
    verdicts = [corpora.judge(e, predictions) for e in case.expected]
    return next((v for v in ("wrong", "refused", "missed") if v in verdicts), "right")


def _ours(case: Case, predictions: Sequence[Prediction]) -> str:
    """Our reading as bench/date_readings.toml writes it."""
    if case.id.startswith("jio-"):
        return "/".join(p.value for p in predictions)
    first = case.expected[0]
    over = [p for p in predictions if p.start < first.end and first.start < p.end]
    return over[0].value if over else ""


def _check(case: Case | None) -> None:
    if case is None:
        pytest.fail(f"no corpora at {corpora.ROOT} (CI has them)")
    language = "zh" if case.id.startswith("jio-") else None
    predictions = corpora.ours(case.text, case.reference, language, future=case.future)
    verdict = _verdict(case, predictions)
    listed = READINGS.get(case.id)
    said = (
        f"{case.id} {case.text!r} ({case.reference}): {verdict}, ours {_ours(case, predictions)!r}"
    )
    if listed is None:
        assert verdict == "right", said
    elif listed["kind"] == "on purpose":
        assert verdict != "right", f"{said}: read as the corpus does, remove it from the list"
        assert _ours(case, predictions) == listed["ours"], said
    else:
        assert verdict in ("missed", "refused"), f"{said}: listed as not read yet"


@SKIP
@pytest.mark.parametrize("case", _cases("zh"))
def test_recognizers_text_chinese(case: Case | None) -> None:
    _check(case)


@SKIP
@pytest.mark.parametrize("case", _cases("en"))
def test_recognizers_text_english(case: Case | None) -> None:
    _check(case)


@SKIP
@pytest.mark.parametrize("case", _cases("jionlp"))
def test_jionlp(case: Case | None) -> None:
    _check(case)


@SKIP
def test_every_listed_case_is_a_case_of_the_corpora() -> None:
    assert AVAILABLE, f"no corpora at {corpora.ROOT} (CI has them)"
    ids = {c.id for c in corpora.rt_cases("zh") + corpora.rt_cases("en")}
    ids |= {c.id for c in corpora.jionlp_cases()}
    assert sorted(set(READINGS) - ids) == []
    assert {r["kind"] for r in READINGS.values()} <= {"on purpose", "not read"}
    assert all(r["reason"].strip() for r in READINGS.values())


@SKIP
def test_tempeval3_platinum_value_f1_is_at_least_090() -> None:
    assert AVAILABLE, f"no corpora at {corpora.ROOT} (CI has them)"
    documents = te3.documents()
    assert (len(documents), sum(t.type == "DATE" for d in documents for t in d.timexes)) == (20, 96)
    scores = te3.score(documents, {d.id: te3.ours(d) for d in documents})
    assert scores.f1(scores.value) >= 0.90, scores.as_dict()
    assert scores.f1(scores.relaxed) >= 0.95, scores.as_dict()
