"""Blueprint of the HTML pages: the timeline, one event, and the health check."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, render_template, request

from feeds.text import MONTHS, display_title
from feeds.times import local_date
from timeline import db
from timeline.convert import to_entry
from timeline.filters import parse_filter
from timeline.lookup import live_event
from timeline.models import Event
from timeline.queries import list_events

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


def _month_key(event: Event) -> tuple[int, int]:
    day = local_date(to_entry(event, current_app.config))
    return day.year, day.month


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


def _view(event: Event) -> dict[str, Any]:
    entry = to_entry(event, current_app.config)
    return {
        "event": event,
        "title": display_title(entry),
        "date": date_text(event),
        "datetime": local_date(entry).isoformat(),
    }


@bp.get("/")
def index() -> str:
    """The timeline: events grouped by month, newest first, with subscribe links."""
    flt = parse_filter(request.args)
    events = list_events(db.get_session(), flt)
    months = [
        (f"{MONTHS[month - 1]} {year}", [_view(e) for e in group])
        for (year, month), group in itertools.groupby(events, key=_month_key)
    ]
    query = urlencode(list(request.args.items(multi=True)))
    return render_template(
        "index.html", months=months, links=subscribe_links(query), count=len(events)
    )


@bp.get("/events/<event_id>")
def event_page(event_id: str) -> str:
    """One event's page (the feed items' link when the event has no url of its own)."""
    event = live_event(db.get_session(), event_id)
    return render_template("event.html", item=_view(event), links=subscribe_links())


@bp.get("/healthz")
def healthz() -> Response:
    """200 when the store answers a query, 503 (with Retry-After) when it does not."""
    db.get_session().execute(sa.select(1))
    return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})
