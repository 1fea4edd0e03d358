"""Blueprint of the HTML pages: the timeline, one event, and the health check."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, make_response, render_template, request

from feeds.text import UNTITLED
from feeds.times import local_date
from timeline.http import db
from timeline.http.filters import LANG, offered_languages, parse_filter, parse_language
from timeline.http.lookup import live_event
from timeline.publish.convert import to_entry
from timeline.store.models import Event
from timeline.store.queries import EventFilter, list_events
from timeline.web import axis, i18n
from timeline.web.i18n import gettext, pgettext

bp = Blueprint("pages", __name__)


def _webcal(url: str) -> str:
    parts = urlsplit(url)
    return "webcal://" + parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


def subscribe_links(query: str = "") -> dict[str, str]:
    """Return the subscribe URLs of the calendar (with ``query``, a urlencoded filter):
    ``https`` (plain), ``webcal`` (the ``webcal://`` form that Apple and Outlook open,
    never ``webcals://``), ``google`` (Google Calendar's add-by-URL with the webcal URL
    of ``/calendar-google.ics``, the most recent events within ``CALENDAR_MAX_BYTES``,
    URL-encoded, as ``cid``), and the feeds' URLs ``rss``, ``atom`` and ``json``."""
    base = current_app.config["BASE_URL"]
    suffix = f"?{query}" if query else ""
    https = f"{base}/calendar.ics{suffix}"
    google = _webcal(f"{base}/calendar-google.ics{suffix}")
    return {
        "https": https,
        "webcal": _webcal(https),
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(google, safe=""),
        "rss": f"{base}/feed.rss{suffix}",
        "atom": f"{base}/feed.atom{suffix}",
        "json": f"{base}/feed.json{suffix}",
    }


def group_by_period(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """Return ``events`` (newest first) under headings, newest first: their month
    (``February 2025``, ``2025年2月``), or their year (``2025``, ``2025年``) when only the
    year is known, listed after that year's months since it may be any of them. Days are
    the events' local days; the headings are in the page's language."""
    groups: dict[tuple[int, int], tuple[str, list[Event]]] = {}
    for event in events:
        day = local_date(to_entry(event, current_app.config))
        if event.precision == "year":
            key, heading = (day.year, 0), i18n.year_text(day.year)
        else:
            key, heading = (day.year, day.month), i18n.month_text(day)
        groups.setdefault(key, (heading, []))[1].append(event)
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


def date_text(event: Event) -> str:
    """Return the event's date as shown on the pages, with its precision, in the page's
    language: ``17 Feb 2025``, ``9–10 Feb 2025``, ``January 2025 (day not reported)``,
    ``around 22 Jan 2025``, ``20 Aug 2025, 16:00 (Europe/Madrid)``; ``2025年2月17日``,
    ``2025年2月9日至10日``, ``2025年1月（日期未报道）``, ``约2025年1月22日``."""
    text = _plain_date(event)
    return gettext("around %(date)s", date=text) if event.approximate else text


def _plain_date(event: Event) -> str:
    entry = to_entry(event, current_app.config)
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


def _view(event: Event, lang: str | None = None) -> dict[str, Any]:
    # The page says the precision once, in the date beside the title; calendars and feeds,
    # which have no date column, carry it in the title too (feeds.text.display_title).
    entry = to_entry(event, current_app.config, lang)
    return {
        "event": event,
        "title": entry.title if entry.title.strip() else UNTITLED,
        "description": entry.description,
        "language": entry.language,
        "description_language": entry.description_language,
        "organizations": event.organization_names_in(lang),
        "when": event.when_text,
        "as_written": gettext("As written: "),
        "date": date_text(event),
        "datetime": local_date(entry).isoformat(),
    }


def _axis_item(view: dict[str, Any]) -> axis.Item:
    # The mark's <title>: the event's date as the list shows it, and its title.
    entry = to_entry(view["event"], current_app.config)
    return axis.item_of(entry, f"{view['date']}: {view['title']}")


@bp.get("/")
def index() -> Response:
    """The timeline: the listed events' picture on a time axis, then the events grouped
    by month (by year when only the year is known), newest first, with subscribe links
    and the active filter named."""
    flt = parse_filter(request.args)
    parse_language(request.args, offered_languages(current_app.config))
    lang = i18n.asked_language()
    events = list_events(db.get_session(), flt)
    groups = [
        (heading, [_view(e, lang) for e in group]) for heading, group in group_by_period(events)
    ]
    query = urlencode(list(request.args.items(multi=True)))
    items = [_axis_item(item) for _heading, views in groups for item in views]
    body = render_template(
        "index.html",
        groups=groups,
        axis=axis.layout(items),
        baseline=axis.BASELINE_PX,
        radius=axis.POINT_RADIUS,
        bar=axis.SPAN_HEIGHT,
        links=subscribe_links(query),
        count=len(events),
        filter=filter_text(flt),
    )
    return i18n.vary(make_response(body))


@bp.get("/events/<event_id>")
def event_page(event_id: str) -> Response:
    """One event's page (the feed items' link when the event has no url of its own)."""
    parse_filter(request.args, allowed=(LANG,))
    asked = parse_language(request.args, offered_languages(current_app.config))
    lang = i18n.asked_language()
    event = live_event(db.get_session(), event_id)
    query = urlencode({LANG: asked}) if asked else ""
    body = render_template("event.html", item=_view(event, lang), links=subscribe_links(query))
    return i18n.vary(make_response(body))


def error_page(status: int, title: str, detail: str) -> Response:
    """The error page that a browser gets instead of a problem document (see
    :func:`timeline.http.errors.init_app`): ``title`` and ``detail`` in the site's layout,
    with a way back to the timeline; served with ``status``, never cached."""
    body = render_template(
        "error.html", status=status, title=title, detail=detail, links=subscribe_links()
    )
    return i18n.vary(
        Response(body, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"})
    )


@bp.get("/healthz")
def healthz() -> Response:
    """200 when the store answers a query, 503 (with Retry-After) when it does not."""
    db.get_session().execute(sa.select(1))
    return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})
