"""The words the calendars, feeds and /timeline.json add to events (precision, source,
dates), in the reader's language, from the message catalog that the pages use."""

from __future__ import annotations

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations

from feeds import Wording

#: The message catalogs: one directory per language, as ``pybabel compile`` writes them
#: (kept beside the pages, whose words they hold too).
CATALOGS = Path(__file__).resolve().parents[1] / "web" / "translations"


@functools.cache
def catalog(lang: str) -> NullTranslations:
    """The compiled catalog of the BCP 47 tag ``lang`` (``zh``, ``zh-Hant``: Babel's
    ``zh_Hant``, then ``zh``), or no translation (the English source) when there is
    none."""
    return Translations.load(str(CATALOGS), [lang.replace("-", "_")])


@functools.cache
def wording(lang: str) -> Wording:
    """Return the :class:`feeds.Wording` of the language ``lang`` (BCP 47) from its
    catalog; English, the source language, where a word has no translation."""
    translations = catalog(lang)

    def pgettext(context: str, text: str) -> str:
        return str(translations.pgettext(context, text))

    return Wording(
        # Each name written out, so that pybabel finds it.
        months=(
            pgettext("feeds: the name of a month", "January"),
            pgettext("feeds: the name of a month", "February"),
            pgettext("feeds: the name of a month", "March"),
            pgettext("feeds: the name of a month", "April"),
            pgettext("feeds: the name of a month", "May"),
            pgettext("feeds: the name of a month", "June"),
            pgettext("feeds: the name of a month", "July"),
            pgettext("feeds: the name of a month", "August"),
            pgettext("feeds: the name of a month", "September"),
            pgettext("feeds: the name of a month", "October"),
            pgettext("feeds: the name of a month", "November"),
            pgettext("feeds: the name of a month", "December"),
        ),
        month=pgettext("feeds: a month", "%(month)s %(year)s"),
        months_in_year=pgettext("feeds: months of one year", "%(first)s–%(last)s %(year)s"),
        months_across_years=pgettext(
            "feeds: months of two years", "%(first)s %(first_year)s–%(last)s %(last_year)s"
        ),
        year=pgettext("feeds: a year", "%(year)s"),
        years=pgettext("feeds: years", "%(first)s–%(last)s"),
        days=pgettext("feeds: ISO days", "%(first)s to %(last)s"),
        month_marker=pgettext("feeds: title suffix", " (%(date)s; day not reported)"),
        month_marker_approximate=pgettext(
            "feeds: title suffix", " (around %(date)s; day not reported)"
        ),
        year_marker=pgettext("feeds: title suffix", " (%(date)s; date not reported)"),
        year_marker_approximate=pgettext(
            "feeds: title suffix", " (around %(date)s; date not reported)"
        ),
        approximate_marker=pgettext("feeds: title suffix", " (approximate date)"),
        month_note=pgettext("feeds: description", "Date known to the month only: %(date)s."),
        month_note_approximate=pgettext(
            "feeds: description", "Approximate date, known to the month only: %(date)s."
        ),
        year_note=pgettext("feeds: description", "Date known to the year only: %(date)s."),
        year_note_approximate=pgettext(
            "feeds: description", "Approximate date, known to the year only: %(date)s."
        ),
        approximate_note=pgettext("feeds: description", "Approximate date: %(date)s."),
        source=pgettext("feeds: description", "Source: %(source)s"),
        published=pgettext("feeds: description", "published %(date)s"),
        separator=pgettext("feeds: between the parts of the source", ", "),
        day=pgettext("feeds: a day", "%(day)s %(month)s %(year)s"),
        days_in_month=pgettext("feeds: days of one month", "%(first)s–%(last)s %(month)s %(year)s"),
        days_in_year=pgettext(
            "feeds: days of one year",
            "%(first_day)s %(first_month)s – %(last_day)s %(last_month)s %(year)s",
        ),
        days_across=pgettext("feeds: from one day to another", "%(first)s – %(last)s"),
        moment=pgettext("feeds: a day and a time", "%(day)s, %(time)s"),
        in_zone=pgettext("feeds: a time and its zone", "%(date)s (%(zone)s)"),
        around=pgettext("feeds: an approximate date", "around %(date)s"),
        untitled=pgettext("feeds: the title of an untitled event", "(untitled)"),
        cancelled=pgettext("feeds: the title of a cancelled event", "Cancelled: %(title)s"),
    )


def google_description(lang: str, shown: int, total: int, full_url: str) -> str:
    """The sentence of ``/calendar-google.ics``'s description that says which events it
    holds, in ``lang``: ``All 21 events.``, or ``The 812 most recent of 3,000 events; the
    full calendar is at <full_url>.``"""
    translations = catalog(lang)

    def gettext(text: str) -> str:
        return str(translations.gettext(text))

    if shown == total:
        return gettext("All %(total)s events.") % {"total": f"{total:,}"}
    return gettext(
        "The %(shown)s most recent of %(total)s events; the full calendar is at %(url)s."
    ) % {"shown": f"{shown:,}", "total": f"{total:,}", "url": full_url}


@functools.cache
def wordings() -> tuple[Wording, ...]:
    """The wording of every language the catalogs have, English (the source) first."""
    tags = sorted(path.name.replace("_", "-") for path in CATALOGS.iterdir() if path.is_dir())
    return (wording("en"), *(wording(tag) for tag in tags))
