"""TIMEX3 values (TimeML 1.2.1, ISO-TimeML) of the spans the grammar reads."""

import datetime

DAY = datetime.timedelta(days=1)


def day(date: datetime.date) -> str:
    """``2013-03-22``."""
    return date.isoformat()


def month(year: int, number: int) -> str:
    """``2013-03``."""
    return f"{year:04d}-{number:02d}"


def year(number: int) -> str:
    """``2013``."""
    return f"{number:04d}"


def week(date: datetime.date) -> str:
    """The ISO week holding ``date``: ``2013-W12``."""
    iso = date.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def quarter(year: int, number: int) -> str:
    """``2013-Q1``."""
    return f"{year:04d}-Q{number}"


def half(year: int, number: int) -> str:
    """``2013-H1``."""
    return f"{year:04d}-H{number}"


def season(year: int, code: str) -> str:
    """``2013-SU`` (SP, SU, FA, WI)."""
    return f"{year:04d}-{code}"


def decade(first: int) -> str:
    """The decade from year ``first`` (1990): ``199``."""
    return f"{first // 10:03d}"


def century(first: int) -> str:
    """The century from year ``first`` (1900, the 20th century): ``19``."""
    return f"{first // 100:02d}"


def interval(first: str, last: str) -> str:
    """A span from ``first`` to ``last`` inclusive, as ISO 8601 writes an interval of
    two dates: ``2013-02-09/2013-02-10``."""
    return f"{first}/{last}"


def moment(value: datetime.datetime) -> str:
    """A time of day: ``2013-03-22T15:30`` (seconds when there are any)."""
    text = value.replace(tzinfo=None).isoformat(timespec="seconds")
    return text[:-3] if text.endswith(":00") else text
