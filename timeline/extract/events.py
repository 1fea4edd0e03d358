"""Stage 4 of extraction: event or not. A date expression reports an event unless it is
the page's own date (a byline, a time stamp, a dispatch's dateline, the date of a source
report), a cut-off of figures (截至, as of), the start of a period that runs to now
(今年以来, so far this year), a statistics window (本周日均), the baseline of a comparison
(较前一日), a period (今后两年, the past 3 days), the date a photo was taken, part of a
name (《…》, 2015年诺贝尔奖, 北京2022年冬奥会), "nowadays" (今天也依然), or a year beside a
more precise date in its clause."""

from __future__ import annotations

import datetime as dt
import re

from timeline.extract.layout import Text
from timeline.extract.model import Found, Mention, Page, Sentence
from timeline.extract.sentences import Clauses

# Read on folded text (traditional folded to simplified); offsets hold.
_CUTOFF = re.compile(r"(?:截至|截止到?|\bas of|\bas at)\s?$", re.IGNORECASE)
_UP_TO = re.compile(r"至\s?$")
_FROM = re.compile(r"从|自")
_SINCE = re.compile(r"^\s?(?:以来|来)")
_TO_DATE = re.compile(r"^\s?(?:so far|to date)\b", re.IGNORECASE)
_REPORT = re.compile(r"^\s?(?:电|讯|报道|报导|消息)")
_BASELINE = re.compile(r"(?:较|比|相比|同比|环比|\bthan|\bcompared (?:with|to))\s?$", re.I)
_WINDOW = re.compile(r"^\s?(?:日均|平均|累计|共计|合计|全周|全月|全年|档期)")
_DAY_WORD = re.compile(r"^(?:均|常|益|渐|夜)")  # 本周日均: 本周 and 日均, not Sunday
_ANNUAL = re.compile(r"^(?:产|均|度|薪|收入|销量|营收)")  # 建成后年产: annual output
_LEARNED = re.compile(r"^[，,\s]*记者[^，,。]{0,12}?(?:获悉|了解到|注意到|得知)")
_ORDINAL = re.compile(
    r"^(?:the\s)?(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth)$",
    re.IGNORECASE,
)
_LASTING = re.compile(
    r"(?:历时|历经|为期|长达|耗时|用时|持续|逾|近|约|超过|多达|前后|\blasting)\s?$",
    re.IGNORECASE,
)
_NOWADAYS = re.compile(r"^\s?(?:也|仍|仍然|依然|依旧|还是|都)")
_UNTIL_NOW = re.compile(r"(?:时到|直到|到了|迄)\s?$")
#: The words of "a recent day" that news dates an event with (近日宣布, 日前获悉): dated by
#: :mod:`timeline.extract.resolve`; the scanner's other vague now, past and future are not.
RECENT = re.compile(r"近日|近期|日前")
_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
# A TIMEX3 duration: the scanner's value of a period (P3D, P2Y, PXD).
_PERIOD = re.compile(r"P[0-9X]")
_PHOTO = re.compile(r"这是.{0,60}(?:拍摄|摄)|图为|\bphoto (?:was )?taken\b|\bpictured\b", re.I)
_LABEL = re.compile(
    r"^[\u4e00-\u9fff]{0,12}?(?:奖|冬奥会|奥运会|世博会|亚运会|冬残奥会|档(?!期)|申报项目|冠军|年度|财年|"
    r"赛季|预算|规划|纲要|版)"
)
_PLACE_BEFORE = re.compile(r"(?:北京|东京|伦敦|巴黎|杭州|广州|上海|南京|米兰|里约|雅典)$")
_VERB_INSIDE = re.compile(r"宣布|发布|推出|开始|完成|举办|举行|实现|成为|获得|通过|启动|上映|出货")


def judge(
    text: Text,
    page: Page,
    sentences: list[Sentence],
    mentions: list[Mention],
    *,
    published: dt.date,
) -> tuple[list[int], list[tuple[int, str]]]:
    """Return the indices of ``mentions`` that report events, and the others as (index,
    reason), both in order, for an article published on ``published``. Linear in the
    text and the mentions."""
    clauses = Clauses(text.clean)
    bounds = [
        clauses.around(sentences[m.sentence], m.found.start, m.found.end)
        if m.sentence >= 0
        else (m.found.start, m.found.end)
        for m in mentions
    ]
    precise = {
        bound
        for bound, m in zip(bounds, mentions, strict=True)
        if m.found.when is not None and m.found.when.precision != "year"
    }
    photos: dict[int, bool] = {}
    openings = frozenset(block.start for block in page.blocks)
    kept: list[int] = []
    skipped: list[tuple[int, str]] = []
    for index, mention in enumerate(mentions):
        reason = _not_an_event(text, page, sentences, mention, photos, openings, published)
        if reason is None and _is_year(mention) and bounds[index] in precise:
            reason = "a year beside a more precise date in its clause"
        if reason is None:
            kept.append(index)
        else:
            skipped.append((index, reason))
    return kept, skipped


def _near_publication(found: Found, published: dt.date) -> bool:
    """Whether ``found`` is a day at most a week before ``published`` (a dispatch's date)."""
    if found.when is None or found.when.precision not in ("day", "datetime"):
        return False
    first = found.when.start
    first = first.date() if isinstance(first, dt.datetime) else first
    return dt.timedelta(0) <= published - first <= dt.timedelta(days=7)


def _today(found: Found, published: dt.date) -> bool:
    """Whether ``found`` is now: the publication day, or a span that holds it (今日, 如今)."""
    when = found.when
    if found.value == "PRESENT_REF":
        return True
    if when is None or found.kind != "relative":
        return False
    first = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    last = when.end if isinstance(when.end, dt.date) else first + dt.timedelta(days=1)
    last = last.date() if isinstance(last, dt.datetime) else last
    return first <= published < last


def _is_year(mention: Mention) -> bool:
    return mention.found.when is not None and mention.found.when.precision == "year"


def _not_an_event(
    text: Text,
    page: Page,
    sentences: list[Sentence],
    mention: Mention,
    photos: dict[int, bool],
    openings: frozenset[int],
    published: dt.date,
) -> str | None:
    """Why ``mention`` is no event, or None; ``openings`` are the blocks' starts (a head
    that opens one, followed by a date, is a dateline: 【CNMO新闻】10月18日)."""
    found = mention.found
    if mention.sentence < 0:
        return "outside any sentence"
    sentence = sentences[mention.sentence]
    if sentence.role == "meta":
        return "a byline, time stamp or source line, not an event"
    if any(start <= found.start < end for start, end in page.heads):
        return "the dispatch's dateline, not an event"
    if _PERIOD.match(found.value):
        return "a period (今后两年, the past 3 days), not an event"
    if found.value in _REFS and not RECENT.fullmatch(found.text):
        return "now, before or later in general (目前, 此前, 未来), not a date"
    heads = page.heads
    if _near_publication(found, published) and any(
        end <= found.start <= end + 1 and start in openings for start, end in heads
    ):
        return "the dispatch's dateline, not an event"
    folded = text.folded
    before = folded[max(sentence.start, found.start - 8) : found.start]
    after = folded[found.end : min(sentence.end, found.end + 16)]
    if _REPORT.match(after):
        return "the date of a report, not an event"
    if _CUTOFF.search(before) or (
        _UP_TO.search(before) and not _FROM.search(folded, sentence.start, found.start)
    ):
        return "a cut-off of figures (截至, as of), not an event"
    relative_period = found.kind == "relative" or _is_year(mention)
    if (_SINCE.match(after) and relative_period) or _TO_DATE.match(after):
        return "a period that runs to now (以来, so far), not an event"
    if _WINDOW.match(after) or (found.text.endswith("日") and _DAY_WORD.match(after)):
        return "a statistics window, not an event"
    if found.text.endswith("年") and _ANNUAL.match(after):
        return "an annual figure (年产), not a date"
    if _LEARNED.match(after):
        return "the day the reporter learned of it, not an event"
    if _ORDINAL.match(found.text.strip()) and re.match(r"\s?[A-Za-z]", after):
        return "an ordinal (the 17th Lok Sabha), not a date"
    if before.endswith("第"):
        return "an ordinal (第三日), not a date"
    if _LASTING.search(before) and found.kind != "absolute":
        return "a duration, not a date"
    if _BASELINE.search(before):
        return "the baseline of a comparison, not an event"
    if (_NOWADAYS.match(after) or _UNTIL_NOW.search(before)) and _today(found, published):
        return "'nowadays', not a date"
    if mention.sentence not in photos:
        photos[mention.sentence] = bool(_PHOTO.search(folded, sentence.start, sentence.end))
    if photos[mention.sentence]:
        return "the date a photo was taken, not an event"
    window = max(sentence.start, found.start - 60)
    opened = folded.rfind("《", window, found.start)
    if opened != -1 and folded.rfind("》", opened, found.start) == -1:
        return "part of a title in 《》, not an event"
    if _is_year(mention):
        label = _LABEL.match(after)
        if label is not None and not _VERB_INSIDE.search(label[0]):
            return "part of a name (2015年诺贝尔奖), not an event"
        if _PLACE_BEFORE.search(before):
            return "part of a name (北京2022年冬奥会), not an event"
    return None
