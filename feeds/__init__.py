"""feeds: renderers of iCalendar, RSS 2.0, Atom 1.0 and JSON Feed 1.1 over plain values.

This package is a library: it imports nothing from ``timeline``, Flask or SQLAlchemy,
reads no clock and no environment. Callers build :class:`Entry` and :class:`Channel`
values and call the ``render_*`` functions, which return bytes.
"""
