"""Wall-clock times: a timed event in a zone is kept as the local date-time entered (RFC
5545 §3.3.5, form 3: local time with a time zone reference), and its UTC instant is
derived from it under the tz database's rules of the day."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.resources
import os
import zoneinfo

#: Zone names that mean UTC, whose times are kept as UTC instants.
UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


def keeps_wall_time(all_day: bool, zone: str | None) -> bool:
    """Whether an event's times are kept as wall times: timed, in a zone other than UTC."""
    return not all_day and zone is not None and zone not in UTC_NAMES


def wall_text(value: dt.datetime, zone: str) -> str:
    """Return the aware ``value`` as the wall time in the IANA ``zone`` that it is, with
    the offset it has there now, in RFC 3339 (``2026-07-01T10:00:00+02:00``): the offset
    tells which of two wall times repeated by a DST change was meant."""
    return value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()


@functools.lru_cache(maxsize=8192)
def from_wall(text: str, zone: str) -> dt.datetime:
    """Return the instant of the wall time ``text`` (as :func:`wall_text` writes it) in
    the IANA ``zone`` under this machine's tz database: an aware datetime in ``zone``.

    Of a wall time that the rules repeat, the occurrence with the offset written is
    taken (the first when neither has it); one they skip keeps the offset before the
    change (``fold=0``, PEP 495). Raises ValueError for text that is not RFC 3339 and
    zoneinfo.ZoneInfoNotFoundError for an unknown zone.
    """
    written = dt.datetime.fromisoformat(text)
    tz = zoneinfo.ZoneInfo(zone)
    wall = written.replace(tzinfo=None)
    for fold in (0, 1):
        local = wall.replace(tzinfo=tz, fold=fold)
        if local.utcoffset() == written.utcoffset():
            return local
    return wall.replace(tzinfo=tz, fold=0)


def _compiled(name: str) -> bytes:
    """The compiled rules (TZif) of zone ``name`` that zoneinfo loads: the first file in
    ``zoneinfo.TZPATH``, else the ``tzdata`` package's."""
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return handle.read()
    try:
        return importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()
    except (ModuleNotFoundError, OSError):
        return b""


@functools.cache
def rules_version() -> str:
    """Return the version of the tz database this process reads: 16 hex digits of a
    SHA-256 of every zone's compiled rules (TZPATH, ``PYTHONTZPATH``, or the ``tzdata``
    package), so that any change of any zone's rules gives another version. Read once
    per process, as zoneinfo reads each zone once."""
    digest = hashlib.sha256()
    for name in sorted(zoneinfo.available_timezones()):
        if not name.startswith(("posix/", "right/")):
            digest.update(name.encode() + b"\0" + _compiled(name) + b"\0")
    return digest.hexdigest()[:16]
