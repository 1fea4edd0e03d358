"""The grammar's own examples: each rule of timeline/dates/grammar/*.toml lists texts with
the TIMEX3 value they must read as (or ``!`` and the words of the refusal), read against
its file's reference day; each is a test, as Duckling's corpus is."""

from __future__ import annotations

import datetime

import pytest

from timeline.dates import grammar
from timeline.dates.scan import scan

GRAMMAR = grammar.load(("any", "zh", "en"))
EXAMPLES = [
    (rule.language, rule.name, text, expected)
    for rule in GRAMMAR.rules
    for text, expected in rule.examples
]


def test_every_rule_has_an_example() -> None:
    missing = [r.name for r in GRAMMAR.rules if not r.examples and r.refuse is None]
    assert missing == []


def test_there_are_many_examples() -> None:
    assert len(EXAMPLES) > 300


@pytest.mark.parametrize(
    ("language", "rule", "text", "expected"),
    EXAMPLES,
    ids=[f"{lang}:{text}" for lang, _, text, _ in EXAMPLES],
)
def test_example(language: str, rule: str, text: str, expected: str) -> None:
    reference = GRAMMAR.reference[language]
    assert isinstance(reference, datetime.date)
    found = scan(text, reference=reference)
    cored = any(
        "(?P<core>" in r.regex.pattern
        for r in GRAMMAR.rules
        if (r.language, r.name) == (language, rule)
    )
    if cored:  # since 2018, 截至2024年底: the signal word is read but left out
        assert len(found) == 1 and found[0].text in text, (rule, found)
    else:
        assert [(f.start, f.end) for f in found] == [(0, len(text))], (rule, found)
    if expected.startswith("!"):
        assert found[0].flag is not None and expected[1:] in found[0].flag, found[0]
        assert found[0].when is None and found[0].value == ""
    else:
        assert (found[0].value, found[0].flag) == (expected, None), (rule, found[0])
        assert found[0].when is not None or expected.endswith("_REF")
