"""The validated content of an event, as every writer (API, seeds, import) hands it to the store."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, fields
from typing import Any

from timeline.store.languages import lookup

_NON_WORD = re.compile(r"[^\w]+")


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Return the normalized slug of a tag or name: NFKC, case-folded, runs of anything but
    letters and digits (of any script) turned into single ``-``, trimmed.

    ``slugify("Community, Outdoor")`` is ``"community-outdoor"``; ``slugify("欧盟委员会")``
    is ``"欧盟委员会"``. Returns ``""`` when nothing is left. Cached: the same few tags and
    names come back with every event of an import.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub("-", text).replace("_", "-").strip("-")


@dataclass(frozen=True)
class Translation:
    """An event's title and description in a language other than its original one
    (``language``, a canonical BCP 47 tag); ``description`` ``""`` when not translated."""

    language: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class EventData:
    """An event's content, already valid.

    ``start``/``end`` are ``datetime.date`` values for all-day events (``end`` exclusive,
    as RFC 5545 DTEND, never None) and aware datetimes for timed ones (``end`` None for an
    instant). ``timezone`` is an IANA name (kept on all-day events, where it shifts
    nothing). ``tags`` are labels as written; ``organizations`` names or aliases.
    ``source_published`` is what is known of the source's publication date: ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``.

    ``title`` and ``description`` are in the original ``language`` (a canonical BCP 47
    tag); ``translations`` the other languages, sorted by tag, none of them the
    original. ``when`` is the date as the source writes it (``去年8月1日``), if known.

    ``status`` is RFC 5545 §3.8.1.11 STATUS in lowercase (``confirmed``, ``tentative``,
    ``cancelled``). A recurring event has ``rrule`` (an RFC 5545 RECUR value, §3.3.10)
    and/or ``rdate``, and may have ``exdate``: the values as given (see
    :mod:`timeline.dates.recurrence`). An overridden instance of a recurring event
    names it in ``recurrence_of`` and the occurrence it replaces in ``recurrence_id``
    (RFC 5545 §3.8.4.4), in the form of ``start``.
    """

    id: str
    title: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    all_day: bool
    precision: str = "day"
    approximate: bool = False
    description: str = ""
    timezone: str | None = None
    location: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    source_name: str | None = None
    source_published: str | None = None
    source_locator: str | None = None
    language: str = "en"
    translations: tuple[Translation, ...] = ()
    when: str | None = None
    #: Names by language given for organizations of ``organizations``: ``(name, ((tag,
    #: name in it), ...))``. They belong to the organization, not the event: neither
    #: its content hash nor its JSON holds them.
    organization_names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    status: str = "confirmed"
    rrule: str | None = None
    rdate: tuple[str, ...] = ()
    exdate: tuple[str, ...] = ()
    recurrence_of: str | None = None
    recurrence_id: str | None = None

    def titles(self) -> dict[str, str]:
        """Return the title by language tag, the original first."""
        return {self.language: self.title} | {t.language: t.title for t in self.translations}

    def descriptions(self) -> dict[str, str]:
        """Return the non-empty descriptions by language tag, the original first."""
        texts = {self.language: self.description}
        texts |= {t.language: t.description for t in self.translations}
        return {language: text for language, text in texts.items() if text}

    def in_language(self, lang: str | None) -> tuple[str, str, str, str]:
        """Return ``(title language, title, description language, description)`` in the
        language ``lang`` asks for (BCP 47 Lookup, RFC 4647 §3.4: ``zh-CN`` finds
        ``zh``), each falling back to the original when there is no text in it; the
        original's when ``lang`` is None. A description is missing when empty."""
        titles, descriptions = self.titles(), self.descriptions()
        found = lookup(lang, titles) if lang is not None else None
        title_language = found or self.language
        if title_language not in descriptions:
            return title_language, titles[title_language], self.language, self.description
        return title_language, titles[title_language], title_language, descriptions[title_language]

    def to_json(self) -> dict[str, Any]:
        """Return the content as JSON-able values: dates in ISO 8601, datetimes in UTC (a
        new dict each time, whose lists are shared: do not change them)."""
        # Computed once per value (it is frozen): an import asks for its hash and its
        # revision's JSON.
        cached: dict[str, Any] | None = self.__dict__.get("_json")
        if cached is None:
            cached = self._fresh_json()
            object.__setattr__(self, "_json", cached)
        return dict(cached)

    def _fresh_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict (its deep copy of every value was a third of an import),
        # nor a test of each value's type: the fields' types are known.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["start"] = _iso(self.start)
        data["end"] = None if self.end is None else _iso(self.end)
        for name in _LIST_FIELDS:
            data[name] = list(data[name])
        data["translations"] = [_translation(t) for t in self.translations]
        return data

    def content_hash(self) -> str:
        """Return a SHA-256 hex digest of the content: equal content, equal hash."""
        # Computed once per value (it is frozen), though an import asks several times.
        cached: str | None = self.__dict__.get("_content_hash")
        if cached is None:
            content = self.to_json()
            # Left out at their defaults, so that the hashes stored before events had
            # languages still say "unchanged" for the same content.
            for key, default in _HASHED_ONLY_WHEN_SET:
                if content[key] == default:
                    del content[key]
            encoded = json.dumps(content, sort_keys=True, ensure_ascii=False)
            cached = hashlib.sha256(encoded.encode()).hexdigest()
            object.__setattr__(self, "_content_hash", cached)
        return cached


#: Fields left out of the content hash at their defaults.
_HASHED_ONLY_WHEN_SET: tuple[tuple[str, Any], ...] = (
    ("language", "en"),
    ("translations", []),
    ("when", None),
    ("status", "confirmed"),
    ("rrule", None),
    ("rdate", []),
    ("exdate", []),
    ("recurrence_of", None),
    ("recurrence_id", None),
)

_FIELD_NAMES = tuple(
    field.name for field in fields(EventData) if field.name != "organization_names"
)


#: The fields of plain tuples, JSON lists.
_LIST_FIELDS = ("tags", "organizations", "rdate", "exdate")


def _iso(value: dt.date | dt.datetime) -> str:
    """ISO 8601 of a date, or of a datetime in UTC."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _translation(value: Translation) -> dict[str, str]:
    return {"language": value.language, "title": value.title, "description": value.description}
