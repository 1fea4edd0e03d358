"""What an import reads of a VEVENT beyond one date: its STATUS, RRULE, RDATE, EXDATE and
RECURRENCE-ID (RFC 5545 §3.8.1.11, §3.8.4.4, §3.8.5) in the API's forms, and the
lenient readings of times that real calendars write wrongly, each said as a repair."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zoneinfo
from typing import Any

import icalendar

from timeline.dates.recurrence import DURATION
from timeline.io.icszones import FileZones

STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}


class RecurrenceReadError(ValueError):
    """A recurrence property an import refuses; the message starts with its name."""


@dataclasses.dataclass
class Lenient:
    """How an import reads what real clients read leniently, and what it repaired.

    ``zone`` is the calendar's zone (its X-WR-TIMEZONE, else the IMPORT_TIMEZONE
    setting), in which floating times and TZIDs that name no known zone are read;
    ``untitled`` the title of an event without SUMMARY, in the store's language.
    ``repairs`` collects one line per repair of the VEVENT being read (without its UID);
    ``masters`` are the UIDs of the file's recurring events (VEVENTs without
    RECURRENCE-ID).
    """

    zone: zoneinfo.ZoneInfo
    untitled: str
    repairs: list[str] = dataclasses.field(default_factory=list)
    #: The UIDs of the file's VEVENTs without RECURRENCE-ID.
    masters: frozenset[str] = frozenset()
    #: Where :attr:`zone` comes from, as the report says it.
    zone_from: str = "IMPORT_TIMEZONE"

    def note(self, text: str) -> None:
        """Add the repair ``text`` unless it was said already for this VEVENT."""
        if text not in self.repairs:
            self.repairs.append(text)

    def localize(self, naive: dt.datetime, tzid: str | None, zones: FileZones | None) -> Any:
        """Return the wall time ``naive`` of TZID ``tzid`` (None: a floating time) as an
        aware datetime: in the zone ``zones`` finds for the TZID, else in :attr:`zone`,
        noting the repair."""
        if tzid and zones is not None:
            found = zones.localize(naive, tzid)
            if found is not None:
                return found
        if tzid:
            self.note(
                f"TZID {tzid!r} names no known zone: its times read in {self.zone.key} "
                f"({self.zone_from})"
            )
        else:
            self.note(f"floating times read in {self.zone.key} ({self.zone_from})")
        utc = self.zone.key in ("UTC", "Etc/UTC")  # then said as UTC, not as a zone
        return naive.replace(tzinfo=dt.UTC if utc else self.zone, fold=0)


def _value_text(value: Any, all_day: bool) -> str:
    if isinstance(value, tuple):
        start, end = value
        if isinstance(end, dt.timedelta):
            return f"{start.isoformat()}/{DURATION.dump_python(end, mode='json')}"
        return f"{start.isoformat()}/{end.isoformat()}"
    if not isinstance(value, dt.date):
        raise ValueError(f"{value.isoformat()} is neither a DATE nor a DATE-TIME")
    if isinstance(value, dt.datetime) == all_day:
        form = "a DATE-TIME" if all_day else "a DATE"
        raise ValueError(f"{value.isoformat()} is {form}, DTSTART is not")
    return str(value.isoformat())


def _aware(value: Any, tzid: str | None, zones: FileZones | None, lenient: Lenient) -> Any:
    if isinstance(value, tuple):
        return tuple(_aware(part, tzid, zones, lenient) for part in value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return lenient.localize(value, tzid, zones)
    return value


def _dates(
    vevent: icalendar.Event, name: str, all_day: bool, zones: FileZones | None, lenient: Lenient
) -> list[str]:
    found = vevent.get(name)
    texts: list[str] = []
    for prop in found if isinstance(found, list) else [] if found is None else [found]:
        tzid = prop.params.get("TZID")
        try:
            values = [item.dt for item in prop.dts]
            texts += [_value_text(_aware(v, tzid, zones, lenient), all_day) for v in values]
        except (ValueError, AttributeError, TypeError) as error:
            raise RecurrenceReadError(f"{name}: {error}") from None
    return texts


_UNTIL = re.compile(r"(UNTIL=)(\d{8})T\d{6}Z?")


def _rule_text(text: str, all_day: bool, lenient: Lenient) -> str:
    """The RRULE as written, but an all-day event's UNTIL date-time (RFC 5545 §3.3.10
    wants a DATE) read as its date, noted."""
    if not all_day:
        return text
    fixed = _UNTIL.sub(r"\1\2", text)
    if fixed != text:
        lenient.note("RRULE: UNTIL of an all-day event read as its date")
    return fixed


def recurrence_fields(
    vevent: icalendar.Event, all_day: bool, zones: FileZones | None, lenient: Lenient
) -> dict[str, Any]:
    """Return the ``status``, ``rrule``, ``rdate``, ``exdate`` and ``recurrence_id`` of
    ``vevent`` as members of an API body (absent when the VEVENT has none), for an event
    that is ``all_day`` or not. Raises RecurrenceReadError for an unknown STATUS, more
    than one RRULE, an RRULE icalendar cannot write back, and a RECURRENCE-ID with
    ``RANGE=THISANDFUTURE`` (which would change every later occurrence)."""
    body: dict[str, Any] = {}
    status = vevent.get("STATUS")
    if status is not None and not isinstance(status, list):
        if str(status).upper() not in STATUSES:
            raise RecurrenceReadError(f"STATUS: {str(status)!r} is not one of {list(STATUSES)}")
        body["status"] = STATUSES[str(status).upper()]
    rule = vevent.get("RRULE")
    if isinstance(rule, list):
        raise RecurrenceReadError("RRULE: given more than once (RFC 5545 §3.6.1)")
    if rule is not None:
        body["rrule"] = _rule_text(
            bytes(rule.to_ical()).decode("ascii", "replace"), all_day, lenient
        )
    for name in ("RDATE", "EXDATE"):
        texts = _dates(vevent, name, all_day, zones, lenient)
        if texts:
            body[name.lower()] = texts
    rid = vevent.get("RECURRENCE-ID")
    if rid is not None:
        if isinstance(rid, list):
            raise RecurrenceReadError("RECURRENCE-ID: given more than once")
        if str(rid.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            if str(vevent.get("UID", "")) in lenient.masters:
                raise RecurrenceReadError("RECURRENCE-ID: RANGE=THISANDFUTURE is not supported")
            # What a client shows of it: without its recurring event, it is the series.
            lenient.note(
                "RECURRENCE-ID;RANGE=THISANDFUTURE without its recurring event: the series itself"
            )
            return body
        try:
            value = _aware(rid.dt, rid.params.get("TZID"), zones, lenient)
            body["recurrence_id"] = _value_text(value, all_day)
        except (ValueError, TypeError) as error:
            raise RecurrenceReadError(f"RECURRENCE-ID: {error}") from None
    return body
