"""Rendering and storing the VEVENT parts of events read as plain values
(:class:`~timeline.publish.rows.Related`), in this process or in a second one: a
calendar stream submits each batch of events without a current part and reads the next
batch while that one is rendered and stored."""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import orm

import feeds
from timeline.publish.convert import entry_of
from timeline.publish.partrows import part_rows, store_part_rows
from timeline.publish.rows import SEQUENCE, Related

#: A renderer stores the parts it renders once it holds this many: a few megabytes
#: held, and one write transaction where five of 2,000 parts wrote most pages of the
#: index (random ids) five times over; 300,000 events: commits 37 -> 15 µs a part.
STORE_EVERY = 10_000


def render_related(related: Related, config: dict[str, Any], lang: str | None) -> dict[str, bytes]:
    """Return the VEVENT bytes (:func:`feeds.render_vevent`) of each event of ``related``
    in ``lang`` (BCP 47; None: each event's original language), by event id, with the
    app's ``config`` (BASE_URL, ID_DOMAIN, LANGUAGE...). Raises ValueError as
    :func:`feeds.render_vevent` does."""
    return {e.data.id: feeds.render_vevent(entry_of(e, config, lang)) for e in related.published()}


class Renderer(Protocol):
    """Renders batches of events (:func:`render_related`) and stores their parts;
    ``ahead`` batches may be submitted before the first one's result is asked for."""

    ahead: int

    def submit(self, related: Related, lang: str | None) -> Future[dict[str, bytes]]:
        """Start rendering ``related`` in ``lang``; the future's result is the bytes by
        event id, or the ValueError the rendering raised (nothing of the batch stored).
        The parts are stored, each with its event's sequence, once :data:`STORE_EVERY`
        are held."""
        ...

    def flush(self) -> None:
        """Store the parts held (in a write transaction of its own, committed); raise
        what storing raised."""
        ...


class Parts:
    """The renderer's work, wherever it runs: render a batch, hold its part rows, store
    them :data:`STORE_EVERY` at a time with sessions of ``session_factory``, under the
    render key ``key``."""

    def __init__(
        self, session_factory: orm.sessionmaker[orm.Session], config: dict[str, Any], key: str
    ) -> None:
        self.session_factory, self.config, self.key = session_factory, config, key
        self.held: list[dict[str, Any]] = []

    def render(self, related: Related, lang: str | None) -> dict[str, bytes]:
        """Render ``related`` (see :func:`render_related`), hold its part rows, and store
        what is held once it reaches :data:`STORE_EVERY`; return the bytes by id."""
        rendered = render_related(related, self.config, lang)
        versions = [(row[0], row[SEQUENCE]) for row in related.rows]
        self.held += part_rows(versions, rendered, self.key, lang)
        if len(self.held) >= STORE_EVERY:
            self.flush()
        return rendered

    def flush(self) -> None:
        """Store the held part rows (see :func:`timeline.publish.store.store_part_rows`)."""
        if self.held:
            with self.session_factory() as session:
                store_part_rows(session, self.held)
            self.held = []


class InlineRenderer:
    """A :class:`Renderer` that renders each batch at once, in this process, before
    :meth:`submit` returns (what the service does: it never forks)."""

    ahead = 1

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    def submit(self, related: Related, lang: str | None) -> Future[dict[str, bytes]]:
        """Render ``related`` now; return a done future of its bytes (or ValueError)."""
        future: Future[dict[str, bytes]] = Future()
        try:
            future.set_result(self.parts.render(related, lang))
        except ValueError as error:
            future.set_exception(error)
        return future

    def flush(self) -> None:
        """Store the parts held."""
        self.parts.flush()


_parts: Parts | None = None


def _adopt(parts: Parts) -> None:
    """Start of the worker: its own connections to the store (those of the engine it
    inherited belong to the parent; SQLAlchemy: ``dispose(close=False)`` after fork)."""
    global _parts  # noqa: PLW0603 - the worker process's own state, set once at its start
    bind = parts.session_factory.kw.get("bind")
    if isinstance(bind, sa.Engine):
        bind.dispose(close=False)
    _parts = parts


def _render_in_worker(related: Related, lang: str | None) -> dict[str, bytes]:
    assert _parts is not None
    return _parts.render(related, lang)


def _flush_in_worker() -> None:
    assert _parts is not None
    _parts.flush()


class ProcessRenderer:
    """A :class:`Renderer` whose batches are rendered and stored in one worker process
    forked from this one (it inherits the loaded modules and ``parts``, and opens its
    own connections), so that a long stream uses a second core: the stream reads the
    next batch while the worker renders and stores. The worker starts at the first
    :meth:`submit`; batches are rendered in the order submitted, up to :attr:`ahead`
    of the one the stream yields (a store of parts in the worker then seldom stops the
    stream)."""

    ahead = 3

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, related: Related, lang: str | None) -> Future[dict[str, bytes]]:
        """Send ``related`` to the worker; the future's result is its bytes by event id
        (a ValueError raised there is raised again by ``result()``)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_adopt,
                initargs=(self.parts,),
            )
        return self._pool.submit(_render_in_worker, related, lang)

    def flush(self) -> None:
        """Have the worker store the parts it holds; wait for it."""
        if self._pool is not None:
            self._pool.submit(_flush_in_worker).result()

    def close(self) -> None:
        """Stop the worker (after what it was given), if it started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def can_fork() -> bool:
    """Whether a :class:`ProcessRenderer` can run here: Linux, where forking a
    single-threaded process is safe (macOS's system libraries are not fork-safe)."""
    return sys.platform.startswith("linux")


@contextlib.contextmanager
def second_process(parts: Parts) -> Iterator[Renderer]:
    """A :class:`ProcessRenderer` of ``parts`` for the block, stopped at its end; an
    :class:`InlineRenderer` where :func:`can_fork` says no. For a command (``timeline
    export``), never for the service: its threads make forking unsafe."""
    if not can_fork():
        yield InlineRenderer(parts)
        return
    renderer = ProcessRenderer(parts)
    try:
        yield renderer
    finally:
        renderer.close()


@contextlib.contextmanager
def inline(parts: Parts) -> Iterator[Renderer]:
    """An :class:`InlineRenderer` of ``parts`` for the block, as :func:`second_process`
    gives a :class:`ProcessRenderer`."""
    yield InlineRenderer(parts)
