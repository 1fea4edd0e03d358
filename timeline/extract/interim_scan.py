"""TEMPORARY: a stand-in for ``timeline.dates.scan`` (the one grammar of dates that the
dates issue is building), with its interface (``Found``, ``scan``), made of regular
expressions that find date expressions and of ``parse_when`` that reads them. When
``timeline/dates/scan.py`` is on main, :mod:`timeline.extract.model` and
:mod:`timeline.extract.dates` import from it instead and this module is deleted."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from timeline.dates.normalize import WhenError, parse_when
from timeline.dates.periods import DAY, When, day, monday, months, year

_FOLD = str.maketrans("當時週後間隔電訊聯來個號禮拜", "当时周后间隔电讯联来个号礼拜")


@dataclass(frozen=True)
class Found:
    """A date expression, ``text[start:end]`` of the text given to :func:`scan`.

    ``kind``: ``absolute`` (2025年2月17日), ``relative`` to the reference (昨天, last
    Tuesday), ``anaphoric`` to another date of the text (当天, the next day), then
    ``anchor`` is the index of the Found it was resolved against. ``when`` is the span
    (None when unresolved), ``value`` its TIMEX3 value (``""`` when unresolved), ``flag``
    why it is doubtful (None when sure), ``tense_sensitive`` whether its direction
    depends on the tense of its sentence (a bare weekday, a date without a year)."""

    start: int
    end: int
    text: str
    kind: Literal["absolute", "relative", "anaphoric"]
    when: When | None
    value: str
    flag: str | None
    anchor: int | None
    tense_sensitive: bool
    mod: str | None = None
    offset: str | None = None
    event: str | None = None
    rule: str = ""


_N = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
_TIME_ZH = (
    r"(?:凌晨|清晨|早上|早晨|上午|中午|午间|下午|傍晚|晚上|晚间|夜间|深夜|晚|早|午后)?"
    r"(?:[0-9]{1,2}[:：][0-9]{2}|[0-9一二三四五六七八九十两]{1,3}[时点](?:[0-9一二三四五六七八九十]{1,3}分|半|整)?)?"
)
_ZONE_ZH = r"(?:北京时间|当地时间|[\u4e00-\u9fff]{2}时间)?"
_Y = r"(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4}|[去今明前])年"
_DAY_ZH = rf"{_N}[日号]"
_ZH = re.compile(
    rf"""
    (?P<anaph_day>当天|当日|同日|同一天|次日|翌日|第二天|隔天|前一日|前一天){_TIME_ZH}
  | (?P<few_after>(?:几|数)(?:天|日)(?:之|以)?后)
  | (?P<after>(?:[0-9]{{1,3}}|[一二两三四五六七八九十]{{1,3}})(?:天|日)(?:之|以)?后)
  | (?P<date>{_ZONE_ZH}(?P<ayear>当年|同年|次年|翌年|隔年)?(?:{_Y})?{_N}月份?
        (?:{_DAY_ZH}(?:{_TIME_ZH})(?:[至到~\-–—](?:{_N}月)?{_DAY_ZH})?
          |[至到~\-–—](?:{_N}月)?{_DAY_ZH}|上旬|中旬|下旬|初|底|末)?{_TIME_ZH}
        (?:[,，、]?为期(?:[0-9]+|[一二两三四五六七八九十]+)天)?)
  | (?P<bareday>{_ZONE_ZH}(?:(?:本月|上月|上个月)(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})
        |(?<![0-9０-９一二三四五六七八九十月年第近前后每逾约数共])[0-9]{{1,2}})
        日(?![内均游元])(?:{_TIME_ZH}))
  | (?P<relday>(?:今天|今日|昨天|昨日|明天|明日|昨晚|今晚|今早|昨(?=[\u4e00-\u9fff])){_TIME_ZH})
  | (?P<vague_zh>近期|近日|日前|最近|未来几天|未来数日|这两天|跨年夜|平安夜|圣诞节|元旦)
  | (?P<week>(?:[上下本这]个?)(?:周|星期|礼拜)(?:[一二三四五六日天1-7])?(?:早些时候|晚些时候)?)
  | (?P<weekday>(?:周|星期|礼拜)[一二三四五六日天](?:{_TIME_ZH}))
  | (?P<offset>(?:[0-9]{{1,3}}|[一二两三四五六七八九十]{{1,3}})(?:天|周|个星期|个月|年)(?:之|以)?前)
  | (?P<ayear2>(?:当年|同年|次年|翌年|隔年)(?:第?[一二三四1-4]季度?)?(?![0-9一二三四五六七八九十]))
  | (?P<year>(?<![0-9０-９]){_Y}(?:上半年|下半年|年初|年底|年末|初|底|末|第?[一二三四1-4]季度)?)
    """,
    re.VERBOSE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYNAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_PART_OF_DAY = r"(?:\s(?:morning|afternoon|evening|night))?"
_CLOCK = r"(?:\d{4}|\d{1,2}(?:[:.]\d{2})?\s?[ap]\.?m\.?)(?:\s[A-Z]{3,4})?\s(?:on\s)?"
_EN = re.compile(
    rf"""
    (?P<anaph_day>\bthe\ (?:next|following|same|previous)\ day\b
        |\b(?:a|one)\ day\ (?:later|earlier|before|after)\b(?!\ the\b))
  | (?P<few_after>\b(?:a\ few|several)\ days\ later\b)
  | (?P<after>\b(?:about\ |some\ )?(?:\d{{1,3}}|two|three|four|five|six|seven|ten|a)
        \ (?:days?|weeks?|fortnight)\ later\b)
  | (?P<months>\b(?:(?:in|from|between)\ )?{_MONTH}(?:\ \d{{4}})?
        \ ?(?:-|–|\ and\ |\ to\ |\ through\ )\ ?{_MONTH}(?!\ \d{{1,2}}\b)(?:\ \d{{4}})?
        (?:\ (?:last|next)\ year)?\b)
  | (?P<date>\b(?:{_DAYNAME},?\ )?
        (?:{_MONTH}\ \d{{1,2}}(?:st|nd|rd|th)?(?:\ ?(?:[-–]|through|to)\ ?(?:{_MONTH}\ )?\d{{1,2}})?
              (?:,?\ \d{{4}}|\ (?:last|next)\ year)?
          | \d{{1,2}}(?:\ ?[-–]\ ?\d{{1,2}})?\ {_MONTH}(?:,?\ \d{{4}})?
          | (?:early|mid|late)[-\ ]{_MONTH}(?:\ \d{{4}})?
          | (?:the\ )?(?:beginning|start|middle|end)\ of\ {_MONTH}(?:\ \d{{4}})?
          | {_MONTH}\ \d{{4}}
          | Q[1-4]\ \d{{4}})\b
      | \b(?:in\ |since\ |by\ |until\ |from\ )(?:{_MONTH})(?![.\s]*\d)\b
      | (?-i:\b(?:January|February|April|June|July|August|September|October|November|December)
          \b(?![.\s]*\d)))
  | (?P<vague_en>\b(?:19|20)\d{{2}}/\d{{2}}\b(?!/)|\bthe\ weekend(?:'s)?\b|\bin\ the\ coming\ days\b
      |\b(?:New\ Year's\ (?:Eve|Day)|Christmas(?:\ (?:Eve|Day))?|Halloween|Valentine's\ Day)\b)
  | (?P<relday>\b(?:yesterday|today|tomorrow|tonight)\b)
  | (?P<andday>(?<=[0-9]\ and\ )[0-9]{{1,2}}\b(?![\s,]*(?:%|per|million|billion|years?|days?|\d)))
  | (?P<relative>\b(?:the\ )?(?:first|second)\ half\ of\ (?:last|this|next)\ year\b
      | \b(?:(?:this|last|next)\ (?:summer|winter|spring|autumn|fall)
          |(?:the\ )?(?:summer|winter|spring|autumn|fall)\ of\ \d{{4}})\b
      | \b(?:(?:early|late)\ )?(?:last|this|next)\ (?:week|month)\b
      | \b(?:earlier|later)\ this\ (?:week|month)\b
      | \b\d{{1,3}}\ (?:days|weeks|months|years)\ ago\b
      | \b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen
          |fourteen|fifteen|twenty)\ (?:days|weeks|months|years)\ ago\b
      | \ba\ (?:week|month|year)\ ago\b)
  | (?P<weekday>\b(?:{_CLOCK})?(?:early\ |late\ |on\ )?{_DAYNAME}{_PART_OF_DAY}\b)
  | (?P<year>\b(?:(?<=in\ )\d{{4}}|(?<=since\ )\d{{4}}|(?<=\d{{4}}\ and\ )\d{{4}}
        |(?:last|this|next)\ year)\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_WORD_NUMBERS |= {"a": 1, "one": 1}
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ANAPHORIC_DAYS = {
    "当天": 0,
    "当日": 0,
    "同日": 0,
    "同一天": 0,
    "次日": 1,
    "翌日": 1,
    "第二天": 1,
    "隔天": 1,
    "前一日": -1,
    "前一天": -1,
}
_ANAPHORIC_YEARS = {"当年": 0, "同年": 0, "次年": 1, "翌年": 1, "隔年": 1}
_STRIP_ZH = re.compile(rf"^{_ZONE_ZH}|{_TIME_ZH}$")
_WEEKDAYS_ZH = "一二三四五六日天"
_WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Anaphoric expressions look back at most this many expressions for a date.
LOOK_BACK = 50
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_RELATIVE_WORDS = re.compile(
    r"[今去明前昨本上下这]|last|next|this|ago|today|yesterday|tomorrow|tonight", re.I
)


def _count(text: str) -> int:
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits[0])
    for word, number in _WORD_NUMBERS.items():
        if re.search(rf"\b{word}\b", text, re.I):
            return number
    if "fortnight" in text.lower():
        return 1
    head = re.match(r"[一二两三四五六七八九十]+", text)
    if head is None:
        return 1
    numeral = head[0]
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)
    return _ZH_DIGITS[numeral]


def _value(when: When) -> str:
    start = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    if when.precision == "year":
        return str(start.year)
    if when.precision == "month":
        return start.isoformat()[:7]
    return start.isoformat()


def _days(when: When) -> tuple[dt.date, dt.date]:
    start = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    end = when.end if isinstance(when.end, dt.date) else start + DAY
    if isinstance(end, dt.datetime):
        end = end.date()
    return start, end - DAY


def scan(
    text: str,
    *,
    reference: dt.date | None,
    language: str | None = None,
    future: Callable[[int], bool] | None = None,
) -> list[Found]:
    """Return the date expressions of ``text`` in order, each resolved against
    ``reference`` (None: relative ones stay unresolved) or, for anaphoric ones, against
    the latest earlier expression dated to the day (to the year for 当年). ``future(i)``
    tells whether the sentence at offset ``i`` speaks of the future, for tense-sensitive
    expressions (default: the past). ``language`` (``zh``, ``en``) limits the grammars
    tried; default both."""
    folded = text.translate(_FOLD)
    matches: list[tuple[int, int, str]] = []
    if language in (None, "zh", "zh-Hant") and re.search(r"[\u4e00-\u9fff]", text):
        matches += [(m.start(), m.end(), m.lastgroup or "") for m in _ZH.finditer(folded)]
    if language in (None, "en") or re.search(r"[A-Za-z]{3}", text):
        matches += [(m.start(), m.end(), m.lastgroup or "") for m in _EN.finditer(text)]
    matches.sort(key=lambda m: (m[0], -m[1]))
    found: list[Found] = []
    reach = 0
    for start, end, form in matches:
        if start < reach:
            continue
        reach = end
        is_future = future(start) if future is not None else False
        found.append(_read(text, folded, start, end, form, reference, found, is_future))
    return found


def _read(
    text: str,
    folded: str,
    start: int,
    end: int,
    form: str,
    reference: dt.date | None,
    earlier: list[Found],
    is_future: bool,
) -> Found:
    words = folded[start:end]
    when: When | None = None
    anchor: int | None = None
    kind: Literal["absolute", "relative", "anaphoric"] = "relative"
    flag: str | None = None
    sensitive = form == "weekday"
    if form in ("anaph_day", "few_after", "after", "ayear2", "andday") or (
        form == "date" and re.match(rf"{_ZONE_ZH}(?:当年|同年|次年|翌年|隔年)", words)
    ):
        kind = "anaphoric"
        anchor, when = _anaphoric(words, form, earlier)
    else:
        absolute = form in ("date", "year") and not _RELATIVE_WORDS.search(words)
        if absolute:
            kind = "absolute"
        given = reference
        if given is None and absolute and re.search(r"\d{4}", words):
            given = dt.date(int(re.findall(r"\d{4}", words)[0]), 7, 1)
        if given is not None:
            try:
                when, sensitive = _absolute(words, form, given, is_future)
            except (WhenError, ValueError, OverflowError):
                when = None
    value = _value(when) if when is not None else ""
    return Found(start, end, text[start:end], kind, when, value, flag, anchor, sensitive)


def _anaphoric(words: str, form: str, earlier: list[Found]) -> tuple[int | None, When | None]:
    lowered = words.lower()
    for index in range(len(earlier) - 1, max(-1, len(earlier) - 1 - LOOK_BACK), -1):
        when = earlier[index].when
        if when is None:
            continue
        first, last = _days(when)
        if form in ("ayear2", "date"):
            head = re.match(rf"{_ZONE_ZH}(当年|同年|次年|翌年|隔年)", words)
            assert head is not None
            number = first.year + _ANAPHORIC_YEARS[head[1]]
            quarter = re.search(r"[一二三四1-4]", words[head.end() :])
            if form == "ayear2" and quarter is not None:
                q = "一二三四".find(quarter[0]) + 1 or int(quarter[0])
                return index, months(number, 3 * q - 2, 3)
            if form == "ayear2":
                return index, year(number)
            rest = words[head.end() :]
            try:
                return index, parse_when(f"{number}年{_strip_zh(rest)}", reference=first)
            except WhenError:
                return index, None
        if when.precision != "day" and not isinstance(when.start, dt.datetime):
            continue
        if form == "andday":  # Aug. 20 and 27: a day of the same month
            try:
                return index, day(first.replace(day=int(words)))
            except ValueError:
                return index, None
        if form == "anaph_day":
            key = re.sub(_TIME_ZH + "$", "", words)
            if key in _ANAPHORIC_DAYS:
                shift = _ANAPHORIC_DAYS[key]
            elif "same" in lowered:
                shift = 0
            elif "previous" in lowered or "before" in lowered or "earlier" in lowered:
                shift = -1
            else:
                shift = 1
            base = first if shift <= 0 else last
            return index, day(base + shift * DAY)
        if form == "few_after":
            return index, day(last + 3 * DAY, approximate=True)
        count = _count(words) * (7 if "week" in lowered else 14 if "fortnight" in lowered else 1)
        return index, day(last + count * DAY, approximate="about" in lowered)
    return None, None


def _strip_zh(words: str) -> str:
    return _STRIP_ZH.sub("", words) or words


@functools.lru_cache(maxsize=4096)
def _absolute(
    words: str, form: str, reference: dt.date, is_future: bool
) -> tuple[When | None, bool]:
    """Read a date or relative expression; return it and whether the tense chose it."""
    if form == "weekday":
        return _weekday(words, reference, is_future), True
    if form in ("date", "bareday", "relday", "year", "week", "offset"):
        words = re.sub(r"^(?:北京时间|当地时间|[\u4e00-\u9fff]{2}时间)", "", words)
        words = re.sub(r"(?:早些时候|晚些时候)$", "", words)
    if form == "bareday":
        return _bare_day(words, reference), False
    if form == "months":
        return _months(words, reference), False
    if form == "relative":
        special = _vague(words, reference)
        if special is not None:
            return special, False
    if form in ("vague_zh", "vague_en"):
        return _fuzzy(words, reference, is_future), form == "vague_en" and "weekend" in words
    if form == "relday" and words[:1] in ("昨", "今", "明") and words[1:2] not in ("天", "日"):
        words = {"昨": "昨天", "今": "今天", "明": "明天"}[words[0]]
    if form in ("date", "relday", "year") and re.search(r"[\u4e00-\u9fff]", words):
        words = re.sub(_TIME_ZH + "$", "", words) or words
    shift = 0
    english = words
    if re.search(rf"(?:\d{{1,2}}|{_MONTH})\s(?:last|next) year$", words, re.I):
        shift = -1 if words.lower().endswith("last year") else 1
        english = words.rsplit(" ", 2)[0]
    english = re.sub(r"^(?:in|since|by|until|from|on|at)\s+", "", english, flags=re.I)
    english = re.sub(r"^(?:the\s+)?(beginning|start|middle|end) of ", r"\1 of ", english)
    english = re.sub(r"\s(?:to|through)\s", "-", english)
    when = parse_when(english, reference=reference)
    yearless = not re.search(r"\d{4}|年|year|ago|week|month|today|yesterday|tomorrow", words, re.I)
    if shift:
        return _moved(when, shift, reference), False
    return when, yearless and when.precision in ("day", "datetime", "month")


_HOLIDAYS = {
    "跨年夜": (12, 31), "平安夜": (12, 24), "圣诞节": (12, 25), "元旦": (1, 1),
    "new year's eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
    "christmas": (12, 25), "christmas day": (12, 25), "halloween": (10, 31),
    "valentine's day": (2, 14),
}  # fmt: skip


def _fuzzy(words: str, reference: dt.date, is_future: bool) -> When | None:
    """Recent days (近日, 近期: the reference's month, approximate; in the future, soon:
    None), the coming days (未来几天:
    a week from the reference, approximate), 这两天 (the day before and the reference),
    the weekend (the last one, or the next in the future), a season of sport (2023/24:
    both years) and fixed-day holidays (跨年夜, Halloween: the nearest)."""
    lowered = words.lower()
    if lowered in ("近期", "近日", "日前", "最近"):
        if is_future:  # 计划近期公布: soon, on no day
            return None
        return months(reference.year, reference.month, approximate=True)
    if lowered in ("未来几天", "未来数日", "in the coming days"):
        return When(reference, reference + 7 * DAY, "day", True)
    if lowered == "这两天":
        return When(reference - DAY, reference + DAY, "day", True)
    if lowered.startswith("the weekend"):
        saturday = reference - ((reference.weekday() - 5) % 7) * DAY
        if is_future and saturday + DAY < reference:
            saturday += 7 * DAY
        return When(saturday, saturday + 2 * DAY, "day", False)
    if season := re.fullmatch(r"((?:19|20)\d{2})/(\d{2})", lowered):
        first = int(season[1])
        if (first + 1) % 100 != int(season[2]):
            return None
        return When(dt.date(first, 1, 1), dt.date(first + 2, 1, 1), "year", False)
    if lowered in _HOLIDAYS:
        month, number = _HOLIDAYS[lowered]
        options = [dt.date(reference.year + step, month, number) for step in (-1, 0, 1)]
        return day(min(options, key=lambda d: (abs(d - reference), d)))
    return None


def _vague(words: str, reference: dt.date) -> When | None:
    """Seasons (this summer, the summer of 2023: three months from June, approximate),
    parts of weeks (late last week: Thursday to Sunday) and earlier or later this month
    (the month, approximate); None for other words."""
    lowered = words.lower()
    season = re.search(r"(summer|winter|spring|autumn|fall)", lowered)
    if season is not None:
        number = re.search(r"\d{4}", lowered)
        step = -1 if "last" in lowered else 1 if "next" in lowered else 0
        start_year = int(number[0]) if number else reference.year + step
        return months(start_year, _SEASONS[season[1]], 3, approximate=True)
    week = re.fullmatch(r"(early|late) (last|this|next) week", lowered)
    if week is not None:
        step = {"last": -1, "this": 0, "next": 1}[week[2]]
        begins = monday(reference, step) + (3 if week[1] == "late" else 0) * DAY
        return When(begins, begins + (4 if week[1] == "late" else 3) * DAY, "day", True)
    part = re.fullmatch(r"(?:earlier|later) this (month|week|year)", lowered)
    if part is not None:
        base = parse_when(f"this {part[1]}", reference=reference)
        return When(base.start, base.end, base.precision, True)
    return None


def _months(words: str, reference: dt.date) -> When | None:
    """A range of months (April-May, in February and March, from January to September
    last year): from the first day of the first to the end of the last."""
    words = re.sub(r"^(?:in|from|between)\s+", "", words, flags=re.I)
    suffix = re.search(r"\s(?:last|next) year$", words, re.I)
    tail = suffix[0] if suffix else ""
    words = words[: suffix.start()] if suffix else words
    parts = re.split(r"\s?(?:-|–|\sand\s|\sto\s|\sthrough\s)\s?", words, maxsplit=1)
    if len(parts) != 2:
        return None
    first, _ = _absolute(parts[0].strip() + tail, "date", reference, False)
    last, _ = _absolute(parts[1].strip() + tail, "date", reference, False)
    if first is None or last is None or first.precision != "month" or last.precision != "month":
        return None
    if last.start < first.start:
        return None
    return When(first.start, last.end, "month", False)


def _moved(when: When, shift: int, reference: dt.date) -> When:
    """A yearless date put ``shift`` years from the reference's (``Jan 24 last year``)."""
    first, last = _days(when)
    years = reference.year + shift - first.year
    try:
        start = first.replace(year=first.year + years)
        end = (last + DAY).replace(year=(last + DAY).year + years)
    except ValueError:  # 29 February
        return when
    return When(
        start, end, "day" if when.precision == "datetime" else when.precision, when.approximate
    )


def _weekday(words: str, reference: dt.date, is_future: bool) -> When:
    lowered = words.lower()
    if re.search(r"[\u4e00-\u9fff]", words):
        number = _WEEKDAYS_ZH.index(re.sub(r"^(?:周|星期|礼拜)", "", words)[0]) + 1
        number = min(number, 7)
    else:
        name = re.search(_DAYNAME, words, re.I)
        assert name is not None
        number = _WEEKDAYS_EN.index(name[0][:3].lower()) + 1
    del lowered
    delta = (number - 1 - reference.weekday()) % 7
    if is_future:
        return day(reference + delta * DAY)
    return day(reference - ((reference.weekday() - (number - 1)) % 7) * DAY)


def _bare_day(words: str, reference: dt.date) -> When | None:
    """A day of the month without its month (19日, 本月十二日): in the reference's month,
    the one before (上月) or, without either, whichever of the months around the reference
    puts it nearest."""
    number = _count(re.sub(r"^(?:本月|上月|上个月)", "", words))
    months = [-1] if words.startswith("上") else [0] if words.startswith("本月") else [-1, 0, 1]
    best: dt.date | None = None
    for step in months:
        month = reference.month + step
        y = reference.year + (month - 1) // 12
        try:
            candidate = dt.date(y, (month - 1) % 12 + 1, number)
        except ValueError:
            continue
        if best is None or abs(candidate - reference) < abs(best - reference):
            best = candidate
    return day(best) if best is not None else None
