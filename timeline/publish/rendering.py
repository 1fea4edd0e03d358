"""Rendering and storing the VEVENT parts of events read as plain values
(:class:`~timeline.publish.rows.Related`), in this process or in a second one: a
calendar stream submits each batch of events without a current part and reads the next
batch while that one is rendered and stored; an import has its items validated there
too while it writes the batch before."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy import orm

import feeds
from timeline.publish.convert import Published, entry_of
from timeline.publish.partrows import part_rows, store_part_rows
from timeline.publish.rows import SEQUENCE, Related

#: A worker stores the parts it renders once it holds this many: a few megabytes
#: held, and one write transaction where five of 2,000 parts wrote most pages of the
#: index (random ids) five times over; 300,000 events: commits 37 -> 15 µs a part.
STORE_EVERY = 10_000


T = TypeVar("T")


def render_related(
    related: Related, config: dict[str, Any], lang: str | None, *, leave_out: bool = False
) -> dict[str, bytes]:
    """Return the VEVENT bytes of each event of ``related``, by event id, as
    :func:`render_events` renders them."""
    return render_events(related.published(), config, lang, leave_out=leave_out)


def render_events(
    events: Iterable[Published],
    config: dict[str, Any],
    lang: str | None,
    *,
    leave_out: bool = False,
) -> dict[str, bytes]:
    """Return the VEVENT bytes (:func:`feeds.render_vevent`) of each of ``events`` in
    ``lang`` (BCP 47; None: each event's original language), by event id, with the
    app's ``config`` (BASE_URL, ID_DOMAIN, LANGUAGE...). Raises ValueError as
    :func:`feeds.render_vevent` does, or with ``leave_out`` leaves that event out."""
    rendered = {}
    for event in events:
        try:
            rendered[event.data.id] = feeds.render_vevent(entry_of(event, config, lang))
        except ValueError:
            if not leave_out:
                raise
    return rendered


class Parts:
    """What a worker renders and stores: batches of events rendered with ``config``,
    their part rows held and stored :data:`STORE_EVERY` at a time, under the render key
    ``key``, with sessions of ``session_factory``. With ``leave_out``, an event that
    does not render is left out of its batch (as an import does: see
    :func:`timeline.publish.parts.store_missing`) instead of failing it."""

    def __init__(
        self,
        session_factory: orm.sessionmaker[orm.Session],
        config: dict[str, Any],
        key: str,
        *,
        leave_out: bool = False,
    ) -> None:
        self.session_factory, self.config, self.key = session_factory, config, key
        self.leave_out = leave_out
        self.held: list[dict[str, Any]] = []

    def render(self, related: Related, lang: str | None) -> dict[str, bytes]:
        """Render ``related`` (see :func:`render_related`), hold its part rows, and store
        what is held once it reaches :data:`STORE_EVERY`; return the bytes by id.
        Raises ValueError (without ``leave_out``), holding nothing of the batch."""
        rendered = render_related(related, self.config, lang, leave_out=self.leave_out)
        versions = [(row[0], row[SEQUENCE]) for row in related.rows]
        self.held += part_rows(versions, rendered, self.key, lang)
        if len(self.held) >= STORE_EVERY:
            self.flush()
        return rendered

    def flush(self) -> None:
        """Store the held part rows, in a write transaction of their own (see
        :func:`timeline.publish.partrows.store_part_rows`)."""
        if self.held:
            with self.session_factory() as session:
                store_part_rows(session, self.held)
            self.held = []


class Worker(Protocol):
    """Runs functions of a :class:`Parts` (``fn(parts, *args)``), in this process or in
    another, in the order submitted; up to ``ahead`` of them may be in flight before a
    caller waits for the first."""

    ahead: int

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Start ``fn(parts, *args)``; the future's result is what it returns or raises."""
        ...

    def flush(self) -> None:
        """Store the parts held (:meth:`Parts.flush`), after what was submitted; raise
        what storing raised."""
        ...


class InlineWorker:
    """A :class:`Worker` that runs each function at once, in this process, before
    :meth:`submit` returns (what the service does: it never forks)."""

    ahead = 1

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(parts, *args)`` now; return a done future of its result."""
        future: Future[T] = Future()
        try:
            future.set_result(fn(self.parts, *args))
        except Exception as error:  # noqa: BLE001 - handed to whoever asks the future
            future.set_exception(error)
        return future

    def flush(self) -> None:
        """Store the parts held."""
        self.parts.flush()


_parts: Parts | None = None
#: prctl(2): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1


def _adopt(parts: Parts, parent: int) -> None:
    """Start of the worker process: it ends when its parent (process id ``parent``) does,
    however that ends (Linux ``PR_SET_PDEATHSIG``: the queue it reads from would never
    close, its parent's end being its own too); its own connections to the store (those
    of the engine it inherited belong to the parent; SQLAlchemy: ``dispose(close=False)``
    after fork)."""
    global _parts  # noqa: PLW0603 - the worker process's own state, set once at its start
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)
    bind = parts.session_factory.kw.get("bind")
    if isinstance(bind, sa.Engine):
        bind.dispose(close=False)
    _parts = parts


def _call(fn: Callable[..., T], *args: Any) -> T:
    assert _parts is not None
    return fn(_parts, *args)


class ProcessWorker:
    """A :class:`Worker` whose functions run in one process forked from this one (it
    inherits the loaded modules and ``parts``, and opens its own connections to the
    store), so that a long command uses a second core: the command reads (a stream) or
    writes (an import) while the worker validates, renders and stores parts. Up to
    :attr:`ahead` batches are in flight (a store of parts in the worker then seldom
    stops the command). The process starts at the first :meth:`submit`; functions and
    their arguments must pickle."""

    ahead = 3

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Send ``fn(parts, *args)`` to the worker; the future's result is what it
        returns, or raises again what it raised."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_adopt,
                initargs=(self.parts, os.getpid()),
            )
        return self._pool.submit(_call, fn, *args)

    @property
    def started(self) -> bool:
        """Whether the worker process was started (by a :meth:`submit`)."""
        return self._pool is not None

    def flush(self) -> None:
        """Have the worker store the parts it holds and wait for it (nothing to do, and
        no process started, if it never started)."""
        if self._pool is not None:
            self.submit(Parts.flush).result()

    def close(self) -> None:
        """Stop the worker (after what it was given), if it started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def can_fork() -> bool:
    """Whether a :class:`ProcessWorker` can run here: Linux, where forking a
    single-threaded process is safe (macOS's system libraries are not fork-safe)."""
    return sys.platform.startswith("linux")


class WorkerLostError(RuntimeError):
    """The worker process ended before its work did (killed: out of memory...)."""


@contextlib.contextmanager
def second_process(parts: Parts) -> Iterator[Worker]:
    """A :class:`ProcessWorker` of ``parts`` for the block, stopped at its end; an
    :class:`InlineWorker` where :func:`can_fork` says no. For a command (``timeline
    export``, ``timeline import``), never for the service: its threads make forking
    unsafe. Raises WorkerLostError if the worker process ends before its work."""
    if not can_fork():
        yield InlineWorker(parts)
        return
    worker = ProcessWorker(parts)
    try:
        yield worker
    except BrokenProcessPool as error:
        raise WorkerLostError("the worker process ended before its work did") from error
    finally:
        worker.close()


@contextlib.contextmanager
def inline(parts: Parts) -> Iterator[Worker]:
    """An :class:`InlineWorker` of ``parts`` for the block, as :func:`second_process`
    gives a :class:`ProcessWorker`."""
    yield InlineWorker(parts)
