"""Stage 3 of extraction, continued: dates given by reference to an event rather than to
a date (峰会闭幕当天, 体验活动结束次日, 就职当天, 第一时间, the day after the summit,
Inauguration Day). They are found here and dated by :mod:`timeline.extract.resolve`
against the event the article dates, or a known date."""

from __future__ import annotations

import re

from timeline.extract.model import EventRef, Found

#: Event nouns a reference can name (Chinese, folded to simplified; English).
NOUNS_ZH = (
    "就职典礼|就职|峰会|会议|大会|论坛|比赛|赛事|展会|博览会|运动会|马拉松|开幕式|闭幕式|典礼"
    "|仪式|奥运会|奥运|世博会|选举|活动|发布会"
)
NOUNS_EN = r"summit|conference|meeting|games|tournament|festival|talks|inauguration|election"
_ZH = re.compile(
    rf"""
    (?:(?P<noun>{NOUNS_ZH})(?P<phase>开幕|闭幕|结束|开始|举行|召开)?|(?P<phase2>开幕|闭幕))
        (?P<rel>当天|当日|次日|第二天|前一天|前夕|期间|时|后)
  | (?P<immediate>第一时间)
    """,
    re.VERBOSE,
)
_EN = re.compile(
    rf"""
    (?P<rel>the\ day\ after|the\ day\ before|during|at\ the\ (?:close|end|opening)\ of
        |on\ the\ (?:first|last|closing|opening)\ day\ of)\ the\ (?P<noun>{NOUNS_EN})
  | (?P<noun2>inauguration)\ day
    """,
    re.VERBOSE | re.IGNORECASE,
)
_STOP = "这本此该并于在而又还就也但与和及"


def find(clean: str, folded: str) -> list[tuple[Found, EventRef]]:
    """Return the event references of ``clean`` (``folded`` is the same text with
    traditional characters folded) in order, each as an undated :class:`Found` (kind
    ``anaphoric``) and its :class:`EventRef`. A Chinese reference needs an event noun or a
    phase (峰会当天, 闭幕当天), and its 时/后 a phase (峰会闭幕时, not 峰会时); it takes in
    up to four Han characters that open its clause (体验活动结束次日)."""
    result = []
    for match in _ZH.finditer(folded):
        if match["immediate"]:
            ref = EventRef(None, None, "immediately")
            result.append((_found(clean, match.start(), match.end()), ref))
            continue
        phase = match["phase"] or match["phase2"]
        if match["rel"] in ("时", "后") and not phase:
            continue
        start = _qualified(folded, match.start())
        ref = EventRef(match["noun"], phase, match["rel"])
        result.append((_found(clean, start, match.end()), ref))
    for match in _EN.finditer(clean):
        noun = match["noun"] or match["noun2"]
        rel = (match["rel"] or "on").lower()
        phase = "close" if re.search(r"close|end|last|closing", rel) else None
        ref = EventRef(noun.lower(), phase, rel)
        result.append((_found(clean, match.start(), match.end()), ref))
    return sorted(result, key=lambda pair: pair[0].start)


def _found(clean: str, start: int, end: int) -> Found:
    return Found(start, end, clean[start:end], "anaphoric", None, "", None, None, False)


def _qualified(folded: str, start: int) -> int:
    """Take in the words that open a clause before an event noun (体验活动结束次日,
    开通仪式当天): up to four Han characters after a clause boundary, none of them a
    demonstrative or a function word (这次, 并于)."""
    head = re.search(
        r"(?:^|[。，,；！？\n])([\u4e00-\u9fff]{1,4})$", folded[max(0, start - 5) : start]
    )
    if head is None or any(c in head[1] for c in _STOP):
        return start
    return start - len(head[1])
