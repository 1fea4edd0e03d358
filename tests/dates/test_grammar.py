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
    (rule.language, rule.name, example[0], example[1], example[2:])
    for rule in GRAMMAR.rules
    for example in rule.examples
]


def test_every_rule_has_an_example() -> None:
    missing = [r.name for r in GRAMMAR.rules if not r.examples and r.refuse is None]
    assert missing == []


def test_there_are_many_examples() -> None:
    assert len(EXAMPLES) > 300


@pytest.mark.parametrize(
    ("language", "rule", "text", "expected", "span"),
    EXAMPLES,
    ids=[f"{lang}:{text}" for lang, _, text, _, _ in EXAMPLES],
)
def test_example(language: str, rule: str, text: str, expected: str, span: tuple[str, ...]) -> None:
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
    if span:  # a period: its value is a duration, its days these
        when = found[0].when
        assert when is not None and isinstance(when.end, datetime.date)
        last = when.end - datetime.timedelta(days=1)
        assert f"{when.start}/{last}" == span[0]


COMBINED_EXAMPLES = [
    (kind, list(example), GRAMMAR.reference[language])
    for language in ("any", "zh", "en")
    for kind in ("joins", "lists", "mods")
    for spec in grammar._read(language).get(kind, ())
    for example in spec.get("examples", ())
]


def test_every_join_list_and_mod_has_an_example() -> None:
    for language in ("any", "zh", "en"):
        data = grammar._read(language)
        for kind in ("joins", "lists", "mods"):
            assert all("examples" in spec for spec in data.get(kind, ())), (language, kind)


@pytest.mark.parametrize(
    ("kind", "example", "reference"),
    COMBINED_EXAMPLES,
    ids=[f"{kind}:{example[0]}" for kind, example, _ in COMBINED_EXAMPLES],
)
def test_combined_example(kind: str, example: list[str], reference: datetime.date) -> None:
    text, value, *mod = example
    found = scan(text, reference=reference)
    last = found[-1]
    assert (last.value, last.mod, last.flag) == (value, mod[0] if mod else None, None), found
    if kind == "joins":
        assert len(found) == 1 and (found[0].start, found[0].end) == (0, len(text)), found
