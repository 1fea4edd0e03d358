"""The JSON contract of a timeline (pydantic models): what the API takes and answers,
and what the OpenAPI document says of it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(extra="forbid", strict=True)
_SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$"
_SLUG_TEXT = "1 to 100 of a-z 0-9 and inner hyphens: the timeline's URLs are /t/{slug}/."
_LANGUAGE_TEXT = "Default language, a BCP 47 tag (en, zh-Hant)."
_TIMEZONE_TEXT = "Default time zone, an IANA name; null: UTC."


class TimelineText(BaseModel):
    """A timeline's title and description in one language."""

    model_config = ConfigDict(**_STRICT, title="TimelineText")

    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)


class TimelineInput(BaseModel):
    """A new timeline: its slug, texts by language tag, default language and zone."""

    model_config = ConfigDict(**_STRICT, title="TimelineInput")

    slug: str = Field(pattern=_SLUG_PATTERN, description=_SLUG_TEXT)
    texts: dict[str, TimelineText] = Field(
        default_factory=dict, description="Title and description by BCP 47 tag."
    )
    language: str | None = Field(
        default=None, min_length=1, max_length=35, description=_LANGUAGE_TEXT
    )
    timezone: str | None = Field(
        default=None, min_length=1, max_length=64, description=_TIMEZONE_TEXT
    )


class TimelinePatch(BaseModel):
    """A change of a timeline (JSON Merge Patch): what is given replaces what it had;
    ``texts`` replace all of its texts."""

    model_config = ConfigDict(**_STRICT, title="TimelinePatch")

    slug: str | None = Field(default=None, pattern=_SLUG_PATTERN, description=_SLUG_TEXT)
    texts: dict[str, TimelineText] | None = None
    language: str | None = Field(
        default=None, min_length=1, max_length=35, description=_LANGUAGE_TEXT
    )
    timezone: str | None = Field(
        default=None, min_length=1, max_length=64, description=_TIMEZONE_TEXT
    )


class Timeline(BaseModel):
    """A timeline as the API answers it."""

    model_config = ConfigDict(title="Timeline")

    slug: str
    language: str
    timezone: str | None
    default: bool = Field(description="Whether today's URLs (/, /calendar.ics...) serve it.")
    texts: dict[str, TimelineText]
    page: str = Field(description="The URL of its page; its documents are beside it.")
    calendar: str = Field(description="The URL of its calendar (RFC 5545).")


class TimelineList(BaseModel):
    """Every timeline, the default first."""

    timelines: list[Timeline]
