"""Stage 1 of extraction, continued: the parts of a news page. Each paragraph gets a role
(body, heading, meta: a byline, time stamp or source line, caption: a photo's caption or
credit), and the dispatch heads and source tags inside paragraphs are marked
(新华社北京2月18日电, 【…讯】, (记者 …), PARIS (Reuters) -, (IANS)): they report no event
and never go into a title."""

from __future__ import annotations

import re

from timeline.extract.layout import Text
from timeline.extract.model import Block, Page, Role

# Read on folded text (traditional folded to simplified).
_META_WORDS = re.compile(
    r"来源[:：]|作者[:：]|编辑[:：]|责编|时间[:：]|发布时间|更新时间|日期[:：]|原标题|版\s*[）)]"
    r"|\bUpdated\b|\bPublished\b|\bPosted\b|\bLast updated\b|^By\s|\|\s*By\s|\bWriter\b"
    r"|\bcorrespondent\b|\bp\.\s?[A-Z]?\d+\b|\bStaff\b|^\(?责编",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"\d{1,4}(?:[-./:年月日号时分]\d{0,4})*|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.?|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|GMT|BST|EST|EDT|UTC|[AP]M\b|am\b|pm\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|PA)?\s?Photo|AP Photo|\bREUTERS/|\|\s?[A-Z][A-Z-]{2,}$"
    r"|Click to enlarge|供图$|摄[）)]?$|资料图片|图源[:：]|^图为|^这是.{0,40}拍摄|^\(?图[/／]",
    re.IGNORECASE,
)
_FINAL = "。！？!?.…”\"’'」』）)"
_HEADS = re.compile(
    r"""
    【[^】\n]{1,40}】                                     # 【新华社讯】 【许佳惠╱台北报导】
  | 〔[^〕\n]{1,40}〕
  | [（(][^）)\n]{0,30}(?:记者|电|讯|报道|报导|编译|通讯员)[^）)\n]{0,30}[）)]  # (记者 周强)
  | [（(](?:完|IANS|PTI|ANI|Reuters|AP|AFP|Xinhua|UPI)[）)]
  | 【编辑[:：][^】]{0,20}】
  | ^[^，,。\n]{0,30}?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:电|讯|消息|报道|报导)\s?
  | ^[^，,。\n]{0,12}?\d{1,2}日电\s?
  | ^(?:本报讯|本报[^，,。\n]{0,10}电)\s?
  | ^(?:\(?[A-Z][A-Za-z]+\)\s?[-–—]+\s?)                   # (Reuters) -
  | ^[A-Z][A-Z .'’-]{1,40}(?:,\s?[A-Z][a-z]{2,8}\.?\s\d{1,2}(?:,\s\d{4})?)?
        \s?(?:\([A-Za-z ]{2,20}\)\s?)?(?:--|[-–—_])\s?        # NEW ORLEANS --, BERLIN –
    """,
    re.VERBOSE | re.MULTILINE,
)
#: A block longer than this is never a heading, a byline or a time stamp.
META_MAX = 120


def read_page(text: Text) -> Page:
    """Return the blocks of ``text`` with their roles and the dispatch heads and source
    tags (as (start, end) into ``text.clean``). The first block without final
    punctuation is a heading, as is any short block without it; a short block made
    mostly of a date and time, or naming a source, author or editor, is meta."""
    blocks = []
    heads: list[tuple[int, int]] = []
    for start, end in text.breaks:
        piece = text.folded[start:end]
        role = _role(piece)
        blocks.append(Block(start, end, role))
        if role == "body":
            heads += [(start + m.start(), start + m.end()) for m in _HEADS.finditer(piece)]
    return Page(tuple(blocks), tuple(heads))


def _role(piece: str) -> Role:
    stripped = piece.strip()
    if not stripped:
        return "meta"
    if len(stripped) <= META_MAX:
        if _META_WORDS.search(stripped):
            return "meta"
        rest = _DATE_LIKE.sub("", stripped)
        if len(re.sub(r"[\W_]", "", rest)) <= 3 and len(stripped) >= 4:
            return "meta"
    if _CAPTION.search(stripped) and len(stripped) <= 4 * META_MAX:
        return "caption"
    if len(stripped) <= META_MAX and stripped[-1] not in _FINAL:
        return "heading"
    return "body"
