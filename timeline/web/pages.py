"""Blueprint of the HTML pages: the timeline (a window of events, cached as the feeds
are), one event, and the health check."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from sqlalchemy import orm

from timeline.http import db
from timeline.http.filters import (
    FEED_PARAMETERS,
    LANG,
    WINDOW_PARAMETERS,
    offered_languages,
    parse_filter,
    parse_language,
    parse_window,
)
from timeline.http.lookup import live_event
from timeline.http.timelines import (
    per_timeline,
    shown,
    shown_event,
    shown_filter,
    shown_version,
)
from timeline.publish.caching import cached_document
from timeline.store.languages import text_in
from timeline.store.models import Event
from timeline.store.queries import Anchor, EventFilter, cursor_after, window_events
from timeline.store.timelines import heading_of, list_timelines
from timeline.web import axis, i18n
from timeline.web.listing import event_views, filter_text, group_by_period, window_views

log = logging.getLogger("timeline")
bp = Blueprint("pages", __name__)
per_timeline(bp)


def _webcal(url: str) -> str:
    parts = urlsplit(url)
    return "webcal://" + parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


def subscribe_links(query: str = "") -> dict[str, str]:
    """Return the subscribe URLs of the calendar (with ``query``, a urlencoded filter):
    ``https`` (plain), ``webcal`` (the ``webcal://`` form that Apple and Outlook open,
    never ``webcals://``), ``google`` (Google Calendar's add-by-URL with the webcal URL
    of ``/calendar-google.ics``, the most recent events within ``CALENDAR_MAX_BYTES``,
    URL-encoded, as ``cid``), and the feeds' URLs ``rss``, ``atom`` and ``json``; those
    of the timeline the request is about (under ``/t/<slug>``, or today's)."""
    base = current_app.config["BASE_URL"] + shown().heading.prefix
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


#: The Content-Type of the pages.
HTML = "text/html; charset=utf-8"


def page_key(app: Flask) -> str:
    """Return the short key (16 hex digits) of what the page depends on beyond the store
    and the feeds' settings: ``PAGE_MAX_EVENTS``, ``LANGUAGES``, and the code, templates
    and message catalogs of :mod:`timeline.web`. Part of the page's ETag, so that a new
    release never answers 304 with the old page."""
    key: str | None = app.extensions.get("timeline.page_key")
    if key is None:
        web = Path(__file__).parent
        digest = hashlib.sha256(f"{app.config['PAGE_MAX_EVENTS']!r}".encode())
        digest.update(repr(app.config["LANGUAGES"]).encode())
        sources = [*web.glob("*.py"), *web.glob("templates/*.html"), *web.glob("**/*.mo")]
        for source in sorted(sources):
            digest.update(source.relative_to(web).as_posix().encode() + b"\n")
            digest.update(source.read_bytes())
        key = app.extensions["timeline.page_key"] = digest.hexdigest()[:16]
    return key


def _window_url(name: str, event: Event) -> str:
    """The page's URL with the same filters and language, its window ``name``
    (``before`` or ``after``) the position of ``event``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in WINDOW_PARAMETERS]
    return home_url() + "?" + urlencode([*args, (name, cursor_after(event))])


@bp.app_template_global()
def home_url(**values: str | None) -> str:
    """The path of the page of the timeline the request is about (``/`` for today's),
    with ``values`` as its query (None: left out)."""
    current = shown()
    query: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    if current.slug is None:
        return url_for("pages.index", **query)
    return url_for("t_pages.index", slug=current.slug, **query)


def _index_body(flt: EventFilter, anchor: Anchor, lang: str | None) -> str:
    size = int(current_app.config["PAGE_MAX_EVENTS"])
    session = db.get_session()
    window = window_events(session, flt, anchor, size)
    views = window_views(session, flt, window, lang)
    groups = group_by_period(views)
    # The mark's <title>: the event's date as the list shows it, and its title.
    items = [axis.item_of(v["entry"], f"{v['date']}: {v['title']}") for _, g in groups for v in g]
    feed_args = [(k, v) for k, v in request.args.items(multi=True) if k in FEED_PARAMETERS]
    whole = not (window.more_newer or window.more_older)
    return render_template(
        "index.html",
        groups=groups,
        axis=axis.layout(items),
        urls={view["anchor"]: view["url"] for view in views},
        baseline=axis.BASELINE_PX,
        radius=axis.POINT_RADIUS,
        bar=axis.SPAN_HEIGHT,
        links=subscribe_links(urlencode(feed_args)),
        count=len(window.events) if whole else None,
        filter=filter_text(flt),
        newer=_window_url("after", window.events[0]) if window.more_newer else None,
        older=_window_url("before", window.events[-1]) if window.more_older else None,
        timelines=_timeline_links(session),
    )


def _timeline_links(session: orm.Session) -> list[dict[str, str | bool]]:
    """The timelines the page links to (each one's page, title in the page's language,
    and whether it is the one shown), when the store holds more than one."""
    found = list_timelines(session)
    if len(found) < 2:
        return []
    current, lang = shown(), i18n.page_language()
    links: list[dict[str, str | bool]] = []
    for timeline in found:
        heading = heading_of(timeline)
        title = text_in(heading.names, lang, timeline.language) if heading.names else timeline.slug
        links.append(
            {
                "href": url_for("t_pages.index", slug=timeline.slug),
                "title": title,
                "current": timeline.id == current.id and current.slug is not None,
            }
        )
    return links


def warm_up(app: Flask) -> None:
    """Compile the pages' templates and render the timeline once in each offered language,
    keeping nothing, so that the first visitors after a start wait for no template
    compilation, message catalog or query compilation (``timeline serve`` calls it before
    it listens). A failure is logged: the service still starts."""
    try:
        for name in app.jinja_env.list_templates():
            app.jinja_env.get_template(name)
        for tag in offered_languages(app.config):
            with app.test_request_context(f"/?{LANG}={tag}"):
                _index_body(EventFilter(), Anchor(), tag)
    except Exception:
        log.exception("warming up the pages failed")


@bp.get("/")
def index() -> Response:
    """The timeline: a window of at most ``PAGE_MAX_EVENTS`` events matching the filters
    (the newest; ``around`` a day; ``before`` or ``after`` a position the page links to),
    their picture on a time axis, then the events grouped by month (by year when only
    the year is known), newest first, with links to the newer and older ones, subscribe
    links and the active filter named. Cached and revalidated as the feeds are (ETag,
    304), one document per language; a page whose language ``?lang=`` names is answered
    by the fast path too."""
    flt = parse_filter(request.args, allowed=FEED_PARAMETERS | set(WINDOW_PARAMETERS))
    flt = shown_filter(flt)
    anchor = parse_window(request.args, int(current_app.config["PAGE_MAX_EVENTS"]))
    asked = parse_language(request.args, offered_languages(current_app.config))
    lang = i18n.asked_language()
    version = shown_version()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kind = f"page\n{page_key(app)}\n{lang or ''}"
    response = cached_document(
        kind,
        HTML,
        version,
        lambda: [_index_body(flt, anchor, lang).encode()],
        shared=asked is not None,
        cross_origin=False,
        timeline=shown().id,
    )
    return i18n.vary(response)


@bp.get("/events/<event_id>")
def event_page(event_id: str) -> Response:
    """One event's page (the feed items' link when the event has no url of its own)."""
    parse_filter(request.args, allowed=(LANG,))
    asked = parse_language(request.args, offered_languages(current_app.config))
    lang = i18n.asked_language()
    event = shown_event(live_event(db.get_session(), event_id))
    query = urlencode({LANG: asked}) if asked else ""
    (item,) = event_views([event], lang)
    body = render_template("event.html", item=item, links=subscribe_links(query))
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
