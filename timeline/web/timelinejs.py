"""Blueprint of the timeline in TimelineJS3's JSON format, for embedding elsewhere."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from feeds.timelinejs import render_timelinejs
from feeds.times import item_instant
from timeline.http import db
from timeline.http.cors import public_reads
from timeline.http.filters import (
    DOCUMENT_PARAMETERS,
    offered_languages,
    parse_filter,
    parse_language,
)
from timeline.http.timelines import per_timeline, shown, shown_filter, shown_version
from timeline.publish.caching import cached_document, document_path
from timeline.publish.convert import to_entry
from timeline.publish.documents import channel
from timeline.publish.occurrences import expand, with_recurring
from timeline.store.queries import list_events

bp = Blueprint("timelinejs", __name__)
# TimelineJS fetches its JSON from the page that embeds it, on any host.
public_reads(bp)
per_timeline(bp)

CONTENT_TYPE = "application/json; charset=utf-8"


@bp.get("/timeline.json")
def timeline_json() -> Response:
    """Every event matching the filters, oldest first, as a TimelineJS3 timeline, in the
    language ``?lang=`` asks for (400 naming ``lang`` unless offered); cached and
    revalidated like the feeds."""
    flt = shown_filter(parse_filter(request.args, DOCUMENT_PARAMETERS))
    lang = parse_language(request.args, offered_languages(current_app.config))
    version = shown_version()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = document_path()
    heading = shown().heading

    def render() -> list[bytes]:
        session = db.get_session()
        events = with_recurring(session, flt, list_events(session, flt))
        pairs = [(event, to_entry(event, app.config, lang)) for event in reversed(events)]
        entries = expand(session, pairs, flt.start, flt.until)
        entries.sort(key=item_instant)  # occurrences among the others, oldest first
        return [render_timelinejs(channel(app, version, path, lang, heading), entries)]

    return cached_document("timelinejs", CONTENT_TYPE, version, render, timeline=shown().id)
