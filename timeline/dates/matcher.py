"""The compiled grammar and how it reads a text: rules indexed by the token each may
begin with, matched left to right, the longest match at each place, never overlapping
(see :mod:`timeline.dates.grammar` for the files it is compiled from)."""

from __future__ import annotations

import re as stdre
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex as re


@dataclass(frozen=True)
class Rule:
    """One form of the grammar: its ``name``, its ``language``, its compiled ``regex``
    (with the boundaries of its language), the normalizer of each slot group, the
    slots it sets, whether it is anaphoric, why it is refused (None: it is a date) and its
    examples as ``(text, value)`` pairs (``(text, value, first/last)`` for a period, whose
    value is a duration); a ``cased`` rule takes the grammar's cased words
    (may, march) only with a capital. ``quick`` is ``regex`` without its slots, compiled by
    Python's own engine, which tells faster whether the rule matches."""

    name: str
    language: str
    regex: re.Pattern[str]
    norms: Mapping[str, str]
    fixed: Mapping[str, Any]
    anaphoric: bool
    refuse: str | None
    flag: str | None
    cased: bool
    examples: tuple[tuple[str, ...], ...]
    quick: stdre.Pattern[str]
    unjoined: str | None = None


@dataclass(frozen=True)
class Match:
    """A rule matched at ``folded[start:end]`` (the span of its ``core`` group, when the
    rule has one: words such as since or 截至 are read but left out of the expression);
    ``slots`` holds each captured slot's text; ``folded[begin:reach]`` is all it read."""

    rule: Rule
    start: int
    end: int
    slots: dict[str, str] = field(default_factory=dict)
    begin: int = 0
    reach: int = 0


@dataclass(frozen=True)
class Grammar:
    """The rules of one or more languages, in the order of their files, indexed by the
    first token each may begin with (a word of letters, a digit, any other character), so
    that a text is read token by token and only where some rule may start."""

    rules: tuple[Rule, ...]
    reference: Mapping[str, Any]
    table: Mapping[int, int | str]
    words: Mapping[str, Mapping[str, Any]]
    cased: frozenset[str]
    starts: Mapping[str, tuple[Rule, ...]]
    tokens: stdre.Pattern[str]
    joins: tuple[Mapping[str, Any], ...] = ()
    lists: tuple[Mapping[str, Any], ...] = ()
    mods: tuple[Mapping[str, Any], ...] = ()
    _checks: dict[int, stdre.Pattern[str]] = field(default_factory=dict)

    def fold(self, text: str) -> str:
        """Return ``text`` folded for matching; ``len`` and every offset stay the same."""
        return text.translate(self.table)

    def matches(
        self, original: str, folded: str | None = None, end: int | None = None
    ) -> Iterator[Match]:
        """Yield the expressions of ``original`` (folded: ``folded``) left to right,
        never overlapping, up to ``end``: at each place where a rule matches, the longest
        match (the earlier rule on a tie); of two that overlap, the one whose date is
        longer (the earlier on a tie: since 2018 holds 2018; about 2019 gives way to
        2019/aug/01). A word of ``cased`` (may, march) counts only when the original
        writes it with a capital."""
        folded = self.fold(original) if folded is None else folded
        chosen: Match | None = None
        reach = 0
        for found in self._candidates(original, folded, len(folded) if end is None else end):
            if chosen is not None and found.start < reach:
                if found.end - found.start > chosen.end - chosen.start:
                    chosen, reach = found, found.reach
                continue
            if chosen is not None:
                yield chosen
            chosen, reach = found, found.reach
        if chosen is not None:
            yield chosen

    def _candidates(self, original: str, folded: str, stop: int) -> Iterator[Match]:
        """The longest match at each token where a rule matches (overlapping ones too)."""
        starts, checks = self.starts, self._checks
        covered = 0
        for token in self.tokens.finditer(folded, 0, stop):
            at = token.start()
            word = token.group()
            rules = starts.get(word if word[0] > "9" else word[0])
            if rules is None:
                continue
            # One expression of all the rules that may start here tells whether any does.
            check = checks.get(id(rules)) or self._check(rules)
            if check.match(folded, at, stop) is None:
                continue
            best: tuple[Rule, int] | None = None
            for rule in rules:
                quick = rule.quick.match(folded, at, stop)
                if quick is None or (best is not None and quick.end() <= best[1]):
                    continue
                if rule.cased and not self._cased(original, rule.regex.match(folded, at, stop)):
                    continue
                best = (rule, quick.end())
            if best is None or best[1] == at or best[1] <= covered:
                continue
            rule = best[0]
            match = rule.regex.match(folded, at, stop)
            assert match is not None
            covered = match.end()
            groups = match.groupdict()
            slots = {k: v for k, v in groups.items() if v is not None and k != "core"}
            first, last = match.span("core") if groups.get("core") is not None else match.span()
            yield Match(rule, first, last, slots, at, match.end())

    def _check(self, rules: tuple[Rule, ...]) -> stdre.Pattern[str]:
        """Compile, once, the expression of all ``rules`` (the tuples of ``starts``)."""
        check = stdre.compile("|".join(rule.quick.pattern for rule in rules))
        self._checks[id(rules)] = check
        return check

    def _cased(self, original: str, match: re.Match[str] | None) -> bool:
        if match is None:
            return False
        for name, text in match.groupdict().items():
            if text is not None and text in self.cased and name != "core":
                if original[match.start(name)].islower():
                    return False
        return True
