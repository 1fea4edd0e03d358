"""iCalendar content lines (RFC 5545 §3.1) written as text, without icalendar's object
model: TEXT escaping, DATE and DATE-TIME forms, parameters and folding, each giving the
bytes icalendar's own ``to_ical`` gives for the same value."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable

from icalendar.parser import param_value

from feeds.times import to_utc, zone

#: Octets a folded line holds at most, its CRLF excluded; continuation lines hold this
#: many after their leading space (icalendar folds before the 75th octet).
_FOLD_AT = 74
_FOLD = b"\r\n "


def escape_text(text: str) -> str:
    """Escape ``text`` as a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma,
    and a line break (CRLF, CR or LF) as ``\\n``. Unlike icalendar's escaping, a literal
    backslash-N stays what it is (icalendar turns ``C:\\New`` into two lines)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def escape_icalendar(text: str) -> str:
    """Escape ``text`` exactly as icalendar's ``vText`` does: as :func:`escape_text`,
    except that a literal backslash-N first becomes a line break. Used for the UID (a
    slug on the configured domain, where it changes nothing), so the bytes stay those
    icalendar writes; never for text a person entered, whose backslash-N it would turn
    into a line break."""
    if "\\N" in text:
        text = text.replace("\\N", "\n")
    return escape_text(text)


def text_list(values: Iterable[str], escape: Callable[[str], str] = escape_text) -> str:
    """A comma-separated list of TEXT values (CATEGORIES, RFC 5545 §3.8.1.2), each
    escaped by ``escape`` (:func:`escape_text`)."""
    return ",".join(map(escape, values))


def date_value(value: dt.date) -> str:
    """A DATE value (RFC 5545 §3.3.4): ``YYYYMMDD``, the year on four digits."""
    return "%04d%02d%02d" % (value.year, value.month, value.day)  # noqa: UP031


def utc_value(value: dt.datetime) -> str:
    """The aware ``value`` as a UTC DATE-TIME (RFC 5545 §3.3.5 form #2), ``YYYYMMDDTHHMMSSZ``,
    the fraction of a second dropped. Raises ValueError when ``value`` is naive."""
    if value.tzinfo is not dt.UTC:
        value = to_utc(value)
    return local_value(value) + "Z"


def local_value(value: dt.datetime) -> str:
    """The wall time of ``value`` as a DATE-TIME without zone (the form after a TZID,
    RFC 5545 §3.3.5 form #3): ``YYYYMMDDTHHMMSS``."""
    v = value  # %-format: twice as fast as an f-string here; %Y pads no year below 1000
    return "%04d%02d%02dT%02d%02d%02d" % (v.year, v.month, v.day, v.hour, v.minute, v.second)  # noqa: UP031


@functools.lru_cache(maxsize=256)
def _tzid_param(name: str) -> str | None:
    """``;TZID=<name>`` for IANA zone ``name``, quoted as RFC 5545 §3.1 needs, or None
    for UTC (None, ``UTC``, ``Etc/UTC``)."""
    return None if zone(name) is None else ";TZID=" + param_value(name)


def datetime_property(name: str, value: dt.datetime) -> str:
    """``NAME;TZID=<zone>:<wall time>`` for ``value`` in an IANA ZoneInfo zone (RFC 5545
    §3.3.5 form #3), else ``NAME:<UTC>Z`` (form #2). The zone is always named, also
    where it is at UTC+0 today (Atlantic/Reykjavik, Africa/Abidjan): icalendar writes
    those as UTC, so their wall times before the zone's last change would be off by its
    old offset. Raises ValueError when ``value`` is naive."""
    key = getattr(value.tzinfo, "key", None)
    param = None if key is None else _tzid_param(key)
    if param is None:
        return f"{name}:{utc_value(value)}"
    return f"{name}{param}:{local_value(value)}"


@functools.lru_cache(maxsize=1024)
def language_param(tag: str | None) -> str:
    """``;LANGUAGE=<tag>`` (RFC 5545 §3.2.10), quoted and escaped as icalendar writes a
    parameter (RFC 6868), or ``""`` for None."""
    return "" if tag is None else ";LANGUAGE=" + param_value(tag)


def fold(line: str) -> str:
    """Fold ``line`` (no CR or LF in it) as RFC 5545 §3.1 says, counting UTF-8 octets:
    CRLF and a space before the octet that would make a line 75 long, never inside a
    UTF-8 sequence, and (as icalendar does, for clients that misread it) never right
    after a backslash or caret, which moves to the next line."""
    if len(line) <= _FOLD_AT // 4 or (len(line) <= _FOLD_AT and line.isascii()):
        return line  # short enough in any encoding
    data = line.encode()
    size = len(data)
    if size <= _FOLD_AT:
        return line
    pieces = []
    start = 0
    while size - start > _FOLD_AT:
        cut = start + _FOLD_AT
        while data[cut] & 0xC0 == 0x80:  # a continuation octet: back to its lead
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return _FOLD.join(pieces).decode()


def component(lines: list[str]) -> bytes:
    """Join content ``lines`` (each unfolded, without CRLF) into folded CRLF lines, UTF-8."""
    short = _FOLD_AT // 4
    folded = [
        line if len(line) <= short or (len(line) <= _FOLD_AT and line.isascii()) else fold(line)
        for line in lines
    ]
    return ("\r\n".join(folded) + "\r\n").encode()
