"""Stage 6 of extraction: title and actors. The title says who did what, in the article's
language, from the clause that reports the event (the main clause when the date's own
clause is only an adverbial: 3月16日下午两点，百度召开发布会); without the date, without
datelines, bylines, source tags, credits or URLs, without a word cut in the middle, at most
TITLE_MAX_HAN characters in Chinese or TITLE_MAX_WORDS words in English. The
organizations are the clause's actors (named before its verb, or after "by"), not every
name it mentions; the proposed id comes from them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from timeline.extract.layout import Text
from timeline.extract.model import Dated, Page, Sentence
from timeline.extract.names import Gazetteer
from timeline.extract.sentences import Clauses

TITLE_MAX_HAN = 30
TITLE_MAX_WORDS = 12
#: The evidence of a candidate is at most this many characters either side of its date.
EVIDENCE_REACH = 200
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ZH_VERB = (
    r"发布|宣布|推出|表示|称|说|生效|出台|签署|开幕|闭幕|举行|召开|通过|启动|开通|通车|开建|开工|"
    r"完工|竣工|上线|夺得|获得|举办|发表|公布|废止|会见|成立|创建|收购|批准|实施|决定|报道|交付|"
    r"实现|完成|进入|开展|组织|批复|建成|投用|投产|上映|登顶|揭晓|取消|遭|获|赢|破|升|跌|涨|"
    r"达成|发射|升空|降落|起飞|亮相|停止|退出|开始|结束|推迟|延期|打破|列入|当选|签约|合作|投资|"
    r"登陆|袭击|爆发|发生|去世|逝世|访问|抵达|出席|提出|提升|增长|下降|突破|超过|承诺|警告|禁止"
)
_EN_VERB = (
    r"announc|launch|releas|said|says|sign|open|held|hold|took effect|unveil|approv|won|win|"
    r"complet|reach|rais|cut|hit|struck|strik|fell|fall|rose|rise|jump|pass|vot|elect|"
    r"resign|die|kill|arriv|left|leav|start|began|begin|end|clos|ban|invest|acquir|buy|bought|"
    r"sold|sell|merg|report|warn|stranded|grounded|reopen|declar|impos|restrict|broke|break|"
    r"set|blam|introduc|target|schedul|process|publish|approved|deny|denied|defend|"
    r"complete|crash|land|made|make|confirm|reveal|plan|expect|hop|move|jail|sentenc|rob|stole"
)
_VERB = re.compile(rf"{_ZH_VERB}|\b(?:{_EN_VERB})\w*", re.IGNORECASE)
_URL = re.compile(
    r"(?:,?\s*\b(?:see|visit|at|via|on|from)\s+)?"
    r"(?:(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|cn|org|net)\b)"
)
_CREDIT = re.compile(
    r"[（(][^）)]{0,40}(?:记者|記者|摄|攝|Photo|photo|图|圖|供图|编译|編譯|完)[^）)]{0,40}[）)]"
    r"|【[^】]{0,40}】|〔[^〕]{0,40}〕|\((?:IANS|PTI|AP|AFP|Reuters|UPI|Xinhua)\)|\|\s?[A-Z][A-Z-]{2,}$"
)
_LEADING_ZH = re.compile(
    r"^(?:本报讯|在此之前|此前|此外|另外|同时|不过|但是|然而|但|而|值得注意的是|与此同时|其中|随后|并且?|"
    r"还|又|也|因此|对此|所以|就在|据[^，,]{1,24}(?:报道|介绍|消息|数据|显示)|据悉|另据|就|于|在|自|从"
    r"|记者[^，,。]{0,12}?(?:获悉|了解到|注意到|得知))[，,\s]*"
)
_LEADING_EN = re.compile(
    r"^(?:meanwhile|however|also|and|but|then|so|still|in addition|earlier|later|since|"
    r"on|in|at|by|from|during|until|as of|of)\b[,\s]*",
    re.IGNORECASE,
)
_BEFORE_DATE = re.compile(
    r"(?:这次|本次|此次|并于|将于|已于|于|在|从|自|\bon|\bin|\bat|\bby|\bfrom)\s*$", re.I
)
_AFTER_DATE = re.compile(r"^(?:就|的|起|,|，|\s|'s\b)+", re.I)
_TRAILING = re.compile(r"(?:[，,；;：:、。.\s的了着过称说地等]|表示|认为)+$")
_TRAILING_EN = re.compile(
    r"(?:\s+(?:and|or|of|the|a|an|to|in|on|for|with|that|which|as|by|at|from|its|their|his|her"
    r"|was|were|is|are|be|has|have|had|will|would))+$|[\s,;:.\-–—]+$",
    re.IGNORECASE,
)
_REPORTING = re.compile(r"(?:表示|称|说|认为|宣布|指出|介绍|said|says)[，,：:]?$")
_SAID = re.compile(
    r"^(?P<who>[A-Z][^,]{1,60}?)\s(?:said|says|announced|told [\w ]{1,30}?)(?:\son\s\w+)?,?\s"
    r"(?:that\s)?(?:(?:it|they|he|she)\s)(?P<rest>.+)$"
)
_ZH_CUT = re.compile(r"[，,、；;：:]|(?=[的了和与及并在将为是对等])")


def describe(
    text: Text,
    page: Page,
    sentences: Sequence[Sentence],
    dated: Dated,
    names: Gazetteer,
    clauses: Clauses,
    *,
    chinese: bool,
) -> tuple[str, int, int, list[str], list[str], float, str]:
    """Return the title, the evidence's (start, end) into ``text.clean``, the
    organizations (actors) and places, and the confidence and reason adjusted for the
    clause (lowered when it has no event or reporting verb)."""
    sentence = sentences[dated.mention.sentence]
    start, end = _evidence(text, page, sentence, dated, clauses)
    title = make_title(text, page, start, end, dated, chinese=chinese)
    body = text.clean[start:end]
    organizations, places = _actors(title, names)
    confidence, reason = dated.confidence, dated.reason
    if dated.when is not None and not _VERB.search(body):
        confidence, reason = confidence - 0.2, reason + "; no reporting or event verb"
    return title, start, end, organizations, places, confidence, reason


def _evidence(
    text: Text, page: Page, sentence: Sentence, dated: Dated, clauses: Clauses
) -> tuple[int, int]:
    """The clause holding the date, with the main clause after it when the date's own is
    only an adverbial, within EVIDENCE_REACH of the date."""
    first, last = clauses.around(sentence, dated.start, dated.end)
    rest = text.folded[first:last].replace(text.folded[dated.start : dated.end], "", 1)
    rest = _LEADING_EN.sub("", _LEADING_ZH.sub("", rest.strip(" ，,")))
    if (_short(rest) or _REPORTING.search(rest.strip())) and last < sentence.end:
        _, last = clauses.around(sentence, last + 1, last + 1)
    for start, end in page.heads:  # a dispatch head opens the sentence: leave it out
        if start <= first < end or (first <= start < dated.start and end <= dated.start):
            first = max(first, end)
    first = max(first, dated.start - EVIDENCE_REACH)
    last = min(last, dated.end + EVIDENCE_REACH)
    while first < last and text.clean[first] in " ，,；;：:":
        first += 1
    while last > first and text.clean[last - 1] in " ，,；;：:":
        last -= 1
    return min(first, dated.start), max(last, dated.end)


def _short(rest: str) -> bool:
    return len(_HAN.findall(rest)) < 4 and len(re.findall(r"[A-Za-z]{2,}", rest)) < 3


def make_title(text: Text, page: Page, start: int, end: int, dated: Dated, *, chinese: bool) -> str:
    """Return a title made from ``text.clean[start:end]`` (the evidence) without its date
    expression, heads, credits, URLs, leading connectives and trailing particles, cut at
    a word or clause boundary to TITLE_MAX_HAN characters (Chinese) or TITLE_MAX_WORDS
    words (English)."""
    clean = text.clean
    before = _BEFORE_DATE.sub("", clean[start : dated.start]).rstrip(" ，,")
    after = _AFTER_DATE.sub("", clean[dated.end : end])
    joiner = "" if _HAN.search(before[-1:] + after[:1]) or not before or not after else " "
    if before and after and not _HAN.search(before[-1:]) and before[-1:] not in ",，":
        joiner = " " if not chinese else ""
    title = before + joiner + after
    title = _CREDIT.sub("", _URL.sub("", title))
    for head_start, head_end in page.heads:
        if start <= head_start < end:
            title = title.replace(clean[head_start:head_end], "")
    title = " ".join(title.split()) if not chinese else title.strip()
    if chinese:
        title = _LEADING_ZH.sub("", _LEADING_ZH.sub("", title.strip(" ，,")))
        title = _cut_chinese(_TRAILING.sub("", title))
    else:
        title = _english(title)
    for opening, closing in ("“”", "（）", "《》", "「」", "()"):  # close what a cut left open
        title += closing * max(0, title.count(opening) - title.count(closing))
    return title.strip() or clean[dated.start : dated.end]


_CLOCK = re.compile(
    r"\s(?:at\s|about\s|around\s)*\d{1,2}(?:[:.]\d{2})?\s?[ap]\.?m\.?(?=\W|$)", re.I
)


def _english(title: str) -> str:
    title = _CLOCK.sub("", title)
    title = _LEADING_EN.sub("", _LEADING_EN.sub("", title.strip(" ,;:")))
    said = _SAID.match(title)
    if said is not None:
        title = f"{said['who']} {said['rest']}"
    words = title.split()
    if len(words) > TITLE_MAX_WORDS:
        title = " ".join(words[:TITLE_MAX_WORDS])
    while True:
        trimmed = _TRAILING_EN.sub("", title)
        if trimmed == title:
            break
        title = trimmed
    return title[:1].upper() + title[1:]


def han_count(text: str) -> int:
    """The number of Han characters of ``text``."""
    return len(_HAN.findall(text))


def _cut_chinese(title: str) -> str:
    """``title`` cut to TITLE_MAX_HAN Han characters at a clause boundary or before a
    function word, never inside a Latin word or a number."""
    if han_count(title) <= TITLE_MAX_HAN:
        return title
    best = 0
    for match in _ZH_CUT.finditer(title):
        if han_count(title[: match.start()]) > TITLE_MAX_HAN:
            break
        best = match.start()
    if best < TITLE_MAX_HAN // 3:  # no boundary worth cutting at
        best, count = 0, 0
        while best < len(title) and count + bool(_HAN.match(title[best])) <= TITLE_MAX_HAN:
            count += bool(_HAN.match(title[best]))
            best += 1
        while best > 0 and re.match(r"[A-Za-z0-9]", title[best - 1 : best + 1] * 2):
            best -= 1  # never inside a Latin word or a number
    return _TRAILING.sub("", title[:best])


def _actors(body: str, names: Gazetteer) -> tuple[list[str], list[str]]:
    """The organizations named before the clause's first verb or right after "by", and
    every place named."""
    organizations, places = names.find(body)
    verb = _VERB.search(body)
    edge = verb.start() if verb is not None else len(body)
    actors = [
        m.name
        for m in organizations
        if m.end <= edge or re.search(r"\bby\s$", body[max(0, m.start - 4) : m.start])
    ]
    return list(dict.fromkeys(actors)), list(dict.fromkeys(m.name for m in places))


class Ids:
    """Proposed ids, each ``<start>-<slug>`` and unique among those given out: the slug of
    the first actor with ASCII letters, else of the title's first ASCII word of three
    letters or more, else eight hex digits of the title's SHA-256; ``-2``, ``-3``... when
    taken."""

    def __init__(self, taken: Sequence[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def propose(self, start: str, organizations: Sequence[str], title: str) -> str:
        """Return a new id for an event starting ``start`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
        slug = next((s for s in (_ascii_slug(o) for o in organizations) if s), "")
        if not slug:
            word = re.search(r"[A-Za-z][A-Za-z0-9]{2,}(?:[ -][A-Za-z0-9]+){0,3}", title)
            slug = _ascii_slug(word[0]) if word else ""
        if not slug:
            slug = hashlib.sha256(title.encode()).hexdigest()[:8]
        base = f"{start}-{slug}"[:80].rstrip("-")
        number = self._next.get(base, 1)
        result = base if number == 1 else f"{base}-{number}"
        while result in self.taken:
            number += 1
            result = f"{base}-{number}"
        self._next[base] = number + 1
        self.taken.add(result)
        return result


def _ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
