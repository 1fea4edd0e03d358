"""The grammar of dates as data: word tables, pattern fragments and rules read from
``timeline/dates/grammar/<language>.toml`` and compiled into one matcher.

A language file holds, after HeidelTime's ``resources/<language>/`` (repattern,
normalization, rules):

- ``[words.<table>]``: words and their values (``january = 1``, ``yesterday = -1``); a
  table is also a fragment that matches any of its words, longest first;
- ``[fragments]``: named pieces of regular expression (``day = { re = '...', norm =
  'ordinal' }``) that rules and other fragments insert as ``{name}``;
- ``[[rules]]``: one form each, ``match`` a regular expression built from fragments, where
  ``{slot=name}`` captures the fragment's text into a slot of the reading (``{month=
  month}``) and ``{name:2}`` renames the slots inside a fragment with a ``2`` (the end of a
  range); ``set`` gives slots fixed values, ``anaphoric`` marks a form counted from another
  date of the text, ``refuse`` a text that is not a date (a name such as 今日头条), and
  ``examples`` lists ``[text, TIMEX3 value]`` pairs read against the file's
  ``reference`` day (the examples are tests).

Text is matched folded (:meth:`timeline.dates.matcher.Grammar.fold`): full-width forms as
ASCII, ASCII letters in lower case, traditional characters of dates as simplified ones;
the folding keeps every offset.
"""

from __future__ import annotations

import functools
import re as stdre
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import regex as re

from timeline.dates import numbers
from timeline.dates.matcher import Grammar, Rule

#: The grammar files read when no language is given: numeric forms, Chinese, English.
LANGUAGES = ("any", "zh", "en")
#: The normalizers a fragment may name: how a slot's text becomes its value.
NORMS: dict[str, Callable[[str], int | str]] = {
    "int": int,
    "zh": numbers.zh_int,
    "zh_digits": numbers.zh_digits,
    "en": numbers.en_int,
    "ordinal": numbers.ordinal,
    "lunar_day": numbers.lunar_day,
    "era_year": numbers.era_year,
    "en_year": numbers.en_year,
    "text": str,
}
#: The slots a rule may fill (see :mod:`timeline.dates.frames`); a ``2`` after a name is
#: the same slot at the end of a range.
SLOTS = frozenset(
    """year yy year_shift month month_shift day day_shift weekday week_shift weeknum
    quarter quarter_shift half half_shift season season_shift decade decade_yy century part
    nth unit count sign span head holiday ref mod approx event hour minute second ampm period
    half_hour quarter_hour tz beijing lunar leap vague lead trail edge century_shift
    weeks week_of era era_year""".split()
)
_REFERENCE = re.compile(
    r"\{(?:(?P<slot>[a-z_][a-z_0-9]*)=)?(?P<name>[a-z_][a-z_0-9]*)(?::(?P<suffix>[0-9]))?\}"
)
# Tokens of folded text: a word of letters, a number, or any other visible character.
_TOKEN = stdre.compile(r"[a-z]+|[0-9]+|[^\sa-z0-9]")
_UNNAMED = stdre.compile(r"\(\?P<[a-z_0-9]+>")
# A word no rule names: a rule that may begin with it may begin anywhere.
_NOWHERE = ("qzxjvk", "\u4e02")
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_SPACES = {c: 0x20 for c in (0x3000, 0x00A0, 0x2009, 0x202F)}


class GrammarError(ValueError):
    """A language file that does not compile: the message names the file and the rule."""


def _words_pattern(table: Mapping[str, Any]) -> str:
    keys = sorted(table, key=lambda k: (-len(k), k))
    return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)


class _Compiler:
    """Expands the fragments of one language file."""

    def __init__(self, language: str, data: Mapping[str, Any]) -> None:
        self.language = language
        self.words: dict[str, dict[str, Any]] = dict(data.get("words", {}))
        self.fragments: dict[str, tuple[str, str | None]] = {}
        for name, table in self.words.items():
            self.fragments[name] = (_words_pattern(table), f"words:{name}")
        for name, value in data.get("fragments", {}).items():
            if isinstance(value, str):
                self.fragments[name] = (value, None)
            else:
                self.fragments[name] = (value["re"], value.get("norm"))

    def expand(self, pattern: str, norms: dict[str, str], suffix: str, depth: int = 0) -> str:
        if depth > 8:
            raise GrammarError(f"{self.language}: fragments nest too deep in {pattern!r}")

        def replace(match: re.Match[str]) -> str:
            name, slot = match["name"], match["slot"]
            if name not in self.fragments:
                raise GrammarError(f"{self.language}: unknown fragment {{{name}}}")
            inner, norm = self.fragments[name]
            body = self.expand(inner, norms, suffix + (match["suffix"] or ""), depth + 1)
            if slot is None:
                return f"(?:{body})"
            base = slot.rstrip("0123456789")
            if base not in SLOTS:
                raise GrammarError(f"{self.language}: unknown slot {slot!r}")
            group = f"{slot}{suffix}"
            # A slot may be captured in several branches, always read the same way.
            if norms.setdefault(group, norm or "text") != (norm or "text"):
                raise GrammarError(f"{self.language}: slot {group!r} is read two ways")
            return f"(?P<{group}>{body})"

        return _REFERENCE.sub(replace, pattern)


def _rule(compiler: _Compiler, data: Mapping[str, Any], spec: Mapping[str, Any]) -> Rule:
    name = spec["name"]
    norms: dict[str, str] = {}
    try:
        body = compiler.expand(spec["match"], norms, "")
        before = spec.get("before", data.get("before", ""))
        after = spec.get("after", data.get("after", ""))
        regex = re.compile(f"{before}(?:{body}){after}")
        quick = stdre.compile(_UNNAMED.sub("(?:", regex.pattern))
    except (GrammarError, re.error, stdre.error, KeyError) as error:
        raise GrammarError(f"{compiler.language}: rule {name!r}: {error}") from None
    fixed = dict(spec.get("set", {}))
    for slot in fixed:
        if slot.rstrip("0123456789") not in SLOTS:
            raise GrammarError(f"{compiler.language}: rule {name!r} sets unknown slot {slot!r}")
    examples = tuple(tuple(str(part) for part in e) for e in spec.get("examples", ()))
    return Rule(
        name,
        compiler.language,
        regex,
        norms,
        fixed,
        bool(spec.get("anaphoric", False)),
        spec.get("refuse"),
        spec.get("flag"),
        bool(spec.get("cased", False)),
        examples,
        quick,
        spec.get("unjoined"),
    )


def _source(language: str) -> str:
    path = resources.files("timeline.dates").joinpath("grammar", f"{language}.toml")
    return path.read_text(encoding="utf-8")


def _read(language: str) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(_source(language))
    return data


@functools.cache
def load(languages: tuple[str, ...] = LANGUAGES) -> Grammar:
    """Return the compiled grammar of ``languages`` (codes of LANGUAGES), rules of the
    first language first. Raises GrammarError for a file that does not compile."""
    rules: list[Rule] = []
    table: dict[int, int | str] = {**_FULL_WIDTH, **_SPACES}
    table |= {c: c + 32 for c in range(0x41, 0x5B)}
    references: dict[str, Any] = {}
    words: dict[str, dict[str, Any]] = {}
    cased: set[str] = set()
    tokens = set("0123456789")
    joins: list[Mapping[str, Any]] = []
    lists: list[Mapping[str, Any]] = []
    mods: list[Mapping[str, Any]] = []
    for language in languages:
        data = _read(language)
        tokens.update(_TOKEN.findall(stdre.sub(r"\\[a-zA-Z]", " ", _source(language)).lower()))
        compiler = _Compiler(language, data)
        references[language] = data.get("reference")
        cased.update(data.get("cased", ()))
        joins.extend(data.get("joins", ()))
        lists.extend(data.get("lists", ()))
        mods.extend(data.get("mods", ()))
        for key, value in compiler.words.items():
            words[f"{language}:{key}"] = value
        for traditional, simplified in data.get("fold", {}).items():
            if len(traditional) != 1 or len(simplified) != 1:
                raise GrammarError(f"{language}: fold maps one character to one character")
            table[ord(traditional)] = ord(simplified)
        rules.extend(_rule(compiler, data, spec) for spec in data.get("rules", ()))
    starts = _starts(rules, tokens)
    return Grammar(
        tuple(rules),
        references,
        table,
        words,
        frozenset(cased),
        starts,
        _tokens(starts),
        tuple(joins),
        tuple(lists),
        tuple(mods),
    )


def _starts(rules: list[Rule], tokens: set[str]) -> dict[str, tuple[Rule, ...]]:
    """Index ``rules`` by the tokens they may begin with: each candidate token (a word or
    character of the grammar files, a digit) is tried as the start of a match (the regex
    module's partial matching); a rule that may begin with a word no file names is put
    under every token."""
    everywhere = [r for r in rules if any(r.regex.match(w, partial=True) for w in _NOWHERE)]
    index: dict[str, list[Rule]] = {}
    for token in tokens:
        for rule in rules:
            if any(rule is r for r in everywhere) or rule.regex.match(token, partial=True):
                index.setdefault(token, []).append(rule)
    shared: dict[tuple[str, ...], tuple[Rule, ...]] = {}
    starts = {}
    for token, found in index.items():
        key = tuple(f"{rule.language}:{rule.name}" for rule in found)
        starts[token] = shared.setdefault(key, tuple(found))
    return starts


def _tokens(starts: Mapping[str, tuple[Rule, ...]]) -> stdre.Pattern[str]:
    """Return the expression of the tokens where a rule may start: words, numbers, and
    the other characters some rule begins with (the rest of a Chinese text is skipped)."""
    others = sorted(t for t in starts if len(t) == 1 and not (t.isascii() and t.isalnum()))
    return stdre.compile(r"[a-z]+|[0-9]+|[" + "".join(stdre.escape(c) for c in others) + "]")


def normalize(rule: Rule, slot: str, text: str, grammar: Grammar) -> int | str:
    """Return the value of ``text`` captured in ``slot`` by ``rule``: through the rule's
    word table or its normalizer. Raises ValueError for text it cannot read."""
    norm = rule.norms[slot]
    if norm.startswith("words:"):
        table = grammar.words[f"{rule.language}:{norm[6:]}"]
        key = " ".join(text.split())
        if key not in table:
            raise ValueError(f"{text!r} is not in the table {norm[6:]}")
        value: int | str = table[key]
        return value
    return NORMS[norm](text)
