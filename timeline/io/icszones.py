"""The time zones of one iCalendar file: each TZID as an IANA zone when one can be
identified, else as the file's own VTIMEZONE definition."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import zoneinfo

import icalendar
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Where an IANA name may begin inside a vendor's TZID ("custom_America/New_York",
# "/freeassociation.sourceforge.net/Europe/Berlin").
_NAME_STARTS = re.compile(r"(?:^|(?<=[/_ .:-]))[A-Z]")


def clean_tzid(tzid: str) -> str:
    """Return ``tzid`` without surrounding spaces, double quotes and ``/`` (some
    programs quote the VTIMEZONE's TZID value, RFC 5545 §3.8.3.1, as if a parameter)."""
    return tzid.strip().strip('"').strip("/").strip()


@functools.lru_cache(maxsize=1024)
def iana_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """Return the IANA zone ``name``, or the IANA zone of the Windows zone ``name``
    (``Tokyo Standard Time`` is ``Asia/Tokyo``, by the CLDR mapping icalendar ships);
    None when it is neither."""
    for candidate in (name, WINDOWS_TO_OLSON.get(name)):
        if candidate and "\\" not in candidate and not candidate.startswith("."):
            try:
                return zoneinfo.ZoneInfo(candidate)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                continue  # OSError: a folder of the database, such as "Europe"
    return None


@dataclasses.dataclass
class Defined:
    """A zone defined by the file's VTIMEZONE: its tzinfo, and the IANA zones its TZID or
    X-LIC-LOCATION name, best first, to be checked against the definition."""

    tzinfo: dt.tzinfo
    names: tuple[zoneinfo.ZoneInfo, ...]
    agrees: dict[tuple[str, int], bool] = dataclasses.field(default_factory=dict)


def _named(tzid: str, location: str | None) -> tuple[zoneinfo.ZoneInfo, ...]:
    candidates = [location] if location else []
    candidates += [tzid[match.start() :] for match in _NAME_STARTS.finditer(tzid)]
    found = (iana_zone(clean_tzid(c)) for c in candidates)
    return tuple(dict.fromkeys(zone for zone in found if zone is not None))


class FileZones:
    """The VTIMEZONEs of one calendar, by their cleaned TZID."""

    def __init__(self, calendar: icalendar.Calendar) -> None:
        self._defined: dict[str, Defined] = {}
        for component in calendar.walk("VTIMEZONE"):
            if not isinstance(component, icalendar.Timezone):
                continue
            tzid = clean_tzid(str(component.get("TZID", "")))
            if not tzid or tzid in self._defined:
                continue
            try:
                tzinfo = component.to_tz(tzp, lookup_tzid=False)
            except Exception:  # noqa: BLE001 - any broken definition is no definition
                continue
            location = component.get("X-LIC-LOCATION")
            names = _named(tzid, None if location is None else str(location))
            self._defined[tzid] = Defined(tzinfo, names)

    def localize(self, naive: dt.datetime, tzid: str) -> dt.datetime | None:
        """Return the wall time ``naive`` of the zone ``tzid`` (a TZID parameter) as an
        aware datetime, or None when the zone is unknown.

        The zone is, in this order: the IANA zone ``tzid`` names, or the one its Windows
        name maps to (the file's VTIMEZONE of that name is then not read); else the
        file's VTIMEZONE of that TZID (RFC 5545 §3.6.5), whose instant is kept, in the
        IANA zone named by its X-LIC-LOCATION or within the TZID (``custom_America/
        New_York``) when that zone has the definition's UTC offsets at this time and on
        15 January and 15 July of its year, else in the definition itself (no IANA
        name: the event is stored in UTC); else, for a globally unique TZID
        (``/vendor/Europe/Berlin``, RFC 5545 §3.2.19), the IANA name within it. Offsets
        alone never name a zone: the rules of Central Europe fit dozens. A repeated
        wall time is its first occurrence, one skipped by a DST change counts from the
        offset before it (RFC 5545 §3.3.5).
        """
        clean = clean_tzid(tzid)
        zone = iana_zone(clean)
        if zone is not None:
            return naive.replace(tzinfo=zone, fold=0)
        defined = self._defined.get(clean)
        if defined is None:
            # A globally unique TZID (RFC 5545 §3.2.19) need not be defined in the file.
            names = _named(clean, None) if tzid.strip().startswith("/") else ()
            return naive.replace(tzinfo=names[0], fold=0) if names else None
        local = naive.replace(tzinfo=defined.tzinfo, fold=0)
        for name in defined.names:
            key = (name.key, naive.year)
            if key not in defined.agrees:
                defined.agrees[key] = _agree(defined.tzinfo, name, naive.year)
            named = naive.replace(tzinfo=name, fold=0)
            if defined.agrees[key] and named.utcoffset() == local.utcoffset():
                return named
        return local


def _agree(defined: dt.tzinfo, zone: zoneinfo.ZoneInfo, year: int) -> bool:
    days = (dt.datetime(year, 1, 15, 12), dt.datetime(year, 7, 15, 12))
    return all(
        d.replace(tzinfo=defined).utcoffset() == d.replace(tzinfo=zone).utcoffset() for d in days
    )
