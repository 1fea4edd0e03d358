"""Language tags (BCP 47) of event texts: checking, canonical case, lookup, names."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

# RFC 5646 §2.1, the forms events use: language (2-3 letters, or 4-8 registered ones),
# up to 3 extended language subtags, script, region, variants, extensions, private use.
# Grandfathered tags (i-klingon) are refused; their preferred values are accepted.
_TAG = re.compile(
    r"""
    (?P<language>[a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})
    (-(?P<script>[a-z]{4}))?
    (-(?P<region>[a-z]{2}|[0-9]{3}))?
    (-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
    (-[0-9a-wy-z](-[a-z0-9]{2,8})+)*
    (-x(-[a-z0-9]{1,8})+)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: The longest tag stored (RFC 5646 §4.4.1 asks for at least 35 characters).
MAX_TAG = 35
#: Each language named in itself, to mark a text shown in another language than asked.
AUTONYMS = {"en": "English", "zh": "中文", "fr": "Français", "de": "Deutsch", "ja": "日本語"}


class LanguageTagError(ValueError):
    """Text that is not a well-formed BCP 47 language tag; the message quotes it."""


@functools.lru_cache(maxsize=1024)  # the same few tags come with every event of an import
def canonical_tag(tag: str) -> str:
    """Return the BCP 47 tag ``tag`` in its canonical case (RFC 5646 §2.1.1): language
    lowercase, script title case, region uppercase (``ZH-hant-tw`` → ``zh-Hant-TW``).

    Raises LanguageTagError for anything that is not a well-formed tag (RFC 5646 §2.1)
    of at most :data:`MAX_TAG` characters.
    """
    match = _TAG.fullmatch(tag) if tag.isascii() and len(tag) <= MAX_TAG else None
    if match is None:
        raise LanguageTagError(f"{tag!r} is not a BCP 47 language tag (such as en, zh, zh-Hant)")
    subtags = tag.lower().split("-")
    out = [subtags[0]]
    for index, subtag in enumerate(subtags[1:], start=1):
        if subtags[index - 1] == "x" or any(len(s) == 1 for s in subtags[:index]):
            out.append(subtag)  # extensions and private use keep lowercase
        elif len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())
        elif len(subtag) == 2 and subtag.isalpha():
            out.append(subtag.upper())
        else:
            out.append(subtag)
    return "-".join(out)


def lookup(requested: str, available: Iterable[str]) -> str | None:
    """Return the tag of ``available`` that ``requested`` asks for by RFC 4647 §3.4
    Lookup (case-insensitive; ``zh-Hant-TW`` is answered by ``zh-Hant-TW``, then
    ``zh-Hant``, then ``zh``), or None when none of its prefixes is available."""
    by_key = {tag.lower(): tag for tag in available}
    subtags = requested.lower().split("-")
    while subtags:
        found = by_key.get("-".join(subtags))
        if found is not None:
            return found
        subtags.pop()
        if subtags and len(subtags[-1]) == 1:  # never end on a singleton (RFC 4647 §3.4)
            subtags.pop()
    return None


def text_in(value: str | Mapping[str, str], lang: str | None, default: str) -> str:
    """Return a configured text in the language ``lang`` (BCP 47 Lookup), else in
    ``default`` (the configured LANGUAGE), else its first: ``value`` is a table of text
    by language tag, or one text for every language."""
    if isinstance(value, str):
        return value
    for wanted in (lang, default):
        found = lookup(wanted, value) if wanted is not None else None
        if found is not None:
            return value[found]
    return next(iter(value.values()), "")


def autonym(tag: str) -> str:
    """Return the language's name in itself (``zh`` → ``中文``), by its primary subtag;
    the tag itself when the name is not known."""
    return AUTONYMS.get(tag.split("-")[0].lower(), tag)


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Kana and Hangul: Japanese and Korean, which Han characters alone would take for Chinese.
_KANA_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=4096)
def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


def script_language(text: str) -> str | None:
    """Return the language that the script of ``text`` tells: ``zh`` for Han characters,
    ``en`` for Latin letters, None when unsure: no letters, kana or Hangul (Japanese,
    Korean), other scripts, or both Han and Latin without one of them at least twice as
    present as the other (a Han character and a Latin word count one each:
    ``OpenAI发布GPT-4.5模型`` is ``zh``, ``Meeting with 李明 about the budget`` ``en``,
    ``Trade fair 展会`` unsure)."""
    if _KANA_HANGUL.search(text):
        return None
    han = len(_HAN.findall(text))
    latin = other = 0
    for word in _WORD.findall(_HAN.sub(" ", text)):
        # An ASCII word (letters only, by _WORD) is Latin: no lookup of each letter.
        if word.isascii() or all(map(_is_latin, word)):
            latin += 1
        else:
            other += 1
    if other or not (han or latin):
        return None
    if han >= 2 * latin:
        return "zh"
    if latin >= 2 * han:
        return "en"
    return None
