"""VEVENTs of any iCalendar file (ours, Google's, Apple's, Outlook's) as bodies of the JSON
API, undoing what :func:`feeds.render_vevent` adds to our own events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
import zoneinfo
from collections.abc import Sequence
from typing import Any

import icalendar
import x_wr_timezone
from icalendar.error import GloballyUniqueTZIDGuessed
from x_wr_timezone import X_WR_TIMEZONE

from feeds import Entry
from feeds.text import body_text, precision_marker
from timeline.io.icsrecur import Lenient, RecurrenceReadError, recurrence_fields
from timeline.io.icszones import FileZones
from timeline.publish.wording import wordings

PRECISIONS = ("year", "month", "day", "datetime")
_ONE_DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ESCAPED = re.compile(r"\\(.)|(,)", re.DOTALL)
_FORMS = {"DURATION": "a DURATION (RFC 5545 §3.3.6)"}
# Stands for the description while the renderer composes the body around it.
_HOLE = "\ue000"


class VeventError(ValueError):
    """A VEVENT that cannot become an event body, for a reason the API's validation
    cannot name; the message starts with the property it is about."""


def read_calendar(text: str) -> tuple[list[icalendar.Event], FileZones, str | None]:
    """Return the VEVENTs of an iCalendar document (RFC 5545), in order, the time
    zones its TZIDs name (see :class:`timeline.io.icszones.FileZones`), and its
    X-WR-TIMEZONE when that names an IANA zone (else None).

    A calendar with ``X-WR-TIMEZONE`` naming an IANA zone (Google Calendar's exports)
    is first brought into RFC 5545 form by the ``x-wr-timezone`` library: its floating
    and UTC times become times in that zone (the same instant for UTC times). An
    unknown X-WR-TIMEZONE is ignored. Raises ValueError (from icalendar) when ``text``
    is not one VCALENDAR.
    """
    with warnings.catch_warnings():
        # icalendar guesses vendor TZIDs with a warning; FileZones resolves them anew.
        warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
        calendar = icalendar.Calendar.from_ical(text)
    zone = _zone_name(str(calendar.get(X_WR_TIMEZONE, "")))
    if zone is not None:
        calendar = x_wr_timezone.to_standard(calendar, timezone=zoneinfo.ZoneInfo(zone))
    vevents = [c for c in calendar.walk("VEVENT") if isinstance(c, icalendar.Event)]
    return vevents, FileZones(calendar), zone


def _one(vevent: icalendar.Event, name: str) -> Any:
    value = vevent.get(name)
    if isinstance(value, list):
        raise VeventError(f"{name}: given more than once")
    return value


def _raw(vevent: icalendar.Event, name: str) -> str | None:
    """The escaped text of a property as written (icalendar keeps X- properties raw)."""
    value = _one(vevent, name)
    return None if value is None else bytes(value.to_ical()).decode("utf-8")


def split_text(raw: str) -> list[str]:
    """Split a comma list of TEXT values and undo their escapes (RFC 5545 §3.3.11:
    ``\\\\``, ``\\;``, ``\\,``, ``\\n``/``\\N``); ``""`` is one empty value."""
    values: list[str] = []
    current: list[str] = []
    end = 0
    for match in _ESCAPED.finditer(raw):
        current.append(raw[end : match.start()])
        end = match.end()
        if match.group(2):
            values.append("".join(current))
            current = []
        else:
            current.append("\n" if match.group(1) in "nN" else match.group(1))
    current.append(raw[end:])
    return [*values, "".join(current)]


def _x_text(vevent: icalendar.Event, name: str) -> str | None:
    raw = _raw(vevent, name)
    return None if raw is None else ",".join(split_text(raw))


def _dt(
    vevent: icalendar.Event, name: str, zones: FileZones | None, lenient: Lenient | None = None
) -> Any:
    """The value of DTSTART, DTEND or DURATION; a DATE-TIME with TZID in the zone that
    ``zones`` finds for it; one with an unknown TZID, or floating, read by ``lenient``
    in the calendar's zone (without ``lenient``: naive, for the API to refuse)."""
    value = _one(vevent, name)
    try:
        result = None if value is None else value.dt
    except ValueError:  # icalendar 7 keeps a broken value and raises on use
        written = bytes(value.to_ical()).decode("utf-8", "replace")
        form = _FORMS.get(name, "a DATE or DATE-TIME (RFC 5545 §3.3.4, §3.3.5)")
        raise VeventError(f"{name}: {written!r} is not {form}") from None
    tzid = getattr(value, "params", {}).get("TZID")
    if lenient is not None and isinstance(result, dt.datetime):
        if result.tzinfo is None or (tzid and zones is not None):
            return lenient.localize(result.replace(tzinfo=None), tzid and str(tzid), zones)
        return result
    if zones is None or not tzid or not isinstance(result, dt.datetime):
        return result
    naive = result.replace(tzinfo=None)
    return zones.localize(naive, str(tzid)) or naive


def _iana(vevent: icalendar.Event, value: dt.datetime) -> str | None:
    """The IANA zone of a DTSTART: its TZID if it is one (or a Windows name icalendar
    maps to one); None for UTC ``Z``, floating times and zones defined only by a
    VTIMEZONE."""
    tzid = vevent["DTSTART"].params.get("TZID")
    if not isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        return None
    if tzid is None and not _floating(vevent):
        return None
    # This machine's tz database has POSIX-rule copies of the zones under posix/.
    return value.tzinfo.key.removeprefix("posix/")


def _floating(vevent: icalendar.Event) -> bool:
    """Whether DTSTART is a floating DATE-TIME (RFC 5545 §3.3.5, form #1)."""
    start: Any = vevent["DTSTART"]
    value = start.dt
    return isinstance(value, dt.datetime) and value.tzinfo is None and "TZID" not in start.params


def _zone_name(name: str | None) -> str | None:
    """``name`` if it is an IANA zone this machine knows, else None."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name).key
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None  # OSError: a folder of the database, such as "Europe"


def _timed(vevent: icalendar.Event, start: dt.datetime, end: Any) -> dict[str, Any]:
    """Start, end and timezone in the API's forms. A TZID time is the first of a repeated
    wall time and one skipped by a DST change counts from the offset before it (RFC 5545
    §3.3.5); a floating time goes as it is, so that the API refuses it."""
    if start.tzinfo is None:
        tzid = vevent["DTSTART"].params.get("TZID")
        fields = {"start": start.isoformat(), "timezone": tzid}
        return fields | ({"end": end.isoformat()} if end is not None else {})
    # A UTC time with X-TIMELINE-TIMEZONE is ours: the second of a repeated wall time.
    name = _iana(vevent, start) or _zone_name(_x_text(vevent, "X-TIMELINE-TIMEZONE"))
    target = zoneinfo.ZoneInfo(name) if name else start.tzinfo

    def text(value: Any) -> str:
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            return str(value.isoformat())
        local = value.astimezone(dt.UTC).astimezone(target)
        return local.isoformat().replace("+00:00", "Z") if name is None else local.isoformat()

    fields = {"start": text(start), "timezone": name}
    return fields | ({"end": text(end)} if end is not None else {})


def _all_day(start: dt.date, end: Any, precision: str) -> dict[str, Any]:
    """Start and end (the last day, month or year, inclusive) of DATE values with an
    exclusive DTEND (RFC 5545 §3.6.1), in the API's forms of ``precision``."""
    if isinstance(end, dt.datetime):
        return {"start": start.isoformat(), "end": end.isoformat()}
    last = start if end is None else end - _ONE_DAY
    size = {"year": 4, "month": 7}.get(precision, 10)
    if precision != "day":
        aligned = end is not None and start.day == end.day == 1
        if precision == "year":
            aligned = aligned and start.month == end.month == 1
        if not aligned:
            raise VeventError(
                f"X-TIMELINE-PRECISION: {precision}, but DTSTART and DTEND do not span "
                f"whole {precision}s"
            )
    first, final = start.isoformat()[:size], last.isoformat()[:size]
    return {"start": first} | ({"end": final} if final != first else {})


def _plus(start: Any, duration: dt.timedelta) -> Any:
    """DTSTART plus DURATION: days are nominal (wall-clock), hours to seconds exact
    (RFC 5545 §3.3.6)."""
    if not isinstance(start, dt.datetime) or start.tzinfo is None:
        return start + duration
    nominal = start + dt.timedelta(days=duration.days)
    exact = dt.timedelta(seconds=duration.seconds, microseconds=duration.microseconds)
    return (nominal.astimezone(dt.UTC) + exact).astimezone(start.tzinfo)


def _dates(
    vevent: icalendar.Event,
    precision: str | None,
    zones: FileZones | None,
    lenient: Lenient | None = None,
) -> tuple[dict[str, Any], Any, Any]:
    """The date fields of the body, and DTSTART and the exclusive DTEND as values. An
    all-day DTEND at or before DTSTART is read as one day (as Google and Outlook show
    it), noted by ``lenient``."""
    start, end = _dt(vevent, "DTSTART", zones, lenient), _dt(vevent, "DTEND", zones, lenient)
    if lenient is not None and type(start) is dt.date and type(end) is dt.date and end <= start:
        lenient.note(f"DTEND {end.isoformat()} is not after DTSTART: one day")
        end = start + _ONE_DAY
    if start is None:
        return {}, None, None
    duration = _dt(vevent, "DURATION", None)
    if end is None and isinstance(duration, dt.timedelta):
        end = _plus(start, duration)
    timed = isinstance(start, dt.datetime)
    if precision is not None and timed != (precision == "datetime"):
        form = "a DATE-TIME" if timed else "a DATE"
        raise VeventError(f"X-TIMELINE-PRECISION: {precision}, but DTSTART is {form}")
    if timed:
        return _timed(vevent, start, end), start, end
    return _all_day(start, end, precision or "day"), start, end or start + _ONE_DAY


def _categories(vevent: icalendar.Event) -> list[str]:
    found = vevent.get("CATEGORIES", [])
    groups = found if isinstance(found, list) else [found]
    return [str(value) for group in groups for value in group.cats if str(value)]


def undo_render(
    summary: str, body: str, urls: Sequence[str | None], entry: Entry
) -> tuple[str, str, str | None]:
    """Undo :func:`feeds.text.display_title` and :func:`feeds.text.body_text` for
    ``entry`` (the event as read so far), with the renderer's own functions, in the
    words of any language the catalogs have (a document asked for in Chinese says
    ``（大致日期）``): return the title, the description and the external url, the
    first of ``urls`` whose composed body matches ``body``. Text that does not match
    (edited elsewhere) is kept whole."""
    found = None
    for words in wordings():
        undone = _undo(summary, body, urls, dataclasses.replace(entry, wording=words))
        if undone is None:
            return summary, body, urls[0]
        if undone[1]:  # the body matched: this is the language it was written in
            return undone[0]
        if found is None or (undone[0][0] != summary and found[0] == summary):
            found = undone[0]
    assert found is not None
    return found


def _undo(
    summary: str, body: str, urls: Sequence[str | None], entry: Entry
) -> tuple[tuple[str, str, str | None], bool] | None:
    """:func:`undo_render` in the words of ``entry``, and whether the body matched; None
    for dates the renderer cannot have written."""
    try:
        marker = precision_marker(entry)
        forms = [
            (
                url,
                body_text(dataclasses.replace(entry, url=url, description="")),
                body_text(dataclasses.replace(entry, url=url, description=_HOLE)),
            )
            for url in urls
        ]
    except ValueError:  # dates the renderer cannot have written: the API will say why
        return None
    title = summary[: -len(marker)] if marker and summary.endswith(marker) else summary
    for url, empty, composed in forms:
        if body == empty:
            return (title, "", url), True
        before, _, after = composed.partition(_HOLE)
        fits = len(body) >= len(before) + len(after)
        if fits and body.startswith(before) and body.endswith(after):
            return (title, body[len(before) : len(body) - len(after)], url), True
    return (title, body, urls[0]), False


#: The properties whose content lines identify an event without UID.
CONTENT_KEY = ("DTSTART", "DTEND", "DURATION", "SUMMARY")


def content_key(vevent: icalendar.Event) -> str:
    """Return what identifies a VEVENT without UID: its content lines (RFC 5545 §3.1,
    unfolded, as icalendar writes them) of DTSTART, DTEND, DURATION and SUMMARY, those
    present, in that order, joined by CR LF. The same event exported again gives the
    same key; moving or renaming it gives another."""
    return "\r\n".join(
        vevent.content_line(name, vevent[name])
        for name in CONTENT_KEY
        if name in vevent and not isinstance(vevent[name], list)
    )


def _checked_uid(vevent: icalendar.Event) -> str | None:
    uid = _one(vevent, "UID")
    return None if uid is None or not str(uid) else str(uid)


def _text(vevent: icalendar.Event, name: str) -> str | None:
    value = _one(vevent, name)
    return None if value is None else str(value)


def _location(vevent: icalendar.Event) -> str | None:
    """LOCATION on one line: Apple Calendar writes an address as lines, which the API's
    one-line field refuses; they are joined with ", "."""
    text = _text(vevent, "LOCATION")
    if text is None or ("\n" not in text and "\r" not in text):
        return text  # as it is: our own export's location round-trips exactly
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return ", ".join(line for line in lines if line)


def vevent_body(
    vevent: icalendar.Event,
    *,
    id_domain: str,
    base_url: str,
    zones: FileZones | None = None,
    lenient: Lenient | None = None,
) -> tuple[dict[str, Any], str | None, bool]:
    """Return the JSON API body of ``vevent`` (see :class:`timeline.events.schemas.EventInput`)
    and, when the body has no id, what the event's id is to be derived from: its UID
    (third value True), or for a VEVENT without UID its :func:`content_key` (False).

    Our own UID ``<id>@<id_domain>`` gives the id. DATE values are all-day with DTEND
    exclusive (a missing DTEND: one day); DATE-TIME with TZID keeps the zone (an IANA or
    Windows name, or the file's VTIMEZONE of that TZID: see
    :meth:`timeline.io.icszones.FileZones.localize`, given as ``zones``), ``Z`` is UTC, a
    floating time is left for the API to refuse (the zone is never guessed;
    X-WR-TIMEZONE is applied by :func:`read_calendar`). CATEGORIES are the tags;
    LOCATION's lines are joined with ", ". A VEVENT with ``X-TIMELINE-PRECISION`` was
    rendered by :func:`feeds.render_vevent`: its precision, approximation, time zone,
    organizations and source come from the X- properties,
    and the precision marker, note, source line and url that the renderer added to
    SUMMARY and DESCRIPTION are taken off. The URL is dropped when it is the event's
    own page ``<base_url>/events/<id>``. STATUS, RRULE, RDATE, EXDATE and RECURRENCE-ID
    are read by :func:`timeline.io.icsrecur.recurrence_fields`; an overridden instance of
    ours names its own id in ``X-TIMELINE-ID`` (its UID is its recurring event's).

    With ``lenient`` (an import), what real clients read leniently is repaired and each
    repair noted there: floating times and unknown TZIDs are read in the calendar's
    zone, an all-day DTEND at or before DTSTART is one day, a missing SUMMARY is the
    placeholder title. Raises VeventError for X- properties that contradict the dates
    and recurrence properties that cannot be read.
    """
    uid = _checked_uid(vevent)
    precision = _x_text(vevent, "X-TIMELINE-PRECISION")
    if precision is not None and precision not in PRECISIONS:
        raise VeventError(f"X-TIMELINE-PRECISION: {precision!r} is not one of {PRECISIONS}")
    body, start, end = _dates(vevent, precision, zones, lenient)
    if lenient is not None and start is not None:
        try:
            body |= recurrence_fields(vevent, not isinstance(start, dt.datetime), zones, lenient)
        except RecurrenceReadError as error:
            raise VeventError(str(error)) from None
    suffix = f"@{id_domain}"
    ours = uid is not None and uid.endswith(suffix) and len(uid) > len(suffix)
    if ours:
        body["id"] = str(uid).removesuffix(suffix)
        if "recurrence_id" in body:
            body["recurrence_of"] = body.pop("id")
            if (own := _x_text(vevent, "X-TIMELINE-ID")) is not None:
                body["id"] = own
    url = _text(vevent, "URL")
    if ours and url == f"{base_url}/events/{body['id']}":
        url = None
    zone = _x_text(vevent, "X-TIMELINE-TIMEZONE")
    if zone is not None:
        body["timezone"] = zone
    source = {
        name: value
        for name in ("name", "published", "locator")
        if (value := _x_text(vevent, f"X-TIMELINE-SOURCE-{name.upper()}")) is not None
    }
    approximate = (_x_text(vevent, "X-TIMELINE-APPROXIMATE") or "").upper() == "TRUE"
    title, text = _text(vevent, "SUMMARY"), _text(vevent, "DESCRIPTION") or ""
    if lenient is not None and not (title or "").strip():
        lenient.note(f"no SUMMARY: titled {lenient.untitled!r}")
        title = lenient.untitled
    if precision is not None and title is not None and start is not None:
        entry = Entry(
            id="",
            uid=uid or "",
            guid="",
            title=title,
            start=start,
            end=end,
            all_day=precision != "datetime",
            link="",
            created=EPOCH,
            updated=EPOCH,
            timezone=body.get("timezone"),
            precision=precision,  # type: ignore[arg-type]
            approximate=approximate,
            source_name=source.get("name"),
            source_published=source.get("published"),
            source_locator=source.get("locator"),
        )
        title, text, url = undo_render(title, text, [url, None] if url else [None], entry)
    organizations = _raw(vevent, "X-TIMELINE-ORGANIZATIONS")
    body |= {
        "title": title,
        "approximate": approximate,
        "description": text,
        "url": url,
        "location": _location(vevent),
        "tags": _categories(vevent),
        "organizations": [] if organizations is None else split_text(organizations),
        "source": source or None,
    }
    body = {k: v for k, v in body.items() if v is not None}
    if ours:
        return body, None, True
    return body, content_key(vevent) if uid is None else uid, uid is not None
