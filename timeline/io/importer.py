"""``timeline import``: events from an iCalendar file or the API's JSON, through the API's
validation, each stored or rejected on its own."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
import zoneinfo
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm

from timeline.dates.spans import id_date
from timeline.events.parse import READ_ONLY, parse_event, request_hash
from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.http.db import with_store
from timeline.http.jsonbody import loads_strict
from timeline.io.icsread import VeventError, read_calendar, vevent_body
from timeline.io.icsrecur import Lenient
from timeline.io.jsonfeedread import FeedItemError, is_json_feed, item_body
from timeline.io.stopping import cleanup_on_sigterm
from timeline.publish.caching import render_key
from timeline.publish.documents import store_calendar_parts
from timeline.publish.rendering import Parts, Worker, WorkerLostError, second_process
from timeline.publish.rows import related_of_added
from timeline.publish.wording import wording
from timeline.store import bulk, timelines, writes
from timeline.store.engine import begin_write
from timeline.store.models import DEFAULT_TIMELINE_ID, Event
from timeline.store.values import EventData

AUTHOR = "import"
#: Events stored per transaction: a long import commits as it goes.
BATCH = 500
#: More events than this get a progress bar even when stderr is not a terminal.
PROGRESS_OVER = 200
OUTCOMES = ("added", "updated", "unchanged", "rejected")
_ASCII_WORDS = re.compile(r"[^a-z0-9]+")


@dataclasses.dataclass(frozen=True)
class Item:
    """One event of the file: ``label`` names it in the report (its UID, or ``#n``
    counting from 1); ``body`` is the API's event body; ``key`` what its id is derived
    from when the body has none (a foreign UID when ``key_is_uid``, else the content
    key of a VEVENT without UID; None: the body's canonical JSON); ``error`` why it
    could not become a body; ``repairs`` what a lenient reading of the VEVENT repaired
    (see :class:`timeline.io.icsrecur.Lenient`), one line each."""

    label: str
    body: Any = None
    key: str | None = None
    error: str | None = None
    key_is_uid: bool = True
    repairs: tuple[str, ...] = ()


def derived_id(data: EventData, key: str, *, uid: bool) -> str:
    """Return the id of an event that brings none, the same whenever the same event is
    imported again, and matching the API's id pattern.

    For an iCalendar event (``uid``: ``key`` is its UID), a function of the UID alone,
    so that moving or renaming the event updates it: ``<ASCII slug of the UID's part
    before @, at most 60 characters>-<first 8 hex digits of SHA-256(UID)>``. For a JSON
    item without id (``key``: its canonical JSON) and a VEVENT without UID (``key``:
    its DTSTART, DTEND, DURATION and SUMMARY lines, see
    :func:`timeline.io.icsread.content_key`), ``<start date>-<ASCII slug of the title,
    at most 60>-<first 8 hex digits of SHA-256(key)>``, the date as in
    :func:`timeline.dates.spans.id_date`: the same file imported again gives the same
    ids, but a UID-less event that moved or was renamed becomes another event."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if uid:
        return uid_id(key)
    ascii_title = unicodedata.normalize("NFKD", data.title).encode("ascii", "ignore").decode()
    slug = _ASCII_WORDS.sub("-", ascii_title.lower())[:60].strip("-") or "event"
    return f"{id_date(data)}-{slug}-{digest}"


def uid_id(key: str) -> str:
    """Return the id of the event of a foreign UID (``key``; for an overridden instance,
    the UID, a line feed and its RECURRENCE-ID): ``<ASCII slug of the part before @, at
    most 60 characters>-<first 8 hex digits of SHA-256(key)>``."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    local = unicodedata.normalize("NFKD", key.split("@")[0].split("\n")[0])
    slug = _ASCII_WORDS.sub("-", local.encode("ascii", "ignore").decode().lower())
    return f"{slug[:60].strip('-') or 'event'}-{digest}"


def _bad_file(message: str) -> click.BadParameter:
    return click.BadParameter(message, param_hint="FILE")


class FileTooLargeError(click.ClickException):
    """A file to import larger than ``IMPORT_MAX_BYTES``; the message says what to do."""


def read_bounded(path: Path, limit: int) -> bytes:
    """Return the bytes of ``path`` (a file, a device, a pipe), reading at most ``limit``
    of them plus one. Raises FileTooLargeError when there are more (a regular file is
    measured before it is read), OSError when it cannot be read."""
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        too_large = stat.S_ISREG(status.st_mode) and status.st_size > limit
        raw = b"" if too_large else handle.read(limit + 1)
    if too_large or len(raw) > limit:
        raise FileTooLargeError(
            f"{path} holds more than IMPORT_MAX_BYTES ({limit:,} bytes): split it "
            f"(timeline export --from/--to) or raise TIMELINE_IMPORT_MAX_BYTES"
        )
    return raw


def read_items(path: Path, config: Mapping[str, Any]) -> list[Item]:
    """Read the events of ``path``: an iCalendar file (it begins with ``BEGIN:VCALENDAR``,
    RFC 5545; see :func:`timeline.io.icsread.vevent_body`) or JSON (RFC 8259, UTF-8, no
    duplicate members): one event body or a list of them, as the API takes them, or our
    own JSON Feed 1.1 (see :func:`timeline.io.jsonfeedread.item_body`).

    Raises click.BadParameter (exit status 2) when the file cannot be read, is not
    UTF-8, or is neither a calendar nor such JSON, and click.ClickException (exit status
    1) when it holds more than ``IMPORT_MAX_BYTES``, read no further than that.
    """
    try:
        raw = read_bounded(path, int(config["IMPORT_MAX_BYTES"]))
    except OSError as error:
        raise _bad_file(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _bad_file(f"{path} is not UTF-8 text (byte {error.start})") from None
    head = text.lstrip()
    if head[:15].upper() == "BEGIN:VCALENDAR":
        return _calendar_items(path, text, config)
    try:
        document = loads_strict(text)
    except RecursionError:
        raise _bad_file(f"{path} is not valid JSON: nested too deeply") from None
    except ValueError as error:
        where = (
            f" at line {error.lineno} column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        if not head.startswith(("{", "[")):
            raise _bad_file(
                f"{path} is neither iCalendar (it does not begin with BEGIN:VCALENDAR) "
                f"nor JSON ({reason}{where})"
            ) from None
        raise _bad_file(f"{path} is not valid JSON: {reason}{where}") from None
    if is_json_feed(document):
        return _feed_items(path, document)
    if isinstance(document, dict) and isinstance(document.get("events"), list):
        document = document["events"]  # a page of GET /api/events
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise _bad_file(f"{path} holds JSON, but not an event object or a list of them")
    return [Item(f"#{n}", _writable(body)) for n, body in enumerate(document, start=1)]


def _feed_items(path: Path, document: dict[str, Any]) -> list[Item]:
    entries = document.get("items")
    if not isinstance(entries, list):
        raise _bad_file(f"{path} is a JSON Feed without a list of items")
    items = []
    for n, entry in enumerate(entries, start=1):
        try:
            items.append(Item(f"#{n}", item_body(entry)))
        except FeedItemError as error:
            items.append(Item(f"#{n}", error=str(error)))
    return items


def _writable(body: Any) -> Any:
    """The API's output of an event as input: without its read-only fields (``links``,
    ``created``, ``sequence``...), which the API's own reads add."""
    if not isinstance(body, dict):
        return body
    return {k: v for k, v in body.items() if k not in READ_ONLY}


def _calendar_items(path: Path, text: str, config: Mapping[str, Any]) -> list[Item]:
    """The VEVENTs of a calendar as items, read leniently (see
    :class:`timeline.io.icsrecur.Lenient`): floating times and unknown TZIDs in the
    calendar's X-WR-TIMEZONE, else in IMPORT_TIMEZONE; a missing SUMMARY is the
    wording's ``untitled`` in LANGUAGE. An overridden instance (RECURRENCE-ID) of a
    foreign UID belongs to the event of that UID (:func:`uid_id`) and has its own id,
    derived from the UID and the RECURRENCE-ID."""
    try:
        vevents, zones, calendar_zone = read_calendar(text)
    except ValueError as error:
        reason = str(error).splitlines()[0]
        raise _bad_file(f"{path} is not a valid iCalendar file: {reason}") from None
    zone = zoneinfo.ZoneInfo(calendar_zone or config["IMPORT_TIMEZONE"])
    zone_from = "X-WR-TIMEZONE" if calendar_zone else "IMPORT_TIMEZONE"
    untitled = wording(config["LANGUAGE"]).untitled
    masters = frozenset(str(v.get("UID", "")) for v in vevents if "RECURRENCE-ID" not in v)
    items = []
    for n, vevent in enumerate(vevents, start=1):
        uid = vevent.get("UID")
        label = str(uid) if isinstance(uid, str) and uid else f"#{n}"
        lenient = Lenient(zone, untitled, masters=masters, zone_from=zone_from)
        try:
            body, key, is_uid = vevent_body(
                vevent,
                id_domain=config["ID_DOMAIN"],
                base_url=config["BASE_URL"],
                zones=zones,
                lenient=lenient,
            )
        except VeventError as error:
            items.append(Item(label, error=str(error)))
            continue
        if "recurrence_id" in body and "recurrence_of" not in body and key and is_uid:
            body["recurrence_of"] = uid_id(key)
            key = f"{key}\n{body['recurrence_id']}"
        items.append(Item(label, body, key, key_is_uid=is_uid, repairs=tuple(lenient.repairs)))
    return items


def _data(item: Item, today: dt.date, language: str) -> EventData | tuple[str, str]:
    """The validated content of ``item`` with its id, or ``("rejected", reason)``; texts
    without a language are in ``language``."""
    if item.error is not None:
        return "rejected", item.error
    try:
        data = parse_event(item.body, today=today, language=language)
    except ProblemError as error:
        return "rejected", error.detail
    if not data.id:
        key = item.key if item.key is not None else request_hash(item.body)
        uid = item.key is not None and item.key_is_uid
        data = dataclasses.replace(data, id=derived_id(data, key, uid=uid))
    return data


def validated(
    _: Parts, items: Sequence[Item], today: dt.date, language: str
) -> list[EventData | tuple[str, str]]:
    """The validated content of each of ``items`` with its id (its content hash computed,
    kept in the value: it pickles with it), or ``("rejected", reason)``: what
    :func:`import_batch` would compute first, run by a
    :class:`~timeline.publish.rendering.Worker` (the first argument, unused)."""
    datas = [_data(item, today, language) for item in items]
    for data in datas:
        if not isinstance(data, tuple):
            data.content_hash()
    return datas


def _store(
    session: orm.Session, data: EventData, timeline_id: int = DEFAULT_TIMELINE_ID
) -> tuple[str, str]:
    """Store one event in a savepoint of its own (see :func:`import_item`), a new one in
    the timeline ``timeline_id``."""
    try:
        with session.begin_nested():
            outcome = writes.upsert_event(session, data, author=AUTHOR, timelines=[timeline_id])
    except writes.EventGoneError:
        return "rejected", f"/id: the event {data.id!r} was deleted (ids are never reused)"
    except (writes.StoreError, sa.exc.IntegrityError) as error:
        return "rejected", str(error).splitlines()[0]
    return outcome, data.id


def import_item(
    session: orm.Session,
    item: Item,
    today: dt.date,
    language: str = "en",
    timeline_id: int = DEFAULT_TIMELINE_ID,
) -> tuple[str, str]:
    """Validate ``item`` as the API's POST does and store it in a savepoint of its own;
    return ``(outcome, text)``: ``("added"|"updated"|"unchanged", id)`` or
    ``("rejected", reason)``, the reason as the API's problem detail (JSON pointers).

    Unlike a POST, an id that exists is no conflict: that event is brought to the
    item's content (a new revision), as a re-import should. A deleted id is refused (ids
    are never reused). A body without id gets :func:`derived_id`. A rejected item
    leaves nothing in the store. ``today`` (UTC) is the default ``reference`` of
    ``when``; ``language`` (BCP 47) that of texts without one; a new event goes into the
    timeline ``timeline_id``."""
    data = _data(item, today, language)
    return data if isinstance(data, tuple) else _store(session, data, timeline_id)


def import_batch(
    session: orm.Session,
    items: Sequence[Item],
    today: dt.date,
    language: str = "en",
    timeline_id: int = DEFAULT_TIMELINE_ID,
    *,
    parts: PartsWriter | None = None,
    datas: Sequence[EventData | tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """Import ``items`` with the outcomes :func:`import_item` would give one by one, in
    order, but with few statements: the stored ids and content hashes are read at once,
    an unchanged event is known by its hash, and new events are added together by
    :func:`timeline.store.bulk.add_events` in a savepoint (if the database refuses
    them, each is stored on its own instead, so a refusal still rejects only its
    event). An event changed, deleted, or met twice in ``items`` takes the one-by-one
    path, after the new events before it are stored. New events go into the timeline
    ``timeline_id``; ``parts``, when given, is handed those added together (what
    :func:`timeline.store.bulk.add_events` stored of them) in the same savepoint.
    ``datas``: the items already validated (:func:`validated`). Does not commit."""
    results: list[tuple[str, str]] = [("rejected", "")] * len(items)
    if datas is None:
        datas = [_data(item, today, language) for item in items]
    ids = sorted({d.id for d in datas if not isinstance(d, tuple)})
    stored: dict[str, tuple[str, bool]] = {}
    for at in range(0, len(ids), 500):
        stmt = sa.select(Event.id, Event.content_hash, Event.deleted)
        rows = session.execute(stmt.where(Event.id.in_(ids[at : at + 500])))
        stored |= {row.id: (row.content_hash, row.deleted) for row in rows}
    fresh: list[tuple[int, EventData]] = []
    seen: set[str] = set()

    def add_fresh() -> None:
        try:
            with session.begin_nested():
                added = bulk.add_events(
                    session, [d for _, d in fresh], author=AUTHOR, timelines=[timeline_id]
                )
                if parts is not None:
                    parts(session, added)
            done = [(n, ("added", d.id)) for n, d in fresh]
        except (writes.StoreError, sa.exc.IntegrityError):
            done = [(n, _store(session, d, timeline_id)) for n, d in fresh]
        for n, result in done:
            results[n] = result
        fresh.clear()

    for n, data in enumerate(datas):
        if isinstance(data, tuple):
            results[n] = data
            continue
        try:
            writes.check_slugs(data)
        except writes.StoreError as error:
            results[n] = ("rejected", str(error))
            continue
        if data.id in seen:
            if fresh:
                add_fresh()
            results[n] = _store(session, data, timeline_id)
        elif data.id not in stored:
            fresh.append((n, data))
        elif stored[data.id] == (data.content_hash(), False):
            results[n] = ("unchanged", data.id)
        else:
            results[n] = _store(session, data, timeline_id)
        seen.add(data.id)
    if fresh:
        add_fresh()
    return results


def import_items(
    session: orm.Session,
    items: Iterable[Item],
    today: dt.date,
    language: str = "en",
    timeline_id: int = DEFAULT_TIMELINE_ID,
    *,
    worker: Worker | None = None,
) -> Iterator[tuple[Item, str, str]]:
    """Import ``items`` in batches of BATCH (see :func:`import_batch`) into the timeline
    ``timeline_id`` (events stored before, in other timelines, are put in it too),
    committing after each; yield each item with its outcome and text as its batch is
    done. With ``worker`` (its :class:`~timeline.publish.rendering.Parts` leaving out
    what does not render), each batch is validated there (up to ``worker.ahead``
    batches ahead of the one written) and, once committed, the calendar parts of the
    events it added together are rendered and stored there (the caller then asks the
    worker to store what it holds: ``worker.flush()``); raises what the worker
    raised."""
    pending: deque[tuple[list[Item], Future[list[EventData | tuple[str, str]]] | None]]
    pending = deque()
    rendering: list[Future[dict[str, bytes]]] = []

    def write(batch: list[Item], checked: Future[list[Any]] | None) -> list[tuple[str, str]]:
        added: list[bulk.Added] = []
        datas = None if checked is None else checked.result()
        begin_write(session)
        results = import_batch(
            session,
            batch,
            today,
            language,
            timeline_id,
            parts=(lambda _, new: added.extend(new)) if worker else None,
            datas=datas,
        )
        stored = [text for outcome, text in results if outcome != "rejected"]
        timelines.place_events(session, timeline_id, stored)
        session.commit()
        if worker is not None and added:
            rendering.append(worker.submit(Parts.render, related_of_added(added), None))
        return results

    def done(batch: list[Item], check: Future[list[Any]] | None) -> Iterator[tuple[Item, str, str]]:
        for item, (outcome, text) in zip(batch, write(batch, check), strict=True):
            yield item, outcome, text

    for batch in _batches(items, BATCH):
        check = None if worker is None else worker.submit(validated, batch, today, language)
        pending.append((batch, check))
        if len(pending) > (worker.ahead if worker else 0):
            yield from done(*pending.popleft())
    while pending:
        yield from done(*pending.popleft())
    for future in rendering:
        future.result()


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


#: Receives what :func:`timeline.store.bulk.add_events` stored of the events an import
#: batch added together, in its savepoint.
PartsWriter = Callable[[orm.Session, list[bulk.Added]], object]


def _analyze(changed: int) -> None:
    """Refresh the planner statistics after an import that changed ``changed`` events
    (:func:`timeline.store.bulk.analyze_filled`). The events are stored already: a
    failure (a lock or statement timeout) is a warning on stderr, not the import's."""
    if not changed:
        return
    session = db.get_session()
    try:
        bulk.analyze_filled(session, changed)
        session.commit()
    except sa.exc.DBAPIError as error:
        session.rollback()
        said = str(error.orig or "").strip().splitlines()
        reason = said[0] if said else type(error).__name__
        click.echo(
            f"warning: the events are stored, but ANALYZE of their tables failed ({reason}); "
            "autovacuum, or an ANALYZE run by hand, gives the planner their statistics",
            err=True,
        )


def _progress(items: list[Item]) -> contextlib.AbstractContextManager[Iterable[Item]]:
    if len(items) <= PROGRESS_OVER and not sys.stderr.isatty():
        return contextlib.nullcontext(items)
    return click.progressbar(items, label="importing", file=sys.stderr)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--timeline",
    "slug",
    metavar="SLUG",
    help="The timeline the events go into (default: the default timeline).",
)
@with_store
@cleanup_on_sigterm
def import_command(file: Path, slug: str | None) -> None:
    """Import the events of an iCalendar or JSON file.

    FILE is an iCalendar file or the API's JSON (one event or a list), read through the
    API's validation, into the timeline SLUG (--timeline; events already stored are put
    in it too). Prints one line per event and a summary; exits 1 if any event was
    rejected (the others are stored)."""
    timeline_id = DEFAULT_TIMELINE_ID
    if slug is not None:
        try:
            timeline_id = timelines.by_slug(db.get_session(), slug).id
        except timelines.TimelineNotFoundError:
            raise click.BadParameter(f"no timeline {slug!r}", param_hint="--timeline") from None
    items = read_items(file, current_app.config)
    # The modules loaded and the items read stay to the end: out of the cyclic garbage
    # collector's passes, which the import's many new objects set off (a tenth of it).
    gc.freeze()
    today = dt.datetime.now(dt.UTC).date()
    counts: Counter[str] = Counter()
    lines = []
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    language = app.config["LANGUAGE"]
    sessions = app.extensions["timeline.sessionmaker"]
    # A second core validates the next batches and renders the calendar parts of the
    # events added (the command is single-threaded: forking it is safe).
    parts = Parts(sessions, dict(app.config), render_key(app), leave_out=True)
    try:
        with _progress(items) as bar, second_process(parts) as worker:
            session = db.get_session()
            stored = import_items(session, bar, today, language, timeline_id, worker=worker)
            for item, outcome, text in stored:
                counts[outcome] += 1
                rejected = outcome == "rejected"
                if not rejected:
                    lines += [f"repaired {item.label}: {repair}" for repair in item.repairs]
                lines.append(f"rejected {item.label}: {text}" if rejected else f"{outcome} {text}")
            worker.flush()
    except WorkerLostError as error:
        raise click.ClickException(
            f"{error}: the {sum(counts.values())} events reported done before are stored; "
            "import the file again to import the rest (those stored come back unchanged)"
        ) from error
    # The calendar's other parts now (of events updated), not on a subscriber's first
    # GET (or an export's).
    store_calendar_parts(app)
    _analyze(counts["added"] + counts["updated"])
    if lines:  # one write, not one (flushed) per event
        click.echo("\n".join(lines))
    click.echo(", ".join(f"{outcome} {counts[outcome]}" for outcome in OUTCOMES))
    if counts["rejected"]:
        raise click.exceptions.Exit(1)
