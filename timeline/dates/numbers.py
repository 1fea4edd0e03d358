"""Numbers as dates write them: Chinese numerals, English number and ordinal words, digits."""

import re

_ZH_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "俩": 2}
# 首 (first) is a number where the grammar lets it be one: 首月, 首季度.
_ZH_FIRST = {"首": 1}
_ZH_TENS = re.compile(
    r"(?:(?P<h>[一二两三四五六七八九])百零?)?"
    r"(?:(?P<t>[一二两三四五六七八九])?(?P<ten>十)|(?P<twenty>廿)|(?P<thirty>卅))?"
    r"(?P<u>[一二三四五六七八九])?"
)
_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_EN_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth".split()

#: Cardinal English words (``one`` to ``ninety-nine``, ``a``, ``an``) and their values.
EN_CARDINALS: dict[str, int] = {w: i for i, w in enumerate(_EN_UNITS)} | {"a": 1, "an": 1}
#: Ordinal English words (``first`` to ``fifty-ninth``) and their values.
EN_ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_EN_ORDINAL_UNITS) if i}
for _tens, _word in enumerate(_EN_TENS):
    EN_CARDINALS[_word] = 20 + 10 * _tens
    for _unit in range(1, 10):
        for _joint in ("-", " "):
            EN_CARDINALS[f"{_word}{_joint}{_EN_UNITS[_unit]}"] = 20 + 10 * _tens + _unit
for _tens, _word in enumerate(_EN_ORDINAL_TENS):
    EN_ORDINALS[_word] = 20 + 10 * _tens
    for _unit in range(1, 10):
        for _joint in ("-", " "):
            EN_ORDINALS[f"{_EN_TENS[_tens]}{_joint}{_EN_ORDINAL_UNITS[_unit]}"] = (
                20 + 10 * _tens + _unit
            )
_SUFFIXED = re.compile(r"(\d+)\s*(?:st|nd|rd|th)", re.ASCII)


def zh_int(text: str) -> int:
    """Return the value of a Chinese numeral (or of ASCII digits): a single digit (三 3),
    or a number with 十, 廿, 卅 and 百 (十五 15, 二十一 21, 廿一 21, 一百零五 105). Raises
    ValueError for a run that is none of these, such as 两三 (two or three) or 二十十;
    years written digit by digit are :func:`zh_digits`."""
    if not text:
        raise ValueError("cannot read an empty number")
    if text.isascii():
        return int(text)
    if not any(c in text for c in "十百廿卅"):
        # Two digits side by side are a vague count (两三天: two or three days), not 23.
        if len(text) == 1 and text in _ZH_DIGITS:
            return _ZH_DIGITS[text]
        if text in _ZH_FIRST:
            return _ZH_FIRST[text]
        raise ValueError(f"cannot read the Chinese number {text!r}")
    parts = _ZH_TENS.fullmatch(text)
    if parts is None:
        raise ValueError(f"cannot read the Chinese number {text!r}")
    hundreds = _ZH_DIGITS[parts["h"]] if parts["h"] else 0
    tens = 0
    if parts["ten"]:
        tens = _ZH_DIGITS[parts["t"]] if parts["t"] else 1
    elif parts["twenty"]:
        tens = 2
    elif parts["thirty"]:
        tens = 3
    units = _ZH_DIGITS[parts["u"]] if parts["u"] else 0
    return hundreds * 100 + tens * 10 + units


def zh_digits(text: str) -> int:
    """Return the value of a number written digit by digit (二〇二五 2025, 零八 8, 2025)."""
    if text.isascii():
        return int(text)
    if all(c in _ZH_DIGITS for c in text):
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    raise ValueError(f"cannot read the Chinese number {text!r}")


def en_int(text: str) -> int:
    """Return the value of an English count: digits, or a number word (three, twenty-one,
    a, an). Raises ValueError for anything else."""
    words = " ".join(text.lower().split())
    if words.isdigit():
        return int(words)
    if words in EN_CARDINALS:
        return EN_CARDINALS[words]
    raise ValueError(f"cannot read the number {text!r}")


def ordinal(text: str) -> int:
    """Return the value of an ordinal or a plain day number: 1st, 22nd, first,
    twenty-second, twenty second, 17 (as a day), 十七 (Chinese). Raises ValueError."""
    words = " ".join(text.lower().split())
    if words.isdigit():
        return int(words)
    if (match := _SUFFIXED.fullmatch(words)) is not None:
        return int(match[1])
    if words in EN_ORDINALS:
        return EN_ORDINALS[words]
    if words in EN_CARDINALS and words not in ("a", "an"):
        return EN_CARDINALS[words]
    return zh_int(words)


def lunar_day(text: str) -> int:
    """Return the day of a lunar date (初一 1, 十五 15, 廿一 21, 三十 30, 15)."""
    return zh_int(text[1:] if text.startswith("初") else text)


def era_year(text: str) -> int:
    """Return the year of an era (元年 1, 三年 3, 114年 114)."""
    return 1 if text == "元" else zh_int(text)


def en_year(text: str) -> int:
    """Return a year written in words: two thousand and fifteen 2015, two thousand 2000,
    nineteen ninety six 1996, nineteen oh five 1905, seventeen hundred thirty three 1733,
    twenty twenty 2020."""
    words = " ".join(text.lower().replace("-", " ").split()).replace(" and ", " ")
    if words.startswith(("one thousand", "two thousand")):
        head, _, rest = words.partition(" thousand")
        return EN_CARDINALS[head] * 1000 + (en_int(rest.strip()) if rest.strip() else 0)
    head, _, rest = words.partition(" ")
    hundreds = EN_CARDINALS[head] * 100
    rest = rest.removeprefix("hundred").strip()
    if rest.startswith("oh "):
        return hundreds + EN_CARDINALS[rest[3:]]
    return hundreds + (en_int(rest) if rest else 0)
