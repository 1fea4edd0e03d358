"""VTIMEZONE components (RFC 5545 §3.6.5) written as Outlook desktop reads them: one
STANDARD and one DAYLIGHT observance with a yearly RRULE where the zone has a rule,
instead of icalendar's lists of RDATEs, which Outlook misreads."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from feeds.times import zone

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_YEAR = dt.timedelta(days=366)
_SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class _Onset:
    """One change of a zone's offset: ``utc`` the instant, ``local`` the wall time just
    before it (in ``offset_from``, as RFC 5545 §3.6.5 reads an observance's DTSTART)."""

    utc: dt.datetime
    local: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    daylight: bool

    @property
    def kind(self) -> tuple[bool, dt.timedelta, dt.timedelta, str]:
        return self.daylight, self.offset_from, self.offset_to, self.name

    def ordinals(self) -> frozenset[int]:
        """The BYDAY ordinals that name this day in its month: its week (1 to 5), and -1
        when it is the last such weekday of the month."""
        day, days = self.local.day, calendar.monthrange(self.local.year, self.local.month)[1]
        found = {(day - 1) // 7 + 1}
        if day + 7 > days:
            found.add(-1)
        return frozenset(found)

    def follows(self, previous: _Onset) -> bool:
        """Whether this onset is the same yearly rule as ``previous``, a year later."""
        a, b = previous.local, self.local
        return (
            b.year == a.year + 1
            and (b.month, b.weekday(), b.time()) == (a.month, a.weekday(), a.time())
            and bool(self.ordinals() & previous.ordinals())
        )


def _offset(tz: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None
    return offset


def _exact(tz: ZoneInfo, local: dt.datetime, before: dt.timedelta) -> dt.datetime | None:
    """The UTC instant, to the second, at which the offset stops being ``before``, in the
    two days around the wall time ``local``; None if it does not change there."""
    low = local.replace(tzinfo=dt.UTC) - dt.timedelta(days=2)
    high = local.replace(tzinfo=dt.UTC) + dt.timedelta(days=2)
    if _offset(tz, low) != before or _offset(tz, high) == before:
        return None
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + _SECOND
        if _offset(tz, middle) == before:
            low = middle
        else:
            high = middle
    return high


def _onsets(tz: ZoneInfo, tzid: str, first: dt.date, last: dt.date) -> list[_Onset]:
    """Every change of offset from ``first`` to ``last``, oldest first. icalendar finds
    them; each instant is then measured again from zoneinfo, because icalendar's DTSTART
    of a DAYLIGHT observance is the wall time after the change (an hour late when read
    as RFC 5545 says)."""
    found = icalendar.Timezone.from_tzinfo(tz, tzid, first_date=first, last_date=last)
    onsets: dict[dt.datetime, _Onset] = {}
    for observance in found.subcomponents:
        before = observance.TZOFFSETFROM
        rdates = observance.get("RDATE", [])
        rdates = rdates if isinstance(rdates, list) else [rdates]
        walls = [observance.DTSTART] + [leaf.dt for rdate in rdates for leaf in rdate.dts]
        for wall in walls:
            instant = _exact(tz, wall.replace(tzinfo=None), before)
            if instant is None or instant in onsets:
                continue
            after = instant.astimezone(tz)
            previous = (instant - _SECOND).astimezone(tz)
            offset_from, offset_to = previous.utcoffset(), after.utcoffset()
            dst_after, dst_before = after.dst(), previous.dst()
            assert None not in (offset_from, offset_to, dst_after, dst_before)
            # Ireland's zone has a negative DST in winter: its summer time is still daylight.
            daylight = dst_after > dt.timedelta(0) or (  # type: ignore[operator]
                dst_after == dt.timedelta(0) and dst_before < dt.timedelta(0)  # type: ignore[operator]
            )
            onsets[instant] = _Onset(
                utc=instant,
                local=(instant + offset_from).replace(tzinfo=None),  # type: ignore[operator]
                offset_from=offset_from,  # type: ignore[arg-type]
                offset_to=offset_to,  # type: ignore[arg-type]
                name=after.tzname() or "",
                daylight=daylight,
            )
    return [onsets[key] for key in sorted(onsets)]


def _runs(onsets: list[_Onset]) -> list[tuple[list[_Onset], int]]:
    """Split the onsets into runs of one kind that follow one yearly rule, each with the
    BYDAY ordinal naming all its days (-1, the last, preferred)."""
    runs: list[tuple[list[_Onset], set[int]]] = []
    current: dict[tuple[bool, dt.timedelta, dt.timedelta, str], tuple[list[_Onset], set[int]]]
    current = {}
    for onset in onsets:
        found = current.get(onset.kind)
        if found is not None and onset.follows(found[0][-1]):
            common = found[1] & onset.ordinals()
            if common:
                found[0].append(onset)
                found[1].intersection_update(common)
                continue
        found = ([onset], set(onset.ordinals()))
        current[onset.kind] = found
        runs.append(found)
    return [(run, -1 if -1 in common else min(common)) for run, common in runs]


def _observance(
    run: list[_Onset], ordinal: int, open_ended: bool
) -> icalendar.TimezoneStandard | icalendar.TimezoneDaylight:
    head = run[0]
    part = icalendar.TimezoneDaylight() if head.daylight else icalendar.TimezoneStandard()
    part.add("dtstart", head.local)
    if len(run) > 1:
        rule: dict[str, object] = {
            "FREQ": "YEARLY",
            "BYMONTH": head.local.month,
            "BYDAY": f"{ordinal}{_WEEKDAYS[head.local.weekday()]}",
        }
        if not open_ended:
            rule["UNTIL"] = run[-1].utc  # UTC, as §3.3.10 requires within a VTIMEZONE
        part.add("rrule", icalendar.vRecur(rule))
    part.add("tzname", head.name)
    part.add("tzoffsetfrom", head.offset_from)
    part.add("tzoffsetto", head.offset_to)
    return part


@functools.lru_cache(maxsize=128)
def render_vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """Render the VTIMEZONE (RFC 5545 §3.6.5) of IANA zone ``tzid``, right from ``first``
    to ``last`` (days, any time zone's wall clock); cached.

    Each series of offset changes that follows one yearly rule (a month, a weekday, its
    week or the last one, a wall time) becomes one observance with
    ``RRULE:FREQ=YEARLY;BYMONTH=..;BYDAY=..`` (as Google Calendar and Outlook write
    them), open-ended when it still holds at ``last``, else with a UTC ``UNTIL``; a
    change that follows no rule is an observance of its own. So a zone whose rule held
    over the whole span (Europe/Berlin for 2025) has exactly one STANDARD and one
    DAYLIGHT, and no VTIMEZONE has RDATE lists, which Outlook desktop misreads. A zone
    without changes gets one STANDARD observance. DTSTART is the wall time just before
    each change (in TZOFFSETFROM, as §3.6.5 reads it). The rules are looked for from a
    year before ``first`` to the year after ``last``, so the first observance begins
    before ``first``. Raises ValueError for an unknown zone or UTC.
    """
    tz = zone(tzid)
    if tz is None:
        raise ValueError(f"{tzid!r} is UTC, which needs no VTIMEZONE")
    start = dt.date(max(dt.MINYEAR, first.year - 1), 1, 1)
    # icalendar's search overflows past 9999-01-01; events end in 9998 at the latest.
    end = dt.date(min(last.year + 2, dt.MAXYEAR), 1, 1)
    onsets = _onsets(tz, tzid, start, end)
    runs = _runs(onsets)
    result = icalendar.Timezone()
    result.add("tzid", tzid)
    result.add("comment", f"This timezone only works from {first} to {last}.")
    begin = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    if not onsets or onsets[0].utc > begin - dt.timedelta(days=1):
        # The offset in force before the first change (or always, for a fixed zone).
        wall = dt.datetime(start.year, start.month, start.day)
        offset = _offset(tz, wall.replace(tzinfo=dt.UTC))
        name = wall.replace(tzinfo=tz).tzname() or ""
        fixed = _Onset(wall.replace(tzinfo=dt.UTC) - offset, wall, offset, offset, name, False)
        runs.insert(0, ([fixed], 1))
    horizon = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC) - _YEAR
    for run, ordinal in runs:
        result.add_component(_observance(run, ordinal, open_ended=run[-1].utc > horizon))
    ical: bytes = result.to_ical()
    return ical
