"""Reading a request's query string into an EventFilter, refusing what it cannot use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from timeline.events.problems import ProblemError
from timeline.publish.fastpath import CACHE_BUSTER as CACHE_BUSTER
from timeline.store.languages import LanguageTagError, canonical_tag, lookup
from timeline.store.queries import EventFilter
from timeline.store.values import slugify

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: The parameter naming the language of an output (not a filter: it selects no events).
LANG = "lang"
#: The filter parameters every feed, calendar and listing accepts, and ``lang``.
FEED_PARAMETERS = frozenset({"tag", "org", "from", "to", LANG})
#: The parameters of the public documents (calendars, feeds, /timeline.json).
DOCUMENT_PARAMETERS = FEED_PARAMETERS | {CACHE_BUSTER}


def _day(name: str, value: str, errors: list[dict[str, Any]]) -> dt.date | None:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(
            {"parameter": name, "detail": f"{name}={value!r} is not a date of the form YYYY-MM-DD"}
        )
        return None


def parse_filter(
    args: MultiDict[str, str], allowed: Collection[str] = FEED_PARAMETERS
) -> EventFilter:
    """Return the filter that ``args`` ask for.

    ``tag`` (repeatable; an event must carry every tag), ``org`` (a name or alias),
    ``from`` and ``to`` (inclusive days, ``YYYY-MM-DD``), and ``q`` where allowed;
    :data:`CACHE_BUSTER` (any value, any number of times), where allowed, is ignored.
    Raises ProblemError (400) listing every unknown parameter, repeated single parameter,
    value with a control character, and bad value, each as ``{"parameter": name, "detail": ...}``.
    """
    errors: list[dict[str, Any]] = []
    if CACHE_BUSTER in allowed and CACHE_BUSTER in args:
        args = MultiDict([(k, v) for k, v in args.items(multi=True) if k != CACHE_BUSTER])
    for name, value in args.items(multi=True):
        # PostgreSQL text cannot hold NUL, and no tag, name or date has control characters.
        if _CONTROL.search(value):
            errors.append(
                {"parameter": name, "detail": f"{name} must not contain control characters"}
            )
    for name in args:
        if name not in allowed:
            errors.append(
                {
                    "parameter": name,
                    "detail": f"unknown parameter {name!r}; known: {_known(allowed)}",
                }
            )
        elif name != "tag" and len(args.getlist(name)) > 1:
            errors.append({"parameter": name, "detail": f"{name!r} may be given once"})
    tags = []
    for tag in args.getlist("tag"):
        if not slugify(tag):
            errors.append({"parameter": "tag", "detail": f"tag {tag!r} has no letters or digits"})
        tags.append(slugify(tag))
    org = args.get("org")
    if org is not None and not slugify(org):
        errors.append({"parameter": "org", "detail": f"org {org!r} has no letters or digits"})
    start = _day("from", args["from"], errors) if "from" in args else None
    until = _day("to", args["to"], errors) if "to" in args else None
    if start and until and until < start:
        errors.append({"parameter": "to", "detail": f"to={until} is before from={start}"})
    q = args.get("q")
    if q is not None and not (1 <= len(q) <= 200):
        errors.append({"parameter": "q", "detail": "q must have 1 to 200 characters"})
    if errors:
        raise ProblemError(
            400,
            "; ".join(e["detail"] for e in errors),
            title="Bad query parameter",
            errors=errors,
        )
    return EventFilter(tags=tuple(sorted(set(tags))), org=org, start=start, until=until, q=q)


def _known(allowed: Collection[str]) -> str:
    return ", ".join(sorted(name for name in allowed if name != CACHE_BUSTER))


def offered_languages(config: Mapping[str, Any]) -> list[str]:
    """Return the languages the outputs offer: ``LANGUAGE``, then the other
    ``LANGUAGES``, as canonical BCP 47 tags."""
    tags = [canonical_tag(t) for t in (config["LANGUAGE"], *config["LANGUAGES"])]
    return list(dict.fromkeys(tags))


def parse_language(args: MultiDict[str, str], offered: Collection[str]) -> str | None:
    """Return the language that ``?lang=`` asks for, as the tag of ``offered`` (see
    :func:`offered_languages`) it matches by BCP 47 Lookup (RFC 4647 §3.4: ``zh-CN`` and
    ``ZH`` ask for ``zh``), or None when it is not given.

    Raises ProblemError (400, naming the parameter ``lang``) for a value that is not a
    BCP 47 tag (RFC 5646), none of whose prefixes is offered, or given twice.
    """
    values = args.getlist(LANG)
    if not values:
        return None
    detail = ""
    found = None
    if len(values) > 1:
        detail = "'lang' may be given once"
    else:
        try:
            found = lookup(canonical_tag(values[0]), offered)
        except LanguageTagError as error:
            detail = f"lang: {error}"
        else:
            if found is None:
                detail = f"lang={values[0]!r} is not offered; known: {', '.join(offered)}"
    if found is None:
        raise ProblemError(
            400,
            detail,
            title="Bad query parameter",
            errors=[{"parameter": LANG, "detail": detail}],
        )
    return found
