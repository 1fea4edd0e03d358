"""The dateline of a news article: the publication date its first lines give, read by the
scanner (新华社北京2025年2月18日电, PARIS, Feb. 18, 2025 (Reuters) -, a line that holds
only a date)."""

from __future__ import annotations

import datetime as dt

import regex as re

from timeline.dates.scan import scan

#: How far into an article its dateline may lie, in characters.
HEAD = 300
# Before the date, on its line: at most a source and a place (新华社北京, PARIS,).
_BEFORE = re.compile(r"(?:^|\n)(?P<lead>[^\n。.!?！？]{0,40})$")
# After it: 电 or 讯 (a Chinese dispatch), an agency or a dash, or the end of the line.
_AFTER = re.compile(r"[ \t]*(?:电|讯|\([^)\n]{0,40}\)\s*(?:[-–—]+|$)|--|—|[-–](?=\s)|(?=\n)|$)")


def dateline(original: str) -> tuple[dt.date, int, int] | None:
    """Return the publication date of an article's dateline and the (start, end) in
    ``original`` of the dateline (a Chinese one from its line's start to 电, an English
    one from the date to the dash), or None: within the first HEAD characters, a date to
    the day with its year, alone on its line or between a source and place and 电/讯, an
    agency or a dash. A date without a year is not a dateline."""
    head = original[:HEAD]
    for found in scan(head, reference=None):
        when = found.when
        if found.kind != "absolute" or when is None or when.precision != "day":
            continue
        if not isinstance(when.start, dt.date) or when.end != when.start + dt.timedelta(days=1):
            continue
        before = _BEFORE.search(head, 0, found.start)
        after = _AFTER.match(head, found.end)
        if before is None or after is None:
            continue
        if after.group().strip() in ("电", "讯") or re.search(r"\p{Han}", found.text):
            return when.start, before.start("lead"), after.end()
        return when.start, found.start, found.end
    return None
