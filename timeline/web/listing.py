"""What the pages show of events, in the page's language: each event's date in words and
links, the list's headings by month, and the active filter in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from sqlalchemy import orm

from feeds import Entry
from feeds.text import UNTITLED, marked_cancelled
from feeds.times import local_date
from timeline.publish.convert import to_entry
from timeline.publish.occurrences import expand, with_recurring
from timeline.store.models import Event
from timeline.store.queries import EventFilter, Window, cursor_after, list_events
from timeline.web import i18n
from timeline.web.i18n import gettext, pgettext


def event_views(events: Sequence[Event], lang: str | None = None) -> list[dict[str, Any]]:
    """Return what the pages show of each of ``events``, in order, its texts in ``lang``
    (BCP 47, or None: the original; see :func:`timeline.publish.convert.texts`): ``event``,
    ``entry`` (the renderers' view), ``title``, ``description`` and their ``language`` and
    ``description_language``, ``when`` (the date as the source writes it), ``date`` (see
    :func:`date_text`), ``datetime`` (its first local day, ISO 8601), ``url`` (its page),
    ``organizations`` and ``tags`` as ``(text, URL of the timeline filtered by it)``."""
    config = current_app.config
    # The page says the precision once, in the date beside the title; calendars and
    # feeds, which have no date column, carry it in the title too
    # (feeds.text.display_title).
    return entry_views([(event, to_entry(event, config, lang)) for event in events])


def entry_views(pairs: Sequence[tuple[Event, Entry]]) -> list[dict[str, Any]]:
    """Return what the pages show of each of ``pairs`` (an event and its entry, or one
    of its occurrences' entries: :func:`timeline.publish.occurrences.expand`), in order,
    as :func:`event_views` says; ``anchor`` is the entry's id (unique on the page: an
    occurrence's is :func:`timeline.publish.occurrences.occurrence_id`), ``url`` the
    event's page."""
    timeline = url_for("pages.index")
    page = url_for("pages.event_page", event_id="-").removesuffix("-")
    views = []
    for event, entry in pairs:
        views.append(
            {
                "event": event,
                "entry": entry,
                "anchor": entry.id,
                "title": marked_cancelled(entry, entry.title if entry.title.strip() else UNTITLED),
                "description": entry.description,
                "language": entry.language,
                "description_language": entry.description_language,
                "when": event.when_text,
                "date": date_text(event, entry),
                "datetime": local_date(entry).isoformat(),
                "url": page + quote(event.id, safe=""),
                "organizations": [
                    (name, f"{timeline}?{urlencode({'org': name})}") for name in entry.organizations
                ],
                "tags": [
                    (f"#{tag.label}", f"{timeline}?{urlencode({'tag': tag.tag_slug})}")
                    for tag in event.tags
                ],
            }
        )
    return views


def window_views(
    session: orm.Session, flt: EventFilter, window: Window, lang: str | None = None
) -> list[dict[str, Any]]:
    """Return the views (see :func:`entry_views`) of the page's ``window`` of events
    matching ``flt``, newest first, a recurring event (RFC 5545 §3.8.5) replaced by its
    occurrences on the window's days, each at its own date, with the occurrences there of
    the recurring events outside the window (:func:`timeline.publish.occurrences.expand`,
    :func:`~timeline.publish.occurrences.with_recurring`: at most ``MAX_OCCURRENCES``
    each; an overridden instance is an event of its own, in the window by its start).

    The window's days (UTC days, inclusive) run from the day after the next older
    matching event's (one more query; ``flt.start`` when none is older) to the newest
    event's (``flt.until`` when none is newer): the windows taken one after the other
    share out the days, so that each occurrence shows on one page."""
    events = window.events
    if not events:
        return []
    first, last = flt.start, flt.until
    if window.more_older:
        for older in list_events(session, flt, limit=1, cursor=cursor_after(events[-1])):
            after = older.start.astimezone(dt.UTC).date() + dt.timedelta(days=1)
            first = after if first is None else max(first, after)
    if window.more_newer:
        newest = events[0].start.astimezone(dt.UTC).date()
        last = newest if last is None else min(last, newest)
    events = with_recurring(session, replace(flt, start=first, until=last), events)
    config = current_app.config
    pairs: list[tuple[Event, Entry]] = []
    for event in events:
        entry = to_entry(event, config, lang)
        if not (event.rrule or event.rdate):
            pairs.append((event, entry))
            continue
        for shown in expand(session, [(event, entry)], first, last):
            pairs.append((event, shown))
    pairs.sort(key=lambda pair: _utc_start(pair[1]), reverse=True)
    return entry_views(pairs)


def _utc_start(entry: Entry) -> dt.datetime:
    """Where ``entry`` stands in newest-first order: its start in UTC (an all-day one at
    the midnight UTC that begins its first day, as the store keeps it)."""
    if isinstance(entry.start, dt.datetime):
        return entry.start.astimezone(dt.UTC)
    return dt.datetime(entry.start.year, entry.start.month, entry.start.day, tzinfo=dt.UTC)


def group_by_period(views: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Return the events' ``views`` (see :func:`event_views`, newest first) under
    headings, newest first: their month (``February 2025``, ``2025年2月``), or their year
    (``2025``, ``2025年``) when only the year is known, listed after that year's months
    since it may be any of them. Days are the events' local days; the headings are in the
    page's language."""
    groups: dict[tuple[int, int], tuple[str, list[dict[str, Any]]]] = {}
    for view in views:
        day = local_date(view["entry"])
        key = (day.year, 0 if view["event"].precision == "year" else day.month)
        if key not in groups:
            heading = i18n.year_text(day.year) if key[1] == 0 else i18n.month_text(day)
            groups[key] = (heading, [])
        groups[key][1].append(view)
    return [groups[key] for key in sorted(groups, reverse=True)]


def filter_text(flt: EventFilter) -> str:
    """Return the active filter in words in the page's language, ``""`` for none:
    ``tagged #policy, of “OpenAI”, from 2025-01-01, until 2025-02-28`` (tags as their
    slugs, the organization as given, days in ISO 8601)."""
    words = [gettext("tagged #%(tag)s", tag=tag) for tag in flt.tags]
    if flt.org is not None:
        words.append(gettext("of “%(org)s”", org=flt.org))
    if flt.start is not None:
        words.append(gettext("from %(day)s", day=flt.start.isoformat()))
    if flt.until is not None:
        words.append(gettext("until %(day)s", day=flt.until.isoformat()))
    return pgettext("between the parts of a filter", ", ").join(words)


def date_text(event: Event, entry: Entry) -> str:
    """Return the date of ``event`` (``entry`` its renderers' view) as shown on the pages,
    with its precision, in the page's language: ``17 Feb 2025``, ``9–10 Feb 2025``,
    ``January 2025 (day not reported)``, ``around 22 Jan 2025``, ``20 Aug 2025, 16:00
    (Europe/Madrid)``; ``2025年2月17日``, ``2025年2月9日至10日``, ``2025年1月（日期未报道）``,
    ``约2025年1月22日``."""
    text = _plain_date(event, entry)
    return gettext("around %(date)s", date=text) if event.approximate else text


def _plain_date(event: Event, entry: Entry) -> str:
    first = local_date(entry)
    if event.precision == "year":
        return gettext("%(year)s (date not reported)", year=i18n.year_text(first.year))
    if event.precision == "month":
        return gettext("%(month)s (day not reported)", month=i18n.month_text(first))
    if isinstance(entry.start, dt.datetime):
        zone = event.timezone or "UTC"
        local = entry.start.astimezone(ZoneInfo(zone))
        pattern = pgettext("LDML date pattern: a day and a time", "d MMM y, HH:mm")
        return gettext("%(time)s (%(zone)s)", time=i18n.format_pattern(local, pattern), zone=zone)
    last = (entry.end or first + dt.timedelta(days=1)) - dt.timedelta(days=1)
    assert isinstance(last, dt.date)
    if last == first:
        return i18n.day_text(first)
    if (last.year, last.month) == (first.year, first.month):
        first_text = i18n.format_pattern(
            first, pgettext("LDML date pattern: first day of days in one month", "d")
        )
        last_text = i18n.format_pattern(
            last, pgettext("LDML date pattern: last day of days in one month", "d MMM y")
        )
        return gettext("%(first)s–%(last)s", first=first_text, last=last_text)
    return gettext("%(first)s – %(last)s", first=i18n.day_text(first), last=i18n.day_text(last))
