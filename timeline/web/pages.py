"""Blueprint of the HTML pages: the timeline, one event, and the health check."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, render_template, request

from feeds.text import MONTHS, UNTITLED
from feeds.times import local_date
from timeline.http import db
from timeline.http.filters import LANG, offered_languages, parse_filter, parse_language
from timeline.http.lookup import live_event
from timeline.publish.convert import to_entry
from timeline.store.models import Event
from timeline.store.queries import EventFilter, list_events
from timeline.web import axis

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
    (``February 2025``), or their year (``2025``) when only the year is known, listed after
    that year's months since it may be any of them. Days are the events' local days."""
    groups: dict[tuple[int, int], tuple[str, list[Event]]] = {}
    for event in events:
        day = local_date(to_entry(event, current_app.config))
        if event.precision == "year":
            key, heading = (day.year, 0), str(day.year)
        else:
            key, heading = (day.year, day.month), f"{MONTHS[day.month - 1]} {day.year}"
        groups.setdefault(key, (heading, []))[1].append(event)
    return [groups[key] for key in sorted(groups, reverse=True)]


def filter_text(flt: EventFilter) -> str:
    """Return the active filter in words, ``""`` for none: ``tagged #policy, of “OpenAI”,
    from 2025-01-01, until 2025-02-28`` (tags as their slugs, the organization as given)."""
    words = [f"tagged #{tag}" for tag in flt.tags]
    if flt.org is not None:
        words.append(f"of “{flt.org}”")
    if flt.start is not None:
        words.append(f"from {flt.start.isoformat()}")
    if flt.until is not None:
        words.append(f"until {flt.until.isoformat()}")
    return ", ".join(words)


def date_text(event: Event) -> str:
    """Return the event's date as shown on the pages, with its precision: ``17 Feb 2025``,
    ``9–10 Feb 2025``, ``January 2025 (day not reported)``, ``around 22 Jan 2025``,
    ``20 Aug 2025, 16:00 (Europe/Madrid)``."""
    entry = to_entry(event, current_app.config)
    first = local_date(entry)
    around = "around " if event.approximate else ""
    if event.precision == "year":
        return f"{around}{first.year} (date not reported)"
    if event.precision == "month":
        return f"{around}{MONTHS[first.month - 1]} {first.year} (day not reported)"
    if isinstance(entry.start, dt.datetime):
        zone = event.timezone or "UTC"
        local = entry.start.astimezone(ZoneInfo(zone))
        return f"{around}{local:%-d %b %Y, %H:%M} ({zone})"
    last = (entry.end or first + dt.timedelta(days=1)) - dt.timedelta(days=1)
    assert isinstance(last, dt.date)
    if last == first:
        return f"{around}{first:%-d %b %Y}"
    if (last.year, last.month) == (first.year, first.month):
        return f"{around}{first.day}–{last:%-d %b %Y}"
    return f"{around}{first:%-d %b %Y} – {last:%-d %b %Y}"


#: What introduces the date as the source writes it, by page language (until the page's
#: words come from message catalogs).
AS_WRITTEN = {"en": "As written: ", "zh": "原文："}


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
        "when": event.when_text,
        "as_written": AS_WRITTEN.get(lang or current_app.config["LANGUAGE"], AS_WRITTEN["en"]),
        "date": date_text(event),
        "datetime": local_date(entry).isoformat(),
    }


def _axis_item(view: dict[str, Any]) -> axis.Item:
    # The mark's <title>: the event's date as the list shows it, and its title.
    entry = to_entry(view["event"], current_app.config)
    return axis.item_of(entry, f"{view['date']}: {view['title']}")


@bp.get("/")
def index() -> str:
    """The timeline: the listed events' picture on a time axis, then the events grouped
    by month (by year when only the year is known), newest first, with subscribe links
    and the active filter named."""
    flt = parse_filter(request.args)
    lang = parse_language(request.args, offered_languages(current_app.config))
    events = list_events(db.get_session(), flt)
    groups = [
        (heading, [_view(e, lang) for e in group]) for heading, group in group_by_period(events)
    ]
    query = urlencode(list(request.args.items(multi=True)))
    items = [_axis_item(item) for _heading, views in groups for item in views]
    return render_template(
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


@bp.get("/events/<event_id>")
def event_page(event_id: str) -> str:
    """One event's page (the feed items' link when the event has no url of its own)."""
    parse_filter(request.args, allowed=(LANG,))
    lang = parse_language(request.args, offered_languages(current_app.config))
    event = live_event(db.get_session(), event_id)
    query = urlencode({LANG: lang}) if lang else ""
    return render_template("event.html", item=_view(event, lang), links=subscribe_links(query))


def error_page(status: int, title: str, detail: str) -> Response:
    """The error page that a browser gets instead of a problem document (see
    :func:`timeline.http.errors.init_app`): ``title`` and ``detail`` in the site's layout,
    with a way back to the timeline; served with ``status``, never cached."""
    body = render_template(
        "error.html", status=status, title=title, detail=detail, links=subscribe_links()
    )
    return Response(
        body, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"}
    )


@bp.get("/healthz")
def healthz() -> Response:
    """200 when the store answers a query, 503 (with Retry-After) when it does not."""
    db.get_session().execute(sa.select(1))
    return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})
