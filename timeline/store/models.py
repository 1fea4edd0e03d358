"""ORM model of the event store (SQLAlchemy 2 typed declarative)."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.languages import lookup
from timeline.store.walltime import from_wall

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend.

    Stored as a naive UTC timestamp (SQLite has no time zones); read back aware, in UTC.
    Raises ValueError on a naive datetime, which would be ambiguous.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


@functools.lru_cache(maxsize=512)
def _loadable(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe"
        return False
    return True


class ZoneName(sa.TypeDecorator[str]):
    """An IANA time zone name (``Europe/Berlin``), stored as text.

    One that this machine's zoneinfo cannot load (``Europe``, ``Mars/Base``: written into
    the database by other means, since the API and import refuse them) reads back as
    None, that is UTC, so that one row cannot stop every calendar and feed: the instant
    is stored in UTC either way, only the zone it is shown in is lost.
    """

    impl = sa.String(64)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        name = str(value)
        return name if _loadable(name) else None


class Base(orm.DeclarativeBase):
    """Declarative base with named constraints (so that Alembic migrations can name them)."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Return the current time as an aware UTC datetime, to the microsecond."""
    return dt.datetime.now(dt.UTC)


def time_value(
    instant: dt.datetime, wall: str | None, timezone: str | None, all_day: bool
) -> dt.date | dt.datetime:
    """Return a stored start or end (``instant``, UTC-aware; ``wall``, the time as
    entered in ``timezone``, or None) as the feeds want it: the date if ``all_day``, else
    the wall time read under today's rules of ``timezone`` (IANA) when there is one,
    else ``instant``. See :class:`Event`."""
    if all_day:
        return instant.date()
    if wall is None or timezone is None:
        return instant
    return from_wall(wall, timezone)


def name_in(name: str, names: dict[str, str], lang: str | None) -> str:
    """Return the name of ``names`` (by BCP 47 tag) that ``lang`` asks for by RFC 4647
    §3.4 Lookup, else ``name`` (the canonical one)."""
    found = lookup(lang, names) if lang is not None and names else None
    return name if found is None else names[found]


#: The SQL condition of a recurring event (an RRULE or an RDATE: RFC 5545 §3.8.5), as
#: the partial index ``ix_events_recurring`` and the queries that read it write it: the
#: database uses that index only for a query whose condition holds this one as written.
RECURRING = "(rrule IS NOT NULL OR rdate != '')"


class Event(Base):
    """One dated event.

    ``start`` and ``end`` are UTC-aware datetimes. For an all-day event they hold its
    floating dates as midnight UTC (``start`` the first day, ``end`` the day after the last:
    exclusive, as RFC 5545 DTEND); :attr:`start_value` and :attr:`end_value` give them
    back as ``datetime.date``. For a timed event they are the instants (``end`` None for
    an instant), shown in ``timezone`` (IANA name; None means UTC). A timed event in a
    zone other than UTC keeps its times as entered, ``wall_start`` and ``wall_end``
    (:func:`timeline.store.walltime.wall_text`): they are the truth, ``start`` and
    ``end`` are derived from them (and derived again when the tz database changes:
    :func:`timeline.store.tzrules.follow_tz_rules`), and :attr:`start_value` and
    :attr:`end_value` read them under the rules of the day.
    """

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint('"end" IS NULL OR "end" > start', name="end_after_start"),
        sa.CheckConstraint('NOT all_day OR "end" IS NOT NULL', name="all_day_has_end"),
        sa.CheckConstraint(
            "precision IN ('year', 'month', 'day', 'datetime')", name="precision_known"
        ),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        sa.CheckConstraint(
            "status IN ('confirmed', 'tentative', 'cancelled')", name="status_known"
        ),
        sa.Index("ix_events_deleted_start_id", "deleted", "start", "id"),
        # The recurring events alone (migration 0015), which every window of days reads
        # (timeline.store.queries.recurring_before): a few rows, where the other indexes
        # would have it read every event begun before the window's end. Its columns are
        # those of ix_events_deleted_start_id's that such a query bounds, so that SQLite,
        # without statistics, still prefers it (it takes a partial index to hold half
        # the table's rows).
        sa.Index(
            "ix_events_recurring",
            "deleted",
            "start",
            sqlite_where=sa.text(RECURRING),
            postgresql_where=sa.text(RECURRING),
        ),
    )

    id: orm.Mapped[str] = orm.mapped_column(sa.String(100), primary_key=True)
    #: The title and description in the original language, ``language`` (BCP 47);
    #: their translations are :attr:`translations`.
    title: orm.Mapped[str] = orm.mapped_column(sa.String(300))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    language: orm.Mapped[str] = orm.mapped_column(sa.String(35), default="en")
    #: The date as the source writes it (``去年8月1日``), when it is known.
    when_text: orm.Mapped[str | None] = orm.mapped_column(sa.String(200))
    start: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, index=True)
    end: orm.Mapped[dt.datetime | None] = orm.mapped_column(UtcDateTime)
    all_day: orm.Mapped[bool] = orm.mapped_column(default=True)
    timezone: orm.Mapped[str | None] = orm.mapped_column(ZoneName())
    #: The start and end as entered, in ``timezone`` (``2026-07-01T10:00:00+02:00``), for
    #: timed events in a zone other than UTC; None otherwise.
    wall_start: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    wall_end: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    precision: orm.Mapped[str] = orm.mapped_column(sa.String(8), default="day")
    approximate: orm.Mapped[bool] = orm.mapped_column(default=False)
    location: orm.Mapped[str | None] = orm.mapped_column(sa.String(300))
    url: orm.Mapped[str | None] = orm.mapped_column(sa.String(2000))
    source_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(300))
    source_published: orm.Mapped[str | None] = orm.mapped_column(sa.String(10))
    source_locator: orm.Mapped[str | None] = orm.mapped_column(sa.String(300))
    created: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, default=utcnow)
    updated: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, default=utcnow, index=True)
    sequence: orm.Mapped[int] = orm.mapped_column(default=0)
    deleted: orm.Mapped[bool] = orm.mapped_column(default=False)
    #: A deleted event still published in the calendars as STATUS:CANCELLED, so that
    #: clients which copied it drop it, until TOMBSTONE_DAYS after its deletion
    #: (:func:`timeline.store.writes.expire_tombstones`).
    tombstone: orm.Mapped[bool] = orm.mapped_column(default=False)
    #: The store version (StoreState.version) of this event's last change.
    change_version: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0, index=True)
    content_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), default="")
    #: RFC 5545 §3.8.1.11 STATUS, lowercase: ``confirmed``, ``tentative`` or ``cancelled``.
    status: orm.Mapped[str] = orm.mapped_column(sa.String(10), default="confirmed")
    #: The recurrence as given (:mod:`timeline.dates.recurrence`): ``rrule`` an RFC 5545
    #: RECUR value (§3.3.10, ``FREQ=WEEKLY;COUNT=4``), ``rdate`` and ``exdate`` their
    #: values (ISO 8601 dates, RFC 3339 date-times, ``start/end`` periods) joined by ``,``
    #: (``""``: none).
    rrule: orm.Mapped[str | None] = orm.mapped_column(sa.String(500))
    rdate: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    exdate: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    #: An overridden instance (RFC 5545 §3.8.4.4 RECURRENCE-ID) of the event
    #: ``recurrence_of``: the occurrence it replaces, in the form of ``start``.
    recurrence_of: orm.Mapped[str | None] = orm.mapped_column(sa.String(100), index=True)
    recurrence_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))

    tags: orm.Mapped[list[EventTag]] = orm.relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventTag.position",
        lazy="selectin",
    )
    organizations: orm.Mapped[list[EventOrganization]] = orm.relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventOrganization.position",
        lazy="selectin",
    )
    translations: orm.Mapped[list[EventTranslation]] = orm.relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventTranslation.language",
        lazy="selectin",
    )
    revisions: orm.Mapped[list[Revision]] = orm.relationship(
        back_populates="event", order_by="Revision.sequence", lazy="raise_on_sql"
    )

    @property
    def start_value(self) -> dt.date | dt.datetime:
        """The start as the feeds want it: a date if all-day, else an aware datetime (in
        ``timezone``, from ``wall_start``, when kept as a wall time): :func:`time_value`."""
        return time_value(self.start, self.wall_start, self.timezone, self.all_day)

    @property
    def end_value(self) -> dt.date | dt.datetime | None:
        """The exclusive end: a date if all-day, an aware datetime or None if timed."""
        if self.end is None:
            return None
        return time_value(self.end, self.wall_end, self.timezone, self.all_day)

    @property
    def tag_names(self) -> list[str]:
        """The event's tags as written, in order."""
        return [t.label for t in self.tags]

    @property
    def organization_names(self) -> list[str]:
        """The canonical names of the event's organizations, in order."""
        return [o.organization.name for o in self.organizations]

    def organization_names_in(self, lang: str | None) -> list[str]:
        """The names of the event's organizations in the language ``lang`` where they
        have one (:meth:`Organization.name_in`), in order."""
        return [o.organization.name_in(lang) for o in self.organizations]


class EventTranslation(Base):
    """An event's title and description in another language than its original one
    (``language``, a BCP 47 tag); ``description`` is ``""`` when only the title is
    translated."""

    __tablename__ = "event_translations"

    event_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    language: orm.Mapped[str] = orm.mapped_column(sa.String(35), primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(300))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")

    event: orm.Mapped[Event] = orm.relationship(back_populates="translations")


class Tag(Base):
    """A tag, identified by its normalized slug (lowercase, words joined by ``-``)."""

    __tablename__ = "tags"

    slug: orm.Mapped[str] = orm.mapped_column(sa.String(100), primary_key=True)


class EventTag(Base):
    """An event's tag: the slug it is filtered by and the label as the author wrote it."""

    __tablename__ = "event_tags"
    __table_args__ = (sa.Index("ix_event_tags_tag_slug_event_id", "tag_slug", "event_id"),)

    event_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    tag_slug: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("tags.slug"), primary_key=True)
    label: orm.Mapped[str] = orm.mapped_column(sa.String(100))
    position: orm.Mapped[int] = orm.mapped_column(default=0)

    event: orm.Mapped[Event] = orm.relationship(back_populates="tags")


class Organization(Base):
    """An organization under its canonical name; ``aliases`` are the other names it goes by."""

    __tablename__ = "organizations"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(200), unique=True)
    slug: orm.Mapped[str] = orm.mapped_column(sa.String(200), unique=True)

    aliases: orm.Mapped[list[OrganizationAlias]] = orm.relationship(
        back_populates="organization", cascade="all, delete-orphan", lazy="selectin"
    )
    names: orm.Mapped[list[OrganizationName]] = orm.relationship(
        cascade="all, delete-orphan", order_by="OrganizationName.language", lazy="selectin"
    )

    def name_in(self, lang: str | None) -> str:
        """The organization's name in the language ``lang`` (BCP 47 Lookup), else its
        canonical name."""
        if lang is None or not self.names:
            return self.name
        return name_in(self.name, {n.language: n.name for n in self.names}, lang)


class OrganizationName(Base):
    """An organization's name in one language (``language``, a BCP 47 tag), shown in the
    outputs asked for in that language; it is an alias of the organization too."""

    __tablename__ = "organization_names"

    organization_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    language: orm.Mapped[str] = orm.mapped_column(sa.String(35), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(200))


class OrganizationAlias(Base):
    """Another name of an organization, by its slug (the canonical name has one too)."""

    __tablename__ = "organization_aliases"

    slug: orm.Mapped[str] = orm.mapped_column(sa.String(200), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(200))
    organization_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )

    organization: orm.Mapped[Organization] = orm.relationship(back_populates="aliases")


class EventOrganization(Base):
    """Link of an event to an organization involved in it."""

    __tablename__ = "event_organizations"
    __table_args__ = (
        sa.Index("ix_event_organizations_organization_id_event_id", "organization_id", "event_id"),
    )

    event_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("organizations.id"), primary_key=True
    )
    position: orm.Mapped[int] = orm.mapped_column(default=0)

    event: orm.Mapped[Event] = orm.relationship(back_populates="organizations")
    organization: orm.Mapped[Organization] = orm.relationship(lazy="joined")


class Revision(Base):
    """One change of an event: who made it, when (UTC), what (``create``, ``update``,
    ``delete``), and the event's whole content after it as JSON."""

    __tablename__ = "revisions"
    __table_args__ = (sa.UniqueConstraint("event_id", "sequence", name="uq_revisions_event_seq"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # Looked up through uq_revisions_event_seq, whose first column it is.
    event_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("events.id"))
    sequence: orm.Mapped[int]
    action: orm.Mapped[str] = orm.mapped_column(sa.String(10))
    author: orm.Mapped[str] = orm.mapped_column(sa.String(100))
    at: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime)
    data: orm.Mapped[dict[str, Any]] = orm.mapped_column(sa.JSON)

    event: orm.Mapped[Event] = orm.relationship(back_populates="revisions")


class StoreState(Base):
    """The store's version: one row (id 1) whose ``version`` goes up by one with every
    change to any event, in commit order, and ``updated``, the newest change's time (UTC).
    Every cached document depends on it, so every request reads it (cheaply)."""

    __tablename__ = "store_state"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    version: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    updated: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime)
    #: The longest span (end - start) any event has had, in seconds: date-range queries
    #: read the start index from ``from - longest`` on.
    longest: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    #: The tz database version (:func:`timeline.store.walltime.rules_version`) that the
    #: stored instants of wall times were derived under.
    zones: orm.Mapped[str] = orm.mapped_column(sa.String(16), default="")


class EventPart(Base):
    """An event's rendered bytes in one format (``ics``: its VEVENT; ``ics:zh``: its
    VEVENT asked for in Chinese), kept per revision.

    Valid while ``sequence`` equals the event's and ``key`` equals the fingerprint of the
    configuration it was rendered with; anything else is re-rendered on use.
    """

    __tablename__ = "event_parts"

    event_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(40), primary_key=True)
    sequence: orm.Mapped[int]
    key: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    body: orm.Mapped[bytes] = orm.mapped_column(sa.LargeBinary)


class ApiToken(Base):
    """A write token: only its SHA-256 hash is kept. Revoked tokens stay, marked. An
    ``admin`` token writes to every timeline and manages timelines; any other writes
    only to the timelines of its :class:`TokenTimeline` rows."""

    __tablename__ = "api_tokens"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(100), primary_key=True)
    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    created: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, default=utcnow)
    revoked: orm.Mapped[dt.datetime | None] = orm.mapped_column(UtcDateTime)
    admin: orm.Mapped[bool] = orm.mapped_column(default=False)


class Timeline(Base):
    """A timeline: its own page, calendars and feeds under ``/t/<slug>/``, its own
    writers. Its title and description by language are its :class:`TimelineText` rows;
    ``language`` (BCP 47) is its default language and ``timezone`` (IANA name, None:
    UTC) its default time zone. ``version`` is the store version (:class:`StoreState`)
    of the last change to one of its events (or to its own texts or members), and
    ``updated`` that change's time (UTC): its documents' ETags and Last-Modified.
    Timeline 1 (:data:`DEFAULT_TIMELINE_ID`) is the default one, served at today's URLs
    too."""

    __tablename__ = "timelines"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    slug: orm.Mapped[str] = orm.mapped_column(sa.String(100), unique=True)
    language: orm.Mapped[str] = orm.mapped_column(sa.String(35), default="en")
    timezone: orm.Mapped[str | None] = orm.mapped_column(ZoneName())
    version: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    updated: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime)

    texts: orm.Mapped[list[TimelineText]] = orm.relationship(
        cascade="all, delete-orphan", order_by="TimelineText.language", lazy="selectin"
    )


#: The id of the default timeline (the first), which today's URLs serve.
DEFAULT_TIMELINE_ID = 1


class TimelineText(Base):
    """A timeline's title and description in one language (BCP 47 tag)."""

    __tablename__ = "timeline_texts"

    timeline_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("timelines.id", ondelete="CASCADE"), primary_key=True
    )
    language: orm.Mapped[str] = orm.mapped_column(sa.String(35), primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(300))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")


class TimelineEvent(Base):
    """An event's place in a timeline: an event may be in several (the same UID in
    each), or in none."""

    __tablename__ = "timeline_events"
    __table_args__ = (sa.Index("ix_timeline_events_event_id", "event_id"),)

    timeline_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("timelines.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )


class TokenTimeline(Base):
    """A timeline that a (not admin) token may write to."""

    __tablename__ = "token_timelines"

    token_name: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("api_tokens.name", ondelete="CASCADE"), primary_key=True
    )
    timeline_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("timelines.id", ondelete="CASCADE"), primary_key=True
    )


class IdempotencyKey(Base):
    """An ``Idempotency-Key`` already used for a POST (draft-ietf-httpapi-idempotency-
    key-header): who sent it (``owner``, the :class:`~timeline.store.rights.Principal`'s
    name: a token's, or ``desk:<account>``), to which timeline, the hash of the request
    it came with and the event it created, so that a repeat returns that event. A key is
    its owner's own in each timeline (migration 0013): the same key from another token
    or account, or to another timeline, is another request."""

    __tablename__ = "idempotency_keys"

    owner: orm.Mapped[str] = orm.mapped_column(sa.String(100), primary_key=True)
    timeline_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("timelines.id", ondelete="CASCADE"), primary_key=True
    )
    key: orm.Mapped[str] = orm.mapped_column(sa.String(200), primary_key=True)
    request_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    event_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("events.id"))
    created: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, default=utcnow)


def table(model: type[orm.DeclarativeBase]) -> sa.Table:
    """Return the table of the mapped class ``model``."""
    mapped = model.__table__
    assert isinstance(mapped, sa.Table)
    return mapped


#: The rows an event owns besides its own, each kind with its relationship's name on
#: :class:`Event`: written with a new event (:mod:`timeline.store.newrows`).
EVENT_PARTS: tuple[tuple[type[Base], str], ...] = (
    (EventTag, "tags"),
    (EventOrganization, "organizations"),
    (EventTranslation, "translations"),
)
