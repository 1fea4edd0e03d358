"""Reading a request's query string into an EventFilter, refusing what it cannot use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from werkzeug.datastructures import MultiDict

from timeline.events.problems import ProblemError
from timeline.store.queries import EventFilter
from timeline.store.values import slugify

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: The filter parameters every feed, calendar and listing accepts.
FEED_PARAMETERS = frozenset({"tag", "org", "from", "to"})


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
    ``from`` and ``to`` (inclusive days, ``YYYY-MM-DD``), and ``q`` where allowed.
    Raises ProblemError (400) listing every unknown parameter, repeated single parameter,
    value with a control character, and bad value, each as ``{"parameter": name, "detail": ...}``.
    """
    errors: list[dict[str, Any]] = []
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
                    "detail": f"unknown parameter {name!r}; known: {', '.join(sorted(allowed))}",
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
