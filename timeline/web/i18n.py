"""The pages' own words and dates in the reader's language: Flask-Babel, its catalogs
(``translations/<lang>/LC_MESSAGES/messages.po``, English the source language), the
choice of language, and the language switch."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import flask_babel
from babel import Locale
from babel.dates import format_date, format_datetime
from flask import Flask, Response, current_app, request, url_for
from flask_babel import Babel, get_locale

from timeline.events.problems import ProblemError
from timeline.http.filters import LANG, offered_languages, parse_language
from timeline.http.timelines import shown
from timeline.publish.wording import CATALOGS
from timeline.store.languages import text_in

#: Where the catalogs are: one directory per language, as ``pybabel compile`` writes them.
TRANSLATIONS = CATALOGS


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the page's language, ``%(name)s`` filled from ``variables``."""
    return str(flask_babel.gettext(string, **variables))


def pgettext(context: str, string: str, **variables: Any) -> str:
    """Like :func:`gettext`, for a ``string`` that ``context`` tells apart (msgctxt)."""
    return str(flask_babel.pgettext(context, string, **variables))


def asked_language() -> str | None:
    """Return the language the request asks for: the one ``?lang=`` names, else the best
    of ``LANGUAGES`` by ``Accept-Language`` (``zh-CN`` finds ``zh``; ``?lang=`` wins),
    else None. A bad ``?lang=`` (which the views refuse with a 400) counts as none, so
    that the error page still has a language."""
    offered = offered_languages(current_app.config)
    try:
        asked = parse_language(request.args, offered)
    except ProblemError:
        asked = None
    return asked or request.accept_languages.best_match(offered)


def chosen_language() -> str:
    """Return the language of the page being answered: :func:`asked_language`, else
    ``LANGUAGE``, in Babel's form."""
    tag = asked_language() or offered_languages(current_app.config)[0]
    return tag.replace("-", "_")  # Babel's form of a BCP 47 tag: zh_Hant, en_GB


def negotiated() -> bool:
    """True when the page's language did not come from ``?lang=`` (none, or a bad one
    that the error page ignores), so that the answer must say ``Vary: Accept-Language``."""
    try:
        return parse_language(request.args, offered_languages(current_app.config)) is None
    except ProblemError:
        return True


def vary(response: Response) -> Response:
    """Return ``response`` with ``Vary: Accept-Language`` when its language was negotiated."""
    if negotiated():
        response.vary.add("Accept-Language")
    return response


def locale() -> Locale:
    """The Babel locale of the page being answered (English outside a request)."""
    return get_locale() or Locale("en")


def page_language() -> str:
    """The BCP 47 tag of the page's language (``zh``), for ``<html lang>``."""
    return str(locale()).replace("_", "-")


def format_pattern(day: dt.date | dt.datetime, pattern: str) -> str:
    """Return ``day`` written by the LDML ``pattern`` (``d MMM y``) in the page's locale;
    an aware date-time in its own zone."""
    if isinstance(day, dt.datetime):
        return format_datetime(day, pattern, tzinfo=day.tzinfo, locale=locale())
    return _format_date(day, pattern, locale())


@functools.lru_cache(maxsize=4096)
def _format_date(day: dt.date, pattern: str, in_locale: Locale) -> str:
    # A page writes the same few days and months many times over.
    return format_date(day, pattern, locale=in_locale)


def day_text(day: dt.date) -> str:
    """``17 Feb 2025`` / ``2025年2月17日``."""
    return format_pattern(day, pgettext("LDML date pattern: a day", "d MMM y"))


def month_text(day: dt.date) -> str:
    """``February 2025`` / ``2025年2月``: the month of ``day``."""
    return format_pattern(day, pgettext("LDML date pattern: a month", "MMMM y"))


def year_text(year: int) -> str:
    """``2025`` / ``2025年``."""
    return format_pattern(dt.date(year, 1, 1), pgettext("LDML date pattern: a year", "y"))


def language_links() -> list[dict[str, Any]]:
    """Return the language switch: for each offered language, its own name (``中文``,
    ``English``), its tag, the URL of this page in it (the same page and filters with
    ``lang`` replaced; the timeline from any other page), and whether it is the page's."""
    current = page_language()
    endpoint = request.endpoint or ""
    values: dict[str, Any] = {}
    if endpoint.startswith("pages."):
        values.update(request.view_args or {})
        values.update((key, request.args.getlist(key)) for key in request.args if key != LANG)
    else:
        endpoint = "pages.index"
    return [
        {
            "tag": tag,
            "name": Locale.parse(tag, sep="-").display_name or tag,
            "href": url_for(endpoint, **values, lang=tag),
            "current": tag == current,
        }
        for tag in offered_languages(current_app.config)
    ]


def calendar_name() -> str:
    """The calendar's name (``CALENDAR_NAME``, or the title of the timeline shown under
    ``/t/<slug>/``) in the page's language."""
    config, heading = current_app.config, shown().heading
    if heading.names:
        return text_in(heading.names, page_language(), heading.language or config["LANGUAGE"])
    return text_in(config["CALENDAR_NAME"], page_language(), config["LANGUAGE"])


def calendar_description() -> str:
    """The calendar's description (``CALENDAR_DESCRIPTION``, or the timeline's) in the
    page's language."""
    config, heading = current_app.config, shown().heading
    if heading.names:
        descriptions = heading.descriptions or {}
        return text_in(descriptions, page_language(), heading.language or config["LANGUAGE"])
    return text_in(config["CALENDAR_DESCRIPTION"], page_language(), config["LANGUAGE"])


def init_app(app: Flask) -> None:
    """Give ``app`` Flask-Babel with the catalogs of :data:`TRANSLATIONS`, the language of
    :func:`chosen_language`, and ``language_links``, ``page_language``,
    ``calendar_name`` and ``calendar_description`` in the templates."""
    Babel(
        app,
        locale_selector=chosen_language,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.globals["language_links"] = language_links
    app.jinja_env.globals["page_language"] = page_language
    app.jinja_env.globals["calendar_name"] = calendar_name
    app.jinja_env.globals["calendar_description"] = calendar_description
