"""Curated seed events (TOML files under ``seeds/``) and their idempotent loading."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store import timelines
from timeline.store.languages import canonical_tag, script_language
from timeline.store.models import DEFAULT_TIMELINE_ID, Event, Revision
from timeline.store.values import EventData, Translation
from timeline.store.writes import create_event, define_organization, update_event

#: The seed files shipped with the project.
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


class SeedError(ValueError):
    """A seed file that does not follow the format (see ``seeds/*.toml``); the message
    names the file and the entry."""


def default_seed_files() -> list[Path]:
    """Return the project's seed files, sorted by name."""
    return sorted(SEEDS_DIR.glob("*.toml"))


def _span(text: str, precision: str) -> tuple[dt.date, dt.date]:
    """Return (first day, exclusive end) of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` text."""
    parts = [int(p) for p in text.split("-")]
    if precision == "year" and len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0] + 1, 1, 1)
    if precision == "month" and len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        return first, (first + dt.timedelta(days=32)).replace(day=1)
    if precision == "day" and len(parts) == 3:
        day = dt.date(*parts)
        return day, day + dt.timedelta(days=1)
    raise ValueError(f"date {text!r} does not have precision {precision!r}")


def _entry(raw: dict[str, Any], source: dict[str, Any]) -> EventData:
    precision = raw.get("precision", "day")
    start, end = _span(str(raw["date"]), precision)
    if "end" in raw:
        end = dt.date.fromisoformat(str(raw["end"])) + dt.timedelta(days=1)
    return EventData(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description", ""),
        start=start,
        end=end,
        all_day=True,
        precision=precision,
        approximate=bool(raw.get("approximate", False)),
        location=raw.get("location"),
        url=raw.get("url"),
        tags=tuple(raw.get("tags", ())),
        organizations=tuple(raw.get("organizations", ())),
        source_name=source.get("name"),
        source_published=source.get("published"),
        source_locator=raw.get("locator"),
        language=_language(raw),
        translations=tuple(
            sorted(
                (
                    Translation(canonical_tag(tag), text["title"], text.get("description", ""))
                    for tag, text in raw.get("translations", {}).items()
                ),
                key=lambda t: t.language,
            )
        ),
        when=raw.get("when"),
    )


def _language(raw: dict[str, Any]) -> str:
    """An entry's ``language``, else the one its title's script tells, else ``en``."""
    if "language" in raw:
        return canonical_tag(str(raw["language"]))
    return script_language(str(raw["title"])) or "en"


#: An organization of a seed file: its name, aliases, and names by language.
SeedOrganization = tuple[str, list[str], list[tuple[str, str]]]


def read_seed_file(path: Path) -> tuple[list[tuple[str, list[str]]], list[EventData]]:
    """Read one seed file: its organizations as (name, aliases) and its events, as
    :func:`read_seeds` does."""
    orgs, events = read_seeds(path)
    return [(name, aliases) for name, aliases, _ in orgs], events


def read_seeds(path: Path) -> tuple[list[SeedOrganization], list[EventData]]:
    """Read one seed file: its organizations as (name, aliases, names by language as
    ``(tag, name)`` from ``names = {en = "French Government", zh = "法国政府"}``) and its
    events.

    Dates in the file are ``YYYY[-MM[-DD]]`` starts with an inclusive ``end`` day; the
    events returned are all-day with an exclusive end (RFC 5545 DTEND). Title and
    description are in ``language`` (BCP 47; without one, the language the title's
    script tells, Han ``zh`` or Latin ``en``, else ``en``), ``[event.translations.<tag>]``
    tables hold the other languages, and ``when`` (the date as the source writes it) is
    kept. An entry's ``review`` (drafts of ``timeline extract``) must be ``"accepted"`` or
    absent. Raises SeedError naming the entry for one still ``review = "pending"``, a
    missing key, a bad date, a duplicate id or a file that is not TOML, and OSError for an
    unreadable file.
    """
    with path.open("rb") as handle:
        try:
            doc = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise SeedError(f"{path.name} is not valid TOML: {error}") from None
    source = doc.get("source", {})
    orgs = [
        (
            o["name"],
            list(o.get("aliases", [])),
            [(canonical_tag(tag), name) for tag, name in sorted(o.get("names", {}).items())],
        )
        for o in doc.get("organization", [])
    ]
    events: list[EventData] = []
    for index, raw in enumerate(doc.get("event", [])):
        _check_review(path, index, raw)
        try:
            events.append(_entry(raw, source))
        except KeyError as exc:
            name = raw.get("id", f"#{index + 1}")
            raise SeedError(f"{path.name}: event {name}: missing key {exc.args[0]!r}") from exc
        except (ValueError, TypeError) as exc:
            name = raw.get("id", f"#{index + 1}")
            raise SeedError(f"{path.name}: event {name}: {exc}") from exc
    duplicates = [i for i, n in Counter(e.id for e in events).items() if n > 1]
    if duplicates:
        raise SeedError(f"{path.name}: duplicate event ids {duplicates}")
    return orgs, events


def _check_review(path: Path, index: int, raw: dict[str, Any]) -> None:
    review = raw.get("review", "accepted")
    if review == "accepted":
        return
    entry = f"{path.name}: entry {index + 1} ({raw.get('id', 'no id')})"
    if review == "pending":
        raise SeedError(f'{entry} is still review = "pending"; set it to "accepted" or remove it')
    raise SeedError(f'{entry} has review = {review!r}; it must be "accepted" or "pending"')


#: The author of the revisions that seeding writes.
SEED_AUTHOR = "seed"


@dataclass
class SeedReport:
    """What seeding did: ``counts`` of events by outcome (``added``, ``updated``,
    ``unchanged``, ``kept``: left as people made them, ``deleted``: deleted and left so),
    and for each event left alone (``kept``, or with ``force`` the ones overwritten or
    left deleted) its id and why, in the files' order."""

    counts: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[str, str]] = field(default_factory=list)
    force: bool = False

    def lines(self) -> list[str]:
        """The lines that say it: the counts by outcome (``kept 1, unchanged 20``, or
        ``no seed files``), with ``--force`` when given, then ``<id>: <why>`` for each
        event left alone or overwritten."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        lines = [counts or "no seed files"]
        if self.force:
            lines[0] += " (--force: seed entries overwrite what people changed)"
        return lines + [f"{event_id}: {why}" for event_id, why in self.notes]


def _last_change(session: orm.Session, event_id: str) -> Revision:
    stmt = (
        sa.select(Revision)
        .where(Revision.event_id == event_id)
        .order_by(Revision.sequence.desc())
        .limit(1)
    )
    return session.scalars(stmt).one()


def _by_whom(revision: Revision) -> str:
    return f"by {revision.author} on {revision.at:%Y-%m-%d %H:%M} UTC"


def seed_timeline(path: Path) -> str | None:
    """Return the slug that the seed file's ``timeline`` key names, or None (the default
    timeline). Raises SeedError for one that is no slug or a file that is not TOML."""
    with path.open("rb") as handle:
        try:
            slug = tomllib.load(handle).get("timeline")
        except tomllib.TOMLDecodeError as error:
            raise SeedError(f"{path.name} is not valid TOML: {error}") from None
    if slug is not None and (not isinstance(slug, str) or not timelines.SLUG.fullmatch(slug)):
        raise SeedError(f"{path.name}: timeline: {slug!r} is no slug (a-z 0-9 and hyphens)")
    return slug


def _timeline_of(session: orm.Session, slug: str | None, language: str, report: SeedReport) -> int:
    """The id of the timeline ``slug`` (None: the default one), made (empty, without
    texts: its documents carry the site's name until it has some) when missing."""
    if slug is None:
        return DEFAULT_TIMELINE_ID
    try:
        return timelines.by_slug(session, slug).id
    except timelines.TimelineNotFoundError:
        report.notes.append((slug, "timeline made (give it a title through the API)"))
        return timelines.create_timeline(session, slug, {}, language=language).id


def load_seeds(
    session: orm.Session,
    paths: list[Path],
    *,
    force: bool = False,
    timeline: str | None = None,
    language: str = "en",
) -> SeedReport:
    """Bring the store in line with the seed files without undoing what people did:
    define their organizations, add the seed events that are missing, and update a
    seeded event only when its entry changed since it was last seeded and nobody
    changed the event since (its last revision is seeding's, author ``seed``). An event
    edited or deleted by anyone else (the API, an import) is left as they left it, and
    the report says which and why. With ``force`` (what seeding did before), such an
    edited event is brought back to its entry, and the report says so; a deleted event
    stays deleted either way (its id is never reused). Idempotent: a second run changes
    nothing. The events go into the timeline ``timeline`` (a slug), else the one the
    file's ``timeline`` key names, else the default one; a timeline named but missing is
    made (in ``language``, BCP 47), and events seeded before into another timeline are
    put in the one named too (never back into one a person took them out of, unless it
    is named). Does not commit. Raises SeedError as :func:`read_seed_file`.
    """
    report = SeedReport(force=force)
    for path in paths:
        orgs, events = read_seeds(path)
        slug = timeline if timeline is not None else seed_timeline(path)
        timeline_id = _timeline_of(session, slug, language, report)
        for name, aliases, names in orgs:
            define_organization(session, name, aliases, names)
        placed: list[str] = []
        for data in events:
            outcome, note = _seed(session, data, force, timeline_id)
            report.counts[outcome] += 1
            if note:
                report.notes.append((data.id, note))
            if outcome in ("updated", "unchanged"):
                placed.append(data.id)
        if slug is not None:  # named: seeded before elsewhere, they are in this one too
            timelines.place_events(session, timeline_id, placed)
    return report


def _seed(session: orm.Session, data: EventData, force: bool, timeline_id: int) -> tuple[str, str]:
    """Seed one event (a new one into the timeline ``timeline_id``); return its outcome
    and, for one left alone or overwritten, why."""
    event = session.get(Event, data.id)
    if event is None:
        create_event(session, data, author=SEED_AUTHOR, timelines=[timeline_id], known_free=True)
        return "added", ""
    if event.deleted:
        last = _last_change(session, event.id)
        return "deleted", f"left alone, deleted {_by_whom(last)} (a deleted event stays so)"
    if event.content_hash == data.content_hash():
        return "unchanged", ""
    last = _last_change(session, event.id)
    if last.author == SEED_AUTHOR:
        update_event(session, event, data, author=SEED_AUTHOR)
        return "updated", ""
    changed = f"changed {_by_whom(last)} since it was seeded"
    if not force:
        return "kept", f"left alone, {changed} (timeline seed --force overwrites it)"
    update_event(session, event, data, author=SEED_AUTHOR)
    return "updated", f"overwritten with its seed entry (--force), {changed}"
