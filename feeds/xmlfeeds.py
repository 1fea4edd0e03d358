"""RSS 2.0 and Atom 1.0 rendering with feedgen."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Literal

from feedgen.feed import FeedGenerator

from feeds.model import Channel, Entry
from feeds.text import (
    UNTITLED,
    body_text,
    channel_description,
    clean_channel,
    clean_entry,
    feed_title,
)
from feeds.times import item_instant, whole_seconds

GENERATOR = "timeline"
_SELF_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def is_permalink(entry: Entry) -> bool:
    """Return whether ``entry.guid`` is the URL of the event's own page (RSS isPermaLink)."""
    return entry.guid.startswith(("https://", "http://")) and entry.guid == entry.link


def rss_html(text: str) -> str:
    """Return plain ``text`` as the HTML an RSS description holds: escaped, LF as ``<br />``.

    ``html.unescape`` of the result, with ``<br />`` removed, gives back ``text``.
    """
    return html.escape(text, quote=False).replace("\n", "<br />\n")


class _AlternateRel:
    """feedgen entry extension: write ``rel="alternate"`` on the Atom entry's links.

    feedgen 1.0 drops the ``rel`` of entry links (its loop variable shadows the link
    data); RFC 4287 §4.2.7.2 reads a missing rel as alternate, but say it explicitly.
    """

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_rss(self, element: Any) -> Any:
        return element

    def extend_atom(self, element: Any) -> Any:
        for link in element.iterfind("link"):
            if link.get("rel") is None:
                link.set("rel", "alternate")
        return element


def _feed(channel: Channel, entries: Sequence[Entry], fmt: Literal["rss", "atom"]) -> bytes:
    channel = clean_channel(channel)
    title = channel.title if channel.title.strip() else UNTITLED
    fg = FeedGenerator()
    # Every date is set explicitly: feedgen defaults the feed's and the entries'
    # updated/lastBuildDate to the current time, which would change the bytes per request.
    # Whole seconds everywhere: ROME (many Java readers) reads no fraction of a second.
    fg.updated(whole_seconds(channel.updated))
    fg.id(channel.id)
    fg.title(title)
    fg.author({"name": title})
    # feedgen's RSS <link> is the last link added: the self link goes first.
    fg.link(href=channel.self_url, rel="self", type=_SELF_TYPES[fmt])
    fg.link(href=channel.link, rel="alternate")
    fg.description(channel_description(channel))
    fg.language(channel.language)
    fg.generator(GENERATOR)
    fg.ttl(max(1, channel.refresh_interval // 60))
    fg.register_extension("timeline_rel", _AlternateRel, _AlternateRel, atom=True, rss=False)
    for raw in entries:
        entry = clean_entry(raw)
        # order="append" keeps the caller's newest-first order (the default prepends).
        item = fg.add_entry(order="append")
        item.guid(entry.guid, permalink=is_permalink(entry))
        # An RSS title is read as HTML by many readers (feedparser calls it text/html
        # whenever it holds markup or an entity): it is HTML-escaped, then XML-escaped,
        # as the description is, so "<b>" shows as written rather than as bold.
        title = feed_title(entry)
        item.title(rss_html(title) if fmt == "rss" else title)
        item.link(href=entry.url or entry.link, rel="alternate")
        item.published(whole_seconds(item_instant(entry)))
        item.updated(whole_seconds(entry.updated))
        if entry.tags:
            item.category([{"term": tag} for tag in entry.tags])
        body = body_text(entry)
        if body and fmt == "rss":
            item.description(rss_html(body))
        elif body:
            item.content(body, type="text")
    if fmt == "rss":
        rss: bytes = fg.rss_str(pretty=True, encoding="UTF-8")
        return rss
    atom: bytes = fg.atom_str(pretty=True, encoding="UTF-8")
    return atom


def render_rss(channel: Channel, entries: Sequence[Entry]) -> bytes:
    """Render an RSS 2.0 document (https://www.rssboard.org/rss-specification), UTF-8 XML.

    ``entries`` are output in the order given (the caller sorts newest first and caps).
    Channel: title, link, description (the title when blank), language,
    ``atom:link rel="self"``, lastBuildDate = ``channel.updated``, generator, ttl in
    minutes from ``channel.refresh_interval``. Item: title with the precision marker and
    description (plain body), each HTML-escaped (the description's line breaks as
    ``<br />``) and then XML-escaped, for the many readers that render both as HTML
    (``A <b>`` is ``A &amp;lt;b&amp;gt;``); link (``url``, else ``link``), guid
    (``isPermaLink="true"`` only when it is the event's page URL), one category per tag,
    pubDate = start (all-day: the first day at 10:00 UTC, see
    :data:`feeds.times.ALL_DAY_HOUR`).
    Dates in whole seconds. Control characters are removed. Raises ValueError as
    :func:`feeds.render_vevent`.
    """
    return _feed(channel, entries, "rss")


def render_atom(channel: Channel, entries: Sequence[Entry]) -> bytes:
    """Render an Atom 1.0 document (RFC 4287), UTF-8 XML.

    ``entries`` are output in the order given. Feed: id = ``channel.id``, title, author
    (the title), alternate and self links, subtitle, xml:lang, generator, updated =
    ``channel.updated``. Entry: id = guid, title with the precision marker, one
    ``rel="alternate"`` link (``url``, else ``link``), ``content type="text"`` with the
    plain body when non-empty, one category per tag, published = start (all-day: the
    first day at 10:00 UTC, see :data:`feeds.times.ALL_DAY_HOUR`), updated =
    ``entry.updated``; dates in whole seconds (RFC 3339 without a fraction). Raises
    ValueError as :func:`feeds.render_vevent`.
    """
    return _feed(channel, entries, "atom")
