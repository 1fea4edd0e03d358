"""Reading a request's query string into an EventFilter, refusing what it cannot use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from timeline.events.fields import MAX_TAGS
from timeline.events.problems import ProblemError, listing
from timeline.publish.fastpath import CACHE_BUSTER as CACHE_BUSTER
from timeline.store.languages import LanguageTagError, canonical_tag, lookup
from timeline.store.queries import Anchor, CursorError, EventFilter, decode_cursor
from timeline.store.values import slugify

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: The parameter naming the language of an output (not a filter: it selects no events).
LANG = "lang"
#: The filter parameters every feed, calendar and listing accepts, and ``lang``.
FEED_PARAMETERS = frozenset({"tag", "org", "from", "to", LANG})
#: Where the page's window of events stands: one of them at most (see :func:`parse_window`).
WINDOW_PARAMETERS = ("around", "before", "after")
#: The most ``tag`` values one filter takes: an event carries at most MAX_TAGS tags, so a
#: filter asking for more could match nothing, and each value costs a condition in SQL.
MAX_FILTER_TAGS = MAX_TAGS
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
    """Return the filter that ``args`` ask for, as :func:`read_filter` reads it.

    Raises ProblemError (400) with the errors :func:`read_filter` finds, as
    :func:`timeline.events.problems.listing` lists them; more than
    :data:`MAX_FILTER_TAGS` tags are refused at once, before any is read.
    """
    errors: list[dict[str, Any]] = []
    flt = read_filter(args, allowed, errors)
    if errors:
        raise listing(400, errors, title="Bad query parameter")
    return flt


def read_filter(
    args: MultiDict[str, str], allowed: Collection[str], errors: list[dict[str, Any]]
) -> EventFilter:
    """Return the filter that ``args`` ask for, appending to ``errors`` each mistake as
    ``{"parameter": name, "detail": ...}`` (the filter returned is then meaningless).

    ``tag`` (repeatable; an event must carry every tag), ``org`` (a name or alias),
    ``from`` and ``to`` (inclusive days, ``YYYY-MM-DD``), and ``q`` where allowed;
    :data:`CACHE_BUSTER` (any value, any number of times), where allowed, is ignored.
    Every unknown parameter, repeated single parameter, value with a control character,
    and bad value is an error. Raises ProblemError (400) for more than
    :data:`MAX_FILTER_TAGS` tags, at once, before any is read.
    """
    tag_count = len(args.getlist("tag"))
    if tag_count > MAX_FILTER_TAGS:
        detail = (
            f"tag may be given at most {MAX_FILTER_TAGS} times (an event carries at most "
            f"{MAX_TAGS} tags), not {tag_count}"
        )
        raise ProblemError(
            400,
            detail,
            title="Bad query parameter",
            errors=[{"parameter": "tag", "detail": detail}],
        )
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


def _bad(name: str, detail: str) -> ProblemError:
    return ProblemError(
        400, detail, title="Bad query parameter", errors=[{"parameter": name, "detail": detail}]
    )


def parse_window(args: MultiDict[str, str], size: int) -> Anchor:
    """Return where the page's window of ``size`` events stands (see
    :func:`timeline.store.queries.window_events`): ``around=YYYY-MM-DD``, half of it after
    that day (UTC) and half on and before it; ``before=POSITION``, the events older than
    a position the page links to (:func:`timeline.store.queries.cursor_after`);
    ``after=POSITION``, the newer ones; none, the newest events. Raises ProblemError
    (400 naming the parameter) for a bad day or position, or more than one of them."""
    given = [name for name in WINDOW_PARAMETERS if name in args]
    if len(given) > 1:
        raise _bad(given[1], f"give one of around, before and after, not {' and '.join(given)}")
    if not given:
        return Anchor()
    name = given[0]
    if name == "around":
        errors: list[dict[str, Any]] = []
        day = _day(name, args[name], errors)
        if day is None:
            raise _bad(name, errors[0]["detail"])
        if day == dt.date.max:
            after = dt.datetime.max.replace(tzinfo=dt.UTC)
        else:
            after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        return Anchor((after, ""), newer_holds_it=True, newer=size // 2)
    try:
        position = decode_cursor(args[name])
    except CursorError:
        raise _bad(
            name, f"{name} is not a position the timeline links to; start from its newest events"
        ) from None
    if name == "before":
        return Anchor(position, newer_holds_it=True, newer=0)
    return Anchor(position, newer_holds_it=False, newer=size)
