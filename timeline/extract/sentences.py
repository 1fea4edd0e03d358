"""Stage 2 of extraction: sentences, the clauses inside them, and the tense of a clause
(a bare weekday is the last such day in the past tense, the next in the future)."""

from __future__ import annotations

import bisect
import re

from timeline.extract.layout import Text
from timeline.extract.model import Page, Sentence, Tense

_ZH_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n+|$)")
_EN_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|"
    r"Rep|Inc|Corp|Ltd|Co|No|vs|etc|U\.S|U\.K|E\.U|a\.m|p\.m)|\b[A-Z])\.$"
)
_EN_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")
_CLAUSE = re.compile(r"[，,；;：:]|\s[-–—]+\s")
# Read on folded text: Chinese traditional characters folded to simplified.
_FUTURE = re.compile(
    r"(?<![女大名主干猛武老小悍战败健虎良强宿])将(?!军|领|士|帅|官)|预计|计划|拟于|即将|准备|有望|预定|原定|定于|届时|争取|力争|未来|明年|下周|下月"
    r"|\bwill\b|'ll\b|\bshall\b|\b(?:is|are|was|were) (?:set |due |scheduled |expected )?to\b"
    r"|\bscheduled\b|\bexpected to\b|\bplans? to\b|\bplanned\b|\bhop(?:es?|ed|ing) to\b"
    r"|\baims? to\b|\bgoing to\b|\bwould\b|\btargeting\b|\bupcoming\b|\bto come\b|\bby (?:Mon|Tues"
    r"|Wednes|Thurs|Fri|Satur|Sun)day\b",
    re.IGNORECASE,
)
# A date that a plan sets, moves or confirms (postponed to March, confirmed as December,
# had targeted October 23, 推迟至3月): the tense tells when the plan was made, not the date.
_PLANNED = re.compile(
    r"\b(?:postponed|delayed|deferred|pushed\s+back|brought\s+forward|moved|rescheduled"
    r"|put\s+off)\s+(?:to|until|till|for)\b|\b(?:confirmed|scheduled|slated|set|penciled"
    r"|pencilled|earmarked)\s+(?:as|for)\b|\btarget(?:ed|ing|s)?\b"
    r"|推迟至|推迟到|延期至|延期到|延后至|提前至|提前到|改期至|改期到|定档",
    re.IGNORECASE,
)
_PERFECT = re.compile(r"\b(?:has|have)\s(?:\w+\s)?(?:been\s)?[\w-]+(?:ed|en|wn|t)\b", re.I)
_PAST = re.compile(
    r"了|已|曾|过|此前|日前|\b(?:was|were|had|did|said|told|came|went|took|made|won|set|hit|"
    r"began|broke|fell|rose|grew|led|left|met|ran|saw|gave|got|held|kept|lost|paid|put|"
    r"sent|spoke|stood|struck|swept|threw|wrote|became|brought|bought|caught|chose|drew|"
    r"drove|fought|found|flew|forgot|froze|knew|laid|meant|read|rode|sold|shook|shot|"
    r"shut|sang|sank|sat|slept|spent|spun|stole|stuck|stung|swam|taught|thought|tore|"
    r"understood|woke|wore|wound|\w{2,}ed)\b",
    re.IGNORECASE,
)


def split(text: Text, page: Page, *, chinese: bool) -> list[Sentence]:
    """Return the sentences of ``text.clean`` in order, never across blocks, as
    :class:`Sentence` (indices into ``clean``, without surrounding spaces). Chinese ends a
    sentence at 。！？； (with the closing quotes after them) and at a line break;
    English at . ! ? followed by a space and a capital or digit, except after common
    abbreviations (Feb. Mr. U.S.)."""
    clean = text.clean
    result = []
    for number, block in enumerate(page.blocks):
        start = block.start
        for cut in _cuts(clean, block.start, block.end, chinese):
            piece = clean[start:cut]
            stripped = piece.strip()
            if stripped:
                first = start + len(piece) - len(piece.lstrip())
                result.append(Sentence(first, first + len(stripped), number, block.role))
            start = cut
    return result


def _cuts(clean: str, start: int, end: int, chinese: bool) -> list[int]:
    if chinese:
        cuts = [start + m.end() for m in _ZH_SENTENCE.finditer(clean[start:end]) if m.end()]
    else:
        cuts = []
        for match in _EN_BOUNDARY.finditer(clean, start, end):
            if not _EN_ABBREVIATIONS.search(clean[max(0, match.start() - 8) : match.start() + 1]):
                cuts.append(match.end())
    return [*cuts, end]


class Clauses:
    """The clauses of a text: the separators (，,；;：: or a dash between spaces) found
    once, so that finding the clause of any offset costs a binary search."""

    def __init__(self, clean: str) -> None:
        self.clean = clean
        found = [(m.start(), m.end()) for m in _CLAUSE.finditer(clean)]
        self._starts = [start for start, _ in found]
        self._ends = [end for _, end in found]

    def around(self, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
        """Return the clause of ``sentence`` holding ``clean[start:end]``, as (start, end)
        into ``clean``: from the last separator ending at or before ``start`` to the first
        starting at or after ``end``, within the sentence."""
        index = bisect.bisect_right(self._ends, start) - 1
        first = max(sentence.start, self._ends[index]) if index >= 0 else sentence.start
        index = bisect.bisect_left(self._starts, end)
        last = sentence.end
        if index < len(self._starts):
            last = min(last, self._starts[index])
        while first < last and self.clean[first].isspace():
            first += 1
        return first, max(first, last)


def tense(folded: str, start: int, end: int) -> Tense:
    """Return the tense of ``folded[start:end]`` (a clause, Chinese folded to simplified):
    ``future`` with a word of the future (将, 预计, will, is to, expected to, hoped to, by
    Thursday), ``planned`` for a date a plan sets or moves (postponed to, confirmed as,
    targeted, 推迟至), ``present`` with a present perfect and no simple past (has
    re-imposed), ``past`` with a word of the past (了, 已, was, said, -ed), else
    ``unknown``."""
    piece = folded[start:end]
    if _PLANNED.search(piece):
        return "planned"
    if _FUTURE.search(piece):
        return "future"
    perfect = _PERFECT.search(piece)
    if perfect is not None:
        rest = piece[: perfect.start()] + piece[perfect.end() :]
        return "past" if _PAST.search(rest) else "present"
    return "past" if _PAST.search(piece) else "unknown"
