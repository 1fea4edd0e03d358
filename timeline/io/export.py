"""``timeline export``: write what the service would serve, to a file or standard output."""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import click
from flask import Flask, current_app
from werkzeug.datastructures import MultiDict

from timeline.http import db
from timeline.http.db import with_store
from timeline.http.filters import offered_languages, parse_filter, parse_language
from timeline.io.stopping import cleanup_on_sigterm
from timeline.publish.documents import PATHS, calendar_chunks, feed_bytes
from timeline.publish.rendering import WorkerLostError
from timeline.store import timelines
from timeline.store.queries import EventFilter
from timeline.store.timelines import SITE
from timeline.store.version import StoreVersion


def export_chunks(
    app: Flask,
    fmt: str,
    flt: EventFilter,
    query: str = "",
    lang: str | None = None,
    slug: str | None = None,
    *,
    second_process: bool = False,
) -> Iterator[bytes]:
    """Yield the document ``fmt`` (``ics``, ``rss``, ``atom`` or ``json``) for ``flt`` in
    ``lang`` (BCP 47, or None) of the timeline ``slug`` (None: the default one, as
    today's URLs serve it), the same bytes as the service's ``/calendar.ics`` or
    ``/feed.*`` (under ``/t/<slug>`` with a slug) with that filter; the calendar is
    streamed from the store. Raises KeyError for an unknown format and
    TimelineNotFoundError for an unknown slug. With ``second_process``, the calendar's
    missing VEVENTs are rendered in a worker process while the store is read (see
    :func:`timeline.publish.rendering.second_process`)."""
    session = db.get_session()
    if slug is None:
        timeline, heading = timelines.default_timeline(session), SITE
    else:
        timeline = timelines.by_slug(session, slug)
        heading = timelines.heading_of(timeline)
    path = heading.prefix + PATHS[fmt] + (f"?{query}" if query else "")
    version = StoreVersion(version=timeline.version, updated=timeline.updated)
    flt = dataclasses.replace(flt, timeline=timeline.id)
    if fmt == "ics":
        # End the read transaction before streaming: held open, it would keep SQLite
        # from checkpointing the parts the export stores (a WAL of gigabytes, which
        # every read then searches).
        session.rollback()
        yield from calendar_chunks(
            app,
            flt,
            version,
            path,
            assemble=False,
            lang=lang,
            heading=heading,
            second_process=second_process,
        )
    else:
        yield feed_bytes(session, app, fmt, flt, version, path, lang, heading)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(PATHS)), default="ics", show_default=True)
@click.option("--tag", "tags", multiple=True, help="Only events with this tag (repeatable).")
@click.option("--org", help="Only events of this organization (name or alias).")
@click.option("--from", "start", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--to", "until", help="Only events on or before this day (YYYY-MM-DD).")
@click.option("--lang", help="Texts in this language (BCP 47: en, zh), as ?lang= does.")
@click.option(
    "--timeline", "slug", metavar="SLUG", help="This timeline's (default: the default one)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@with_store
@cleanup_on_sigterm
def export_command(
    fmt: str,
    tags: tuple[str, ...],
    org: str | None,
    start: str | None,
    until: str | None,
    lang: str | None,
    slug: str | None,
    output: Path | None,
) -> None:
    """Write the calendar or a feed to a file or stdout.

    The bytes are those the service would serve at the same URL with the same filter
    (under /t/SLUG/ with --timeline SLUG)."""
    from timeline.events.problems import ProblemError

    args = MultiDict([("tag", t) for t in tags])
    for name, value in (("org", org), ("from", start), ("to", until), ("lang", lang)):
        if value is not None:
            args.add(name, value)
    try:
        flt = parse_filter(args)
        lang = parse_language(args, offered_languages(current_app.config))
    except ProblemError as error:
        raise click.BadParameter(error.detail) from error
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # What the start loaded stays to the end: out of the cyclic garbage collector's
    # passes, which the many rows and parts read and rendered set off.
    gc.freeze()
    query = "&".join(f"{k}={v}" for k, v in args.items(multi=True))
    if slug is not None:
        try:
            timelines.by_slug(db.get_session(), slug)
        except timelines.TimelineNotFoundError:
            raise click.BadParameter(f"no timeline {slug!r}", param_hint="--timeline") from None
    # A second core renders what the store does not hold yet (the command is
    # single-threaded: forking it is safe).
    chunks = export_chunks(app, fmt, flt, query, lang, slug, second_process=True)
    try:
        if output is None:
            _write(sys.stdout.buffer, chunks)
        else:
            write_file(output, chunks)
    except OSError as error:
        raise click.ClickException(
            f"cannot write {output or 'to standard output'}: {error.strerror}"
        ) from None
    except WorkerLostError as error:
        where = "" if output is None else f", {output} left as it was"
        raise click.ClickException(f"{error}{where}: export again") from error


def write_file(output: Path, chunks: Iterator[bytes]) -> None:
    """Write ``chunks`` to ``output``, so that no half file ever stands under its name.

    A regular file (or a new one) is written to a temporary file created exclusively
    beside it (``.<name>.<random>.partial``, ``O_EXCL``, never through a link planted
    there) and renamed over it once complete, with the mode a new file gets (0666 less
    the umask); anything else (``/dev/null``, a pipe) is written as it is. Raises
    OSError; the temporary file is removed on any failure."""
    if output.exists() and not output.is_file():
        with output.open("wb") as handle:
            _write(handle, chunks)
        return
    fd, temporary = tempfile.mkstemp(
        dir=output.parent, prefix=f".{output.name}.", suffix=".partial"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            _write(handle, chunks)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(handle: BinaryIO, chunks: Iterator[bytes]) -> None:
    for chunk in chunks:
        handle.write(chunk)
    handle.flush()
