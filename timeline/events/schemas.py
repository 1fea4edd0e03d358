"""Pydantic models of the JSON API: the event as clients write and patch it, as the API
returns it, its revisions, listings, and problem documents (RFC 9457)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from timeline.events.fields import (
    DateText,
    DayText,
    Description,
    DescriptionPatch,
    DescriptionTexts,
    EventId,
    LanguageTag,
    Line300,
    OrganizationList,
    Published,
    ReferenceText,
    TagList,
    TimeZoneName,
    Title,
    TitlePatch,
    TitleTexts,
    Url,
    WhenText,
)

_STRICT = ConfigDict(extra="forbid", strict=True)
Status = Literal["confirmed", "tentative", "cancelled"]
RecurText = Annotated[str, Field(min_length=6, max_length=500)]
DateValues = Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=1000)]


def _given(*names: str) -> dict[str, Any]:
    """JSON Schema: each of ``names`` is present and not null."""
    return {"required": list(names), "properties": {n: {"type": "string"} for n in names}}


# What JSON Schema can say of the date rules (the rest is checked in code): start or
# when, not both; end only with start; reference only with when.
_DATE_RULES: list[Any] = [
    {"anyOf": [_given("start"), _given("when")]},
    {"not": _given("start", "when")},
    {"if": _given("when"), "then": {"properties": {"end": {"type": "null"}}}},
    {"if": _given("reference"), "then": _given("when")},
]


class SourceInput(BaseModel):
    """Where the event was reported; every key is optional."""

    model_config = ConfigDict(extra="forbid", strict=True, title="Source")

    name: Line300 | None = None
    published: Published | None = Field(
        default=None, description="The source's publication date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    locator: Line300 | None = Field(default=None, description="Page, paragraph or anchor.")
    when: WhenText | None = Field(
        default=None,
        description="The date as the source writes it (kept as text, not read): 去年8月1日.",
    )


class EventInput(BaseModel):
    """An event as a client sends it (POST), and as a PATCH must leave it.

    Read-only fields of the output (``precision``, ``created``, ``updated``,
    ``sequence``, ``links``) are refused as unknown fields (400): remove them before
    sending a GET body back.
    """

    model_config = ConfigDict(
        **_STRICT, title="EventInput", json_schema_extra={"allOf": _DATE_RULES}
    )

    id: EventId | None = Field(
        default=None,
        description=(
            "Client-chosen id; when left out, `<start date>-<ASCII slug of the title>` "
            "with -2, -3... if taken. Ids of deleted events are never reused."
        ),
    )
    title: TitleTexts = Field(
        description=(
            "A string (in `language`, by default the server's LANGUAGE) or an object of "
            "strings by BCP 47 language tag, one of them the original."
        )
    )
    language: LanguageTag | None = Field(
        default=None,
        description=(
            "The original language of the texts: a plain `title` or `description` is in "
            "it. Default: the only or first key of the `title` object, else LANGUAGE."
        ),
    )
    titles: dict[LanguageTag, Title] | None = Field(
        default=None,
        min_length=1,
        description=(
            "As the API answers: every title by language. When given, it is the titles, "
            "and `title` must be one of them."
        ),
    )
    descriptions: dict[LanguageTag, Description] | None = Field(
        default=None,
        description="As `titles`, for `description` (which must be one of them or empty).",
    )
    start: DateText | None = Field(default=None, description="Required unless `when` is given.")
    end: DateText | None = Field(
        default=None,
        description=(
            "All-day events: the last day (month, year) inclusive, in the form of `start`, "
            "as schema.org endDate. Timed events: the instant the event ends."
        ),
    )
    when: WhenText | None = Field(
        default=None, description="Free-text date instead of `start`/`end`."
    )
    reference: ReferenceText | None = Field(
        default=None,
        description=(
            'With `when`: the day relative text counts from, or "today" (UTC). Required '
            "when `when` is relative (昨天, last Tuesday, a date without a year)."
        ),
    )
    all_day: bool | None = Field(
        default=None, description="If given, must agree with the form of `start`."
    )
    timezone: TimeZoneName | None = None
    approximate: bool = False
    description: DescriptionTexts = Field(
        default="",
        description="A string (in `language`) or an object by language, as `title`.",
    )
    url: Url | None = None
    location: Line300 | None = None
    tags: TagList = Field(default_factory=list)
    organizations: OrganizationList = Field(default_factory=list)
    source: SourceInput | None = None
    status: Status = Field(
        default="confirmed",
        description="RFC 5545 STATUS: `cancelled` keeps the event, marked, in every output.",
    )
    rrule: RecurText | None = Field(
        default=None,
        description=(
            "RFC 5545 RECUR value (§3.3.10) without `RRULE:`, such as `FREQ=WEEKLY;COUNT=4`;"
            " at most 1000 occurrences in the year from `start`."
        ),
    )
    rdate: DateValues = Field(
        default_factory=list,
        description=(
            "More occurrences (RDATE): dates of an all-day event; RFC 3339 date-times with "
            "offset of a timed one, or periods `<start>/<end>` or `<start>/<duration>`."
        ),
    )
    exdate: DateValues = Field(
        default_factory=list, description="Occurrences left out (EXDATE), as `rdate`."
    )
    recurrence_of: EventId | None = Field(
        default=None,
        description="An overridden instance: the id of the recurring event it belongs to.",
    )
    recurrence_id: DateText | None = Field(
        default=None,
        description="With `recurrence_of`: the start of the occurrence it replaces.",
    )


class EventPatch(BaseModel):
    """A JSON Merge Patch (RFC 7396) of an event: given members replace the stored ones,
    ``null`` removes one (back to its default), ``source`` merges key by key. ``when``
    replaces ``start`` and ``end``. The result must be a valid EventInput."""

    model_config = ConfigDict(**_STRICT, title="EventPatch")

    id: EventId | None = Field(default=None, description="If given, the event's own id.")
    title: TitlePatch | None = None
    language: LanguageTag | None = None
    titles: dict[LanguageTag, Title] | None = None
    descriptions: dict[LanguageTag, Description] | None = None
    start: DateText | None = None
    end: DateText | None = None
    when: WhenText | None = None
    reference: ReferenceText | None = None
    all_day: bool | None = None
    timezone: TimeZoneName | None = None
    approximate: bool | None = None
    description: DescriptionPatch | None = None
    url: Url | None = None
    location: Line300 | None = None
    tags: TagList | None = None
    organizations: OrganizationList | None = None
    source: SourceInput | None = None
    status: Status | None = None
    rrule: RecurText | None = None
    rdate: DateValues | None = None
    exdate: DateValues | None = None
    recurrence_of: EventId | None = None
    recurrence_id: DateText | None = None


def _read_only(description: str) -> Any:
    return Field(description=description, json_schema_extra={"readOnly": True})


class SourceOutput(BaseModel):
    """Where the event was reported."""

    model_config = ConfigDict(title="Source")

    name: str | None
    published: str | None
    locator: str | None
    when: str | None = Field(description="The date as the source writes it, if known.")


class Links(BaseModel):
    """Where the event is published: ``self`` is root-relative, the others absolute."""

    model_config = ConfigDict(populate_by_name=True)

    self_: str = Field(alias="self", description="This event in the API.")
    ics: str = Field(description="The event alone as iCalendar.")
    page: str = Field(description="The event's HTML page.")
    calendar: str
    rss: str
    atom: str
    json_feed: str = Field(alias="json", description="The JSON Feed.")


class EventContent(BaseModel):
    """The content of an event, in the forms of EventInput; ``title`` and
    ``description`` in the language asked for (``?lang=``), else the original."""

    id: str
    title: str = Field(description="In the language asked for (`?lang=`), else the original.")
    titles: dict[str, str] = Field(description="Every title by language tag, original first.")
    language: str = Field(description="The original language (BCP 47).")
    start: str = Field(description="As in EventInput; timed: RFC 3339 in the event's zone.")
    end: str | None = Field(description="All-day: the last day inclusive; timed: or null.")
    all_day: bool
    timezone: str | None
    precision: Literal["year", "month", "day", "datetime"] = _read_only("What is known.")
    approximate: bool
    description: str = Field(description="As `title`; falls back to the original's.")
    descriptions: dict[str, str] = Field(description="Every non-empty description by language.")
    url: str | None
    location: str | None
    tags: list[str]
    organizations: list[str] = Field(description="Canonical names (aliases resolved).")
    source: SourceOutput | None
    status: Status
    rrule: str | None
    rdate: list[str]
    exdate: list[str]
    recurrence_of: str | None
    recurrence_id: str | None


class Event(EventContent):
    """An event as the API returns it."""

    created: str = _read_only("RFC 3339, UTC.")
    updated: str = _read_only("RFC 3339, UTC.")
    sequence: int = _read_only("Revision number: 0, then +1 per change (RFC 5545 SEQUENCE).")
    links: Links = _read_only("Where the event is published.")
    occurrences: list[str] | None = _read_only(
        "A recurring event's occurrences (RRULE and RDATE less EXDATE), their starts in "
        "the form of `start`: in a listing those beginning within `from` and `to`, else "
        "the first; at most 50. null when it does not recur."
    )


class WrittenEvent(Event):
    """An event as a write (POST, PATCH) returns it: with ``notes`` on what the server
    assumed, when it assumed anything."""

    notes: list[str] = Field(
        description=(
            "What the server assumed, such as the language of a title whose script does "
            "not tell it (then the configured LANGUAGE); absent when nothing was assumed."
        )
    )


class EventList(BaseModel):
    """A page of events, newest start first."""

    events: list[Event]
    next: str | None = Field(description="Root-relative URL of the next page, or null.")


class RevisionData(EventContent):
    """The event's content after a change."""

    deleted: bool


class Revision(BaseModel):
    """One change of an event."""

    sequence: int
    action: Literal["create", "update", "delete"]
    author: str = Field(description="The name of the token that made the change.")
    at: str = Field(description="RFC 3339, UTC.")
    data: RevisionData


class RevisionList(BaseModel):
    """The history of an event, oldest first."""

    revisions: list[Revision]


class ProblemItem(BaseModel):
    """One error: where (a JSON pointer into the body, a query parameter, or a header)
    and what."""

    pointer: str | None = Field(default=None, description="RFC 6901 pointer into the body.")
    parameter: str | None = None
    header: str | None = None
    detail: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] | None = None


class ExtractArticle(BaseModel):
    """One of several articles to propose events from."""

    model_config = ConfigDict(**_STRICT, title="ExtractArticle")

    text: str = Field(min_length=1, description="The article as plain text, any layout.")
    published: DayText | None = Field(
        default=None,
        description="Publication date (YYYY-MM-DD) that relative dates count from; "
        "required unless the text gives its own (a dateline or time stamp with a year).",
    )
    source: str = Field(default="", max_length=300, description="A name for the article.")


class ExtractInput(BaseModel):
    """An article (``text``) or several (``articles``) to propose events from
    (POST /api/extract); nothing is stored."""

    model_config = ConfigDict(**_STRICT, title="ExtractInput")

    text: str | None = Field(
        default=None, min_length=1, description="The article as plain text, any layout."
    )
    published: DayText | None = Field(
        default=None,
        description="Publication date (YYYY-MM-DD) that relative dates count from; "
        "required unless the text gives its own (a dateline or time stamp with a year).",
    )
    articles: list[ExtractArticle] | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Several articles, instead of text: their candidates are merged and ranked.",
    )
    lang: Literal["zh", "zh-Hant", "en", "auto"] = Field(
        default="auto", description="Default: guessed."
    )


class ExtractCandidate(BaseModel):
    """A proposed event. Offsets are [start, end) character (code point) indices into
    the article's text."""

    id: str = Field(description="A proposed id: <date>-<slug>.")
    existing: str | None = Field(description="The id of the store's event it reports, if any.")
    language: str = Field(
        description="The article's language and the title's (BCP 47: zh, zh-Hant, en)."
    )
    when: str = Field(description="The date expression exactly as written.")
    when_offsets: list[int]
    start: str = Field(description="YYYY-MM-DD, YYYY-MM or YYYY, by precision.")
    end: str | None = Field(
        description="The last day (YYYY-MM-DD, inclusive) of a span longer than one day, "
        "month or year."
    )
    precision: Literal["year", "month", "day"]
    approximate: bool
    date_note: str | None = Field(description="How a date not given outright was derived.")
    title: str = Field(description="Proposed title in the article's language.")
    evidence: str = Field(description="The clause reporting the event, layout undone.")
    evidence_offsets: list[int]
    organizations: list[str] = Field(description="The store's organizations acting in it.")
    places: list[str]
    locator: str = Field(description="paragraph N (blocks separated by blank lines, from 1).")
    mentions: list[list[int]] = Field(description="Offsets of every mention of the event.")
    sources: list[str] = Field(description="The articles that report it (several articles).")
    weight: float = Field(description="How much the articles make of it (several articles).")
    confidence: float = Field(ge=0, le=1)
    reason: str


class ExtractSkipped(BaseModel):
    """A date expression not proposed as an event, and why."""

    when: str
    when_offsets: list[int]
    reason: str


class ExtractResult(BaseModel):
    """Candidate events of an article, in its order, for an editor to review."""

    source: str = Field(description="The article's name, if given.")
    published: str = Field(description="The publication date used (YYYY-MM-DD).")
    published_from: Literal["given", "dateline"]
    lang: Literal["zh", "en"]
    language: str = Field(description="The article's language (BCP 47: zh, zh-Hant, en).")
    candidates: list[ExtractCandidate]
    skipped: list[ExtractSkipped]


class ExtractArticleResult(BaseModel):
    """One article of several: the dates used and the expressions left out."""

    source: str
    published: str
    published_from: Literal["given", "dateline"]
    lang: Literal["zh", "en"]
    language: str
    skipped: list[ExtractSkipped]


class ExtractManyResult(BaseModel):
    """Candidate events of several articles, merged and ranked by how much they make of
    them (``weight``), for an editor to review."""

    articles: list[ExtractArticleResult]
    candidates: list[ExtractCandidate]
