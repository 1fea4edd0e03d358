"""Date expressions in article text, Chinese and English: where they are and what kind of
reference they make (a date, a day counted from another event, a phase of a named event),
and the ones that are not event dates (cut-offs, periods since, captions)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from dateutil import parser as dateutil_parser

Kind = Literal["date", "year", "after", "few_after", "immediate", "relative", "anchored"]

_KINDS: tuple[Kind, ...] = (
    "anchored",
    "few_after",
    "after",
    "immediate",
    "relative",
    "date",
    "year",
)
_N = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
_Y = r"(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4}|[去今明前])年"
_M = rf"{_N}月份?"
_ZH_DATE = (
    rf"(?:{_Y})?{_M}(?:{_N}[日号]?[至到~\-–—](?:{_M})?{_N}[日号]|{_N}[日号]|上旬|中旬|下旬|初|底|末)?"
    r"(?:[,，、]?为期(?:[0-9]+|[一二两三四五六七八九十]+)天)?"
)
_ZH_YEAR = rf"{_Y}(?:上半年|下半年|初|底|末|第?[一二三四1-4]季度)?"
_WEEKDAY = r"(?:周|星期|礼拜)[一二三四五六日天1-7]"
_ZH_WEEK = rf"(?:[上下本这]个?)?{_WEEKDAY}|[上下本这]个?(?:周|星期)(?![一二三四五六日天1-7末])"
_NOUNS = (
    "就职典礼|就职|峰会|会议|大会|论坛|比赛|赛事|展会|博览会|运动会|马拉松|开幕式|闭幕式|典礼"
    "|仪式|奥运会|世博会|选举|活动"
)
_ZH = re.compile(
    rf"""
    (?P<anchored>(?:(?P<noun>{_NOUNS})(?P<phase>开幕|闭幕|结束|开始|举行|召开)?|(?P<phase2>开幕|闭幕))
        (?P<rel>当天|当日|次日|第二天|前一天|前夕|期间|时|后))
  | (?P<few_after>(?:几|数)(?:天|日)(?:之|以)?后)
  | (?P<after>(?P<n>[0-9]{{1,3}}|[一二两三四五六七八九十]{{1,3}})(?P<unit>天|日)(?:之|以)?后)
  | (?P<immediate>第一时间)
  | (?P<relative>当天|当日|同日|同一天|次日|翌日|第二天)
  | (?P<date>(?<![0-9０-９]){_ZH_DATE}
      | (?:昨|前)[天日]|今天|明天
      | {_ZH_WEEK}
      | (?:[0-9]{{1,3}}|[一二两三四五六七八九十]{{1,3}})(?:天|周|个星期|个月|年)(?:之|以)?前)
  | (?P<year>(?<![0-9０-９]){_ZH_YEAR})
    """,
    re.VERBOSE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYNAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_EN_NOUNS = r"summit|conference|meeting|games|tournament|festival|talks|inauguration|election"
_EN = re.compile(
    rf"""
    (?P<anchored>(?P<rel>the\ day\ after|the\ day\ before|during|at\ the\ (?:close|end|opening)\ of
        |on\ the\ (?:first|last|closing|opening)\ day\ of)\ the\ (?P<noun>{_EN_NOUNS})
      | (?P<noun2>inauguration)\ day)
  | (?P<few_after>(?:a\ few|several)\ days\ later)
  | (?P<after>(?P<n>\d{{1,3}}|two|three|four|five|six|seven|ten)\ days\ later)
  | (?P<relative>the\ (?:next|following|same)\ day)
  | (?P<date>\b(?:(?:{_DAYNAME}),?\ )?
        (?:{_MONTH}\ \d{{1,2}}(?:st|nd|rd|th)?(?:\ ?[-–]\ ?\d{{1,2}})?(?:,?\ \d{{4}})?
          | \d{{1,2}}(?:\ ?[-–]\ ?\d{{1,2}})?\ {_MONTH}(?:\ \d{{4}})?
          | (?:early|mid|late)[-\ ]{_MONTH}(?:\ \d{{4}})?
          | {_MONTH}\ \d{{4}}
          | Q[1-4]\ \d{{4}})\b
      | \b(?:yesterday|today|(?:last|next|this)\ (?:{_DAYNAME}|week|month))\b
      | \bon\ {_DAYNAME}\b
      | \b\d{{1,3}}\ (?:days|weeks|months|years)\ ago\b)
  | (?P<year>\b(?:(?<=in\ )\d{{4}}|(?:last|this|next)\ year)\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Before a date: a cut-off of figures (截至7月27日, as of July 27), not an event.
_CUTOFF = re.compile(r"(?:截至|截止到?|到|as of|through|until)\s?$", re.IGNORECASE)
# After a date: a period that began then (今年以来, since), not an event.
_SINCE = re.compile(r"^(?:以来|来|起至今)")
_SINCE_BEFORE = re.compile(r"(?:自|从|since)\s?$", re.IGNORECASE)
_CAPTION = re.compile(r"^(?:这是|图为|图片为|This (?:photo|picture) (?:shows|was taken))|摄）$")
_DATELINE_ZH = re.compile(
    r"^[^\n。]{0,30}?(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:电|讯|[ \t]*$)", re.M
)
_DATELINE_EN = re.compile(
    rf"^(?:[A-Z][A-Za-z .'-]{{0,40}},\s*)?"
    rf"(?P<date>{_MONTH}\s\d{{1,2}},\s\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})(?=\s*(?:\(|--|—|-|$))",
    re.M,
)


@dataclass(frozen=True)
class Mention:
    """A date expression: ``clean[start:end]`` of the text read, its ``kind``, and the
    parts of an anchored one (``noun`` 峰会, ``phase`` 闭幕, ``rel`` 当天) or the count
    ``n`` of days of an ``after`` one."""

    start: int
    end: int
    kind: Kind
    text: str
    noun: str | None = None
    phase: str | None = None
    rel: str | None = None
    n: int | None = None


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _count(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.lower() in _NUMBERS:
        return _NUMBERS[text.lower()]
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)
    return _ZH_DIGITS[text]


def find_mentions(clean: str, *, chinese: bool) -> list[Mention]:
    """Return the date expressions of ``clean`` (text with its layout undone) in order.
    An anchored phrase needs an event noun (峰会, the summit) or a phase (闭幕), and its
    ``时``/``后`` a phase (峰会闭幕时, not 峰会时)."""
    found = []
    for match in (_ZH if chinese else _EN).finditer(clean):
        groups = match.groupdict()
        kind = next(k for k in _KINDS if groups.get(k))
        noun = groups["noun"] or groups.get("noun2")
        phase = (groups["phase"] or groups["phase2"]) if chinese else None
        rel = match["rel"]
        if kind == "anchored" and chinese and rel in ("时", "后") and not phase:
            continue
        if kind == "anchored" and not chinese and rel is None:
            rel = "on"
        count = _count(match["n"]) if kind == "after" else None
        start = match.start()
        if kind == "anchored" and chinese:
            start = _qualified(clean, start)
        found.append(
            Mention(start, match.end(), kind, clean[start : match.end()], noun, phase, rel, count)
        )
    return found


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
    before, after = clean[max(0, mention.start - 8) : mention.start], clean[mention.end :]
    if _CUTOFF.search(before):
        return "a cut-off of figures (截至, as of), not an event"
    if _SINCE.match(after) or _SINCE_BEFORE.search(before):
        return "the start of a period (以来, since), not an event"
    if _CAPTION.search(sentence.strip()):
        return "a photo caption, not an event"
    opened = clean.rfind("《", 0, mention.start)
    if opened != -1 and clean.rfind("》", 0, mention.start) < opened:
        return "part of a title in 《》, not an event"
    return None


def dateline(original: str) -> tuple[dt.date, int, int] | None:
    """Return the publication date of an article's dateline and its (start, end) in
    ``original``, or None: within the first 300 characters, a Chinese line such as
    ``新华社北京2025年2月18日电`` or a line holding only ``2025年2月18日``, or an English
    ``PARIS, Feb. 18, 2025 (Reuters) -`` or a line holding only ``February 18, 2025`` or
    ``2025-02-18``. A dateline without a year is not one."""
    head = original[:300]
    match = _DATELINE_ZH.search(head)
    if match is not None:
        try:
            day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
        return day, match.start(), match.end()
    match = _DATELINE_EN.search(head)
    if match is None:
        return None
    try:
        day = dateutil_parser.parse(match["date"]).date()
    except (ValueError, OverflowError):
        return None
    return day, match.start("date"), match.end()
