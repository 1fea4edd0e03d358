"""The time of day an expression gives (3 pm, 下午3点, 18时30分) and its zone (UTC, an
offset, 北京时间)."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?")


def clock_of(
    frame: dict[str, Any], said: dict[str, str]
) -> tuple[datetime.time | None, datetime.tzinfo | None]:
    """Return the time of day of the slots (None: none written) and the zone the text
    gives (an offset, UTC, 北京时间), or None. Raises ValueError for an hour that does not
    go with its period, or a zone that is not known."""
    zone = _zone(frame)
    if "hour" not in frame:
        return None, zone
    hour = int(frame["hour"])
    minute = int(frame.get("minute", 0))
    if "half_hour" in frame:
        minute = 30
    if "quarter_hour" in frame:
        minute = 15 * int(frame["quarter_hour"])
    period = frame.get("period")
    if period is not None:
        hour = _twelve(str(period), hour, said.get("period", str(period)))
    return datetime.time(hour, minute, int(frame.get("second", 0))), zone


def _zone(frame: dict[str, Any]) -> datetime.tzinfo | None:
    if "beijing" in frame:
        return ZoneInfo("Asia/Shanghai")
    if "tz" not in frame:
        return None
    text = str(frame["tz"]).strip()
    if text in ("z", "utc", "gmt"):
        return datetime.UTC
    match = _OFFSET.fullmatch(text)
    if match is None:
        raise ValueError(f"unknown time zone abbreviation {text.upper()!r}; give an offset or tz")
    minutes = int(match["h"]) * 60 + int(match["m"] or 0)
    if minutes > 18 * 60:
        raise ValueError(f"the offset {text} is out of range")
    sign = -1 if match["sign"] == "-" else 1
    return datetime.timezone(datetime.timedelta(minutes=sign * minutes))


def _twelve(period: str, hour: int, word: str) -> int:
    """Turn a 12-hour ``hour`` with its period (am, pm; Chinese night 凌晨, morning 上午,
    noon 中午, pm 下午, evening 晚上) into 0-23. A 24-hour hour that agrees with the
    period (下午13:00, 晚上20时, 中午12时30分: news writes both) is kept."""
    if (period in ("pm", "evening") and 13 <= hour <= 23) or (period == "noon" and hour == 13):
        return hour
    if not 1 <= hour <= 12 or (period == "evening" and hour == 12):
        raise ValueError(f"hour {hour} does not go with {word}")
    if hour == 12:
        return 0 if period in ("am", "night") else 12
    if period in ("am", "night", "morning") or (period == "noon" and hour == 11):
        return hour
    return hour + 12
