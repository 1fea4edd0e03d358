"""Checks of the API's text fields (control characters, URLs, tags, zones, dates), as
pydantic validators, with the JSON Schema patterns that describe them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from timeline.dates.spans import (
    TODAY,
    DateFormError,
    known_timezones,
    parse_form,
    parse_published,
)
from timeline.store.languages import LanguageTagError, canonical_tag
from timeline.store.values import slugify

# Neither XML 1.0 (§2.2 Char) nor RFC 5545 (§3.1) can carry C0 controls (but TAB, LF,
# CR), and the feeds drop them: refuse them rather than lose them. C1 controls and the
# noncharacters U+FFFE/U+FFFF go too; one-line fields also refuse TAB, LF and CR,
# which the feeds would turn into spaces. Lone surrogates (which json.loads lets
# through) are refused everywhere; JSON Schema patterns cannot name them.
_MULTI_LINE = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF))
_ONE_LINE = ((0x00, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF))
_SURROGATES = ((0xD800, 0xDFFF),)
# ECMA-262 \s, which JSON Schema patterns use; "blank" means only these.
_SPACES = (
    "\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


_BAD_MULTI_LINE = re.compile(f"[{_class(_MULTI_LINE + _SURROGATES)}]")
_BAD_ONE_LINE = re.compile(f"[{_class(_ONE_LINE + _SURROGATES)}]")
_BLANK = re.compile(f"[{_SPACES}]*")
_SPACE = re.compile(r"\s")


def one_line_pattern(*, not_blank: bool = False) -> str:
    """Return the JSON Schema (ECMA-262) pattern of a one-line text field."""
    allowed = f"[^{_class(_ONE_LINE)}]"
    if not not_blank:
        return f"^{allowed}*$"
    return f"^{allowed}*[^{_SPACES}{_class(_ONE_LINE)}]{allowed}*$"


def multi_line_pattern() -> str:
    """Return the JSON Schema (ECMA-262) pattern of a multi-line text field."""
    return f"^[^{_class(_MULTI_LINE)}]*$"


def _refuse(value: str, banned: re.Pattern[str], what: str) -> str:
    match = banned.search(value)
    if match is not None:
        raise PydanticCustomError(
            "forbidden_character",
            "U+{code} at index {index} is not allowed: {what}",
            {"code": f"{ord(match.group()):04X}", "index": match.start(), "what": what},
        )
    return value


def check_one_line(value: str) -> str:
    """Refuse control characters (TAB, LF and CR included), noncharacters and lone
    surrogates; return ``value`` unchanged. Raises PydanticCustomError."""
    return _refuse(value, _BAD_ONE_LINE, "no control characters or line breaks in this field")


def check_multi_line(value: str) -> str:
    """Refuse control characters other than TAB, LF and CR, noncharacters and lone
    surrogates; return ``value`` unchanged. Raises PydanticCustomError."""
    return _refuse(value, _BAD_MULTI_LINE, "no control characters other than TAB, LF and CR")


def check_not_blank(value: str) -> str:
    """Refuse a value made of white space only. Raises PydanticCustomError."""
    if _BLANK.fullmatch(value):
        raise PydanticCustomError("blank", "must not be empty or only white space")
    return value


def _check_slug(value: str, limit: int, what: str) -> str:
    slug = slugify(value)
    if not slug:
        raise PydanticCustomError("no_slug", "a {what} needs a letter or a digit", {"what": what})
    if len(slug) > limit:
        raise PydanticCustomError(
            "slug_too_long",
            "the normalized {what} has {length} characters; at most {limit}",
            {"what": what, "length": len(slug), "limit": limit},
        )
    return value


def check_label(value: str) -> str:
    """Refuse a tag without letters or digits, or whose slug is over 100 characters."""
    return _check_slug(value, 100, "tag")


def check_organization(value: str) -> str:
    """Refuse an organization name without letters or digits, or a slug over 200."""
    return _check_slug(value, 200, "organization name")


def check_url(value: str) -> str:
    """Refuse all but absolute ``http``/``https`` URLs with a host and no white space
    (RFC 3986); return ``value`` unchanged. Raises PydanticCustomError."""
    if _SPACE.search(value):
        raise PydanticCustomError("url", "a URL cannot contain white space")
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced [ in the host
        raise PydanticCustomError("url_host", "must be an absolute URL with a valid host") from None
    if parts.scheme.lower() not in ("http", "https") or not value.startswith(f"{parts.scheme}:"):
        raise PydanticCustomError("url_scheme", "must be an absolute http or https URL")
    try:
        port_ok = parts.port != 0
    except ValueError:
        port_ok = False
    if not parts.hostname or not port_ok:
        raise PydanticCustomError("url_host", "must be an absolute URL with a valid host and port")
    return value


def check_timezone(value: str) -> str:
    """Refuse names that are not IANA time zones of this installation."""
    if value not in known_timezones():
        raise PydanticCustomError(
            "timezone", "not a known IANA time zone name (such as Europe/Berlin)"
        )
    return value


def _date_error(error: DateFormError) -> PydanticCustomError:
    return PydanticCustomError("date_form", "{reason}", {"reason": str(error)})


def check_date_form(value: str) -> str:
    """Refuse what :func:`timeline.dates.spans.parse_form` cannot read."""
    try:
        parse_form(value)
    except DateFormError as error:
        raise _date_error(error) from None
    return value


def check_day(value: str) -> str:
    """Refuse anything but a real ``YYYY-MM-DD`` date."""
    try:
        precision, _ = parse_form(value)
    except DateFormError as error:
        raise _date_error(error) from None
    if precision != "day":
        raise PydanticCustomError("date_form", "must be a date YYYY-MM-DD")
    return value


def check_reference(value: str) -> str:
    """Refuse anything but a real ``YYYY-MM-DD`` date or ``today``."""
    return value if value == TODAY else check_day(value)


def check_published(value: str) -> str:
    """Refuse anything but a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date."""
    try:
        return parse_published(value)
    except DateFormError as error:
        raise _date_error(error) from None


def check_language(value: str) -> str:
    """Return the BCP 47 tag ``value`` in canonical case (``zh-hant`` → ``zh-Hant``);
    refuse anything that is not a well-formed tag (RFC 5646 §2.1)."""
    try:
        return canonical_tag(value)
    except LanguageTagError:
        raise PydanticCustomError(
            "language_tag", "not a BCP 47 language tag (such as en, zh, zh-Hant)"
        ) from None
