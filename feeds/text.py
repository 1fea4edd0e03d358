"""Plain-text cleaning and the precision display shared by every renderer."""

from __future__ import annotations

import dataclasses
import re

from feeds.model import MONTHS as MONTHS
from feeds.model import Channel, Entry
from feeds.times import ONE_DAY, all_day_span, local_date

# C0 controls except TAB and LF, DEL, lone surrogates, and the two XML 1.0 non-characters:
# none may reach an ICS (RFC 5545 §3.1) or XML 1.0 (§2.2 Char) document.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")
_SINGLE_LINE = re.compile("[\t\n]")
# What clean_line or clean_text would change: any C0 control (TAB, LF, CR included), DEL,
# lone surrogates, U+FFFE/U+FFFF.
_UNCLEAN_LINE = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_UNCLEAN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

UNTITLED = "(untitled)"


def clean_text(text: str) -> str:
    """Return multi-line plain ``text`` safe for ICS, XML 1.0 and JSON.

    CRLF and lone CR become LF; other C0 control characters (TAB and LF are kept), DEL,
    lone surrogates and U+FFFE/U+FFFF are removed. Never raises.
    """
    return _FORBIDDEN.sub("", _LINE_BREAK.sub("\n", text))


def clean_line(text: str) -> str:
    """Return ``text`` cleaned as :func:`clean_text`, with TAB and LF turned into spaces."""
    return _SINGLE_LINE.sub(" ", clean_text(text))


def _clean_optional(text: str | None) -> str | None:
    return None if text is None else clean_line(text)


def clean_entry(entry: Entry) -> Entry:
    """Return a copy of ``entry`` whose every string field is cleaned.

    ``description`` keeps its line breaks (:func:`clean_text`); every other string,
    including ids, links and tags, becomes one line (:func:`clean_line`). Empty tags
    are dropped. An entry with nothing to clean is returned as it is.
    """
    if _is_clean(entry):
        return entry
    tags = tuple(tag for tag in map(clean_line, entry.tags) if tag)
    organizations = tuple(org for org in map(clean_line, entry.organizations) if org)
    return dataclasses.replace(
        entry,
        id=clean_line(entry.id),
        uid=clean_line(entry.uid),
        guid=clean_line(entry.guid),
        title=clean_line(entry.title),
        link=clean_line(entry.link),
        description=clean_text(entry.description),
        timezone=_clean_optional(entry.timezone),
        location=_clean_optional(entry.location),
        url=_clean_optional(entry.url),
        tags=tags,
        organizations=organizations,
        source_name=_clean_optional(entry.source_name),
        source_published=_clean_optional(entry.source_published),
        source_locator=_clean_optional(entry.source_locator),
        language=_clean_optional(entry.language),
        description_language=_clean_optional(entry.description_language),
    )


def _is_clean(entry: Entry) -> bool:
    """Whether :func:`clean_entry` would change nothing (one search over all the lines)."""
    optional = (
        entry.timezone,
        entry.location,
        entry.url,
        entry.source_name,
        entry.source_published,
        entry.source_locator,
        entry.language,
        entry.description_language,
    )
    lines = (entry.id, entry.uid, entry.guid, entry.title, entry.link)
    joined = " ".join((*lines, *entry.tags, *entry.organizations, *filter(None, optional)))
    return (
        _UNCLEAN_LINE.search(joined) is None
        and _UNCLEAN_TEXT.search(entry.description) is None
        and all(entry.tags)
        and all(entry.organizations)
    )


def clean_channel(channel: Channel) -> Channel:
    """Return a copy of ``channel`` whose string fields are one clean line each."""
    return dataclasses.replace(
        channel,
        id=clean_line(channel.id),
        title=clean_line(channel.title),
        description=clean_line(channel.description),
        link=clean_line(channel.link),
        self_url=clean_line(channel.self_url),
        language=clean_line(channel.language),
        prodid=clean_line(channel.prodid),
    )


def channel_description(channel: Channel) -> str:
    """Return the channel's description, or its title when the description is blank."""
    return channel.description if channel.description.strip() else channel.title


def precision_label(entry: Entry) -> str:
    """Return what is known of the date, over the whole span of an all-day entry, in
    the entry's :class:`feeds.model.Wording` (English: ``"January 2025"``,
    ``"January–March 2025"``, ``"November 2024–February 2025"``, ``"2025"``,
    ``"2024–2025"``, ``"2025-01-15"`` or ``"2025-02-11 to 2025-02-20"``).

    The date is the event's start, in its own time zone for timed events (whose end is
    not part of the label).
    """
    words = entry.wording
    first = local_date(entry)
    last = all_day_span(entry)[1] - ONE_DAY if entry.all_day else first
    if entry.precision == "year":
        if last.year == first.year:
            return words.year % {"year": first.year}
        return words.years % {"first": first.year, "last": last.year}
    if entry.precision == "month":
        name, last_name = words.months[first.month - 1], words.months[last.month - 1]
        if (last.year, last.month) == (first.year, first.month):
            return words.month % {"month": name, "year": first.year}
        if last.year == first.year:
            return words.months_in_year % {"first": name, "last": last_name, "year": first.year}
        return words.months_across_years % {
            "first": name,
            "first_year": first.year,
            "last": last_name,
            "last_year": last.year,
        }
    if last != first:
        return words.days % {"first": first.isoformat(), "last": last.isoformat()}
    return first.isoformat()


def precision_marker(entry: Entry) -> str:
    """Return the title suffix stating the precision, or ``""`` for an exact date.

    In English: ``" (January 2025; day not reported)"``, ``" (2025; date not
    reported)"``, their approximate forms ``" (around January 2025; day not
    reported)"`` and ``" (around 2025; date not reported)"``, and ``" (approximate
    date)"`` for an approximate day or time; in other languages, the entry's
    :class:`feeds.model.Wording`.
    """
    words = entry.wording
    if entry.precision == "month":
        form = words.month_marker_approximate if entry.approximate else words.month_marker
    elif entry.precision == "year":
        form = words.year_marker_approximate if entry.approximate else words.year_marker
    else:
        return words.approximate_marker if entry.approximate else ""
    return form % {"date": precision_label(entry)}


def precision_note(entry: Entry) -> str:
    """Return the sentence that opens the description, or ``""`` for an exact date.

    In English: ``"Date known to the month only: January 2025."``, ``"Date known to the
    year only: 2025."``, or when approximate ``"Approximate date, known to the month
    only: January 2025."``; ``"Approximate date: 2025-01-15."`` for an approximate day
    or time; in other languages, the entry's :class:`feeds.model.Wording`.
    """
    words = entry.wording
    if entry.precision == "month":
        form = words.month_note_approximate if entry.approximate else words.month_note
    elif entry.precision == "year":
        form = words.year_note_approximate if entry.approximate else words.year_note
    elif entry.approximate:
        form = words.approximate_note
    else:
        return ""
    return form % {"date": precision_label(entry)}


def display_title(entry: Entry) -> str:
    """Return the title shown in every format: the title plus :func:`precision_marker`.

    A blank title becomes the wording's ``untitled`` (``"(untitled)"``; Atom and RSS
    need a title).
    """
    title = entry.title if entry.title.strip() else entry.wording.untitled
    return title + precision_marker(entry)


def feed_title(entry: Entry) -> str:
    """Return an item's title in RSS, Atom and JSON Feed: :func:`display_title`, for a
    cancelled event in the wording's ``cancelled`` (``Cancelled: <title>``). (iCalendar
    says it with ``STATUS:CANCELLED``, which clients show in their own words.)"""
    return marked_cancelled(entry, display_title(entry))


def marked_cancelled(entry: Entry, title: str) -> str:
    """Return ``title`` (of ``entry``) in the wording's ``cancelled`` when the event is
    cancelled (``Cancelled: <title>``, ``【已取消】<title>``), else as it is."""
    if entry.status == "cancelled":
        return entry.wording.cancelled % {"title": title}
    return title


def source_line(entry: Entry) -> str:
    """Return ``"Source: name, published 2025-01-03, locator"`` (in the entry's
    :class:`feeds.model.Wording`) or ``""`` without source."""
    words = entry.wording
    parts = [entry.source_name or ""]
    if entry.source_published is not None:
        parts.append(words.published % {"date": entry.source_published})
    parts.append(entry.source_locator or "")
    known = [part for part in parts if part]
    return words.source % {"source": words.separator.join(known)} if known else ""


def body_text(entry: Entry) -> str:
    """Return the plain-text body shown in every format, paragraphs split by blank lines.

    In order, each only when non-empty: :func:`precision_note`, the description,
    :func:`source_line` and the external ``url``. So an exact-dated event without source
    or url has exactly its description as body.
    """
    source = "\n".join(part for part in (source_line(entry), entry.url or "") if part)
    description = entry.description if entry.description.strip() else ""
    paragraphs = (precision_note(entry), description, source)
    return "\n\n".join(part for part in paragraphs if part)
