"""The tense of the clause around a date, as far as words show it: news reports the past,
so a clause is in the future only when it says so (will, 将, 计划, scheduled to).

Used as the ``future`` of :func:`timeline.dates.scan.scan`, it turns a bare weekday or a
date without a year towards the past or the future as the clause does."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

# What ends a clause: sentence ends, commas and semicolons, and the words that open a
# clause of its own (He said on Friday that it will ...: the date is in the said clause).
_CLAUSE = re.compile(
    r"[.!?;:。！？；：\n]|[,，、](?!\s*\d)|\s(?:that|and|but|which|who|when|while|after|before"
    r"|because|although|as)\s",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|would|is\s+to|are\s+to|going\s+to|plans?\s+to|planned\s+to"
    r"|expects?\s+to|expected\s+to|is\s+due|are\s+due|due\s+to\s+(?:be|open|start|take|begin)"
    r"|scheduled|set\s+to|upcoming|intends?\s+to|aims?\s+to|hopes?\s+to|from\s+now"
    r"|to\s+(?:run|last|continue|remain|stay|be\s+held|take\s+place|begin|start|open|close|end))\b"
    r"|(?<![女大名主干猛武老小悍战败健虎良强宿])将(?!军|领|士|帅|官)|即将|拟|计划|预计|预期|准备|有望|届时|定于|要于|打算",
    re.IGNORECASE,
)


def future(text: str) -> Callable[[int], bool]:
    """Return ``future(offset)`` for ``text``: True when the clause holding
    ``text[offset]`` has a word of the future (will, going to, scheduled, 将, 计划, 预计),
    False otherwise (news tells what happened)."""
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]

    def clause_is_future(offset: int) -> bool:
        index = bisect.bisect_right(bounds, offset)
        start, end = bounds[index - 1], bounds[min(index, len(bounds) - 1)]
        return _FUTURE.search(text, start, max(end, offset + 1)) is not None

    return clause_is_future
