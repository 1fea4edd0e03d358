"""feeds: renderers of iCalendar, RSS 2.0, Atom 1.0 and JSON Feed 1.1 over plain values.

This package is a library: it imports nothing from ``timeline``, Flask or SQLAlchemy,
reads no clock and no environment. Callers build :class:`Entry` and :class:`Channel`
values and call the ``render_*`` functions, which return bytes.
"""

from feeds.ical import iter_ical, render_ical, render_vevent, vevent_tzid
from feeds.jsonfeed import render_json_feed, render_json_item
from feeds.model import ENGLISH, Channel, Entry, Precision, Wording
from feeds.xmlfeeds import render_atom, render_rss

__all__ = [
    "ENGLISH",
    "Channel",
    "Entry",
    "Precision",
    "iter_ical",
    "render_atom",
    "render_ical",
    "render_json_feed",
    "render_json_item",
    "render_rss",
    "render_vevent",
    "vevent_tzid",
    "Wording",
]
