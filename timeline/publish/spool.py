"""Documents too large to keep in memory, kept on disk by ETag (diskcache), so that an
unchanged 100,000-event calendar is read from a file instead of rendered again."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import diskcache
from diskcache.core import MODE_BINARY, UNKNOWN

log = logging.getLogger(__name__)

#: Chunks (about 1 MB each) that may wait for the spool's writer before the response
#: itself waits for the disk.
QUEUED_CHUNKS = 128
#: How long :meth:`Spool.open` waits for a whole document still being written to disk.
WAIT_SECONDS = 30.0
#: How long after a document began to be produced :meth:`Spool.open` waits for it to be
#: produced whole: a burst of requests for a large document that has just changed waits
#: for the first one's render (about a second at 100,000 events, gzip included) instead
#: of rendering and compressing it again each; a document whose client reads it slowly
#: (past the server's own buffers) is rendered again by the others after that.
PRODUCING_SECONDS = 10.0
#: What a response puts after its last chunk: the document is whole (store it), or the
#: client went away (drop it).
_WHOLE, _DROPPED = object(), object()


class _Written:
    """A finished file beside the spool, to be moved into it as it is."""

    def __init__(self, path: str) -> None:
        self.path = path


class _AdoptingDisk(diskcache.Disk):  # type: ignore[misc]
    """diskcache's file storage, which takes a :class:`_Written` file by renaming it into
    place instead of copying it (half a second for a 100,000-event calendar)."""

    def store(self, value: object, read: bool, key: object = UNKNOWN) -> tuple[object, ...]:
        if not isinstance(value, _Written):
            return tuple(super().store(value, read, key=key))
        filename, full_path = self.filename(key, value)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        os.rename(value.path, full_path)
        return os.stat(full_path).st_size, MODE_BINARY, filename, None


class Spool:
    """Files by key (an ETag, plus ``+gzip`` for the gzip coding), at most ``max_bytes``
    in all under ``directory``, least recently used dropped first. Shared by every
    process on the machine that uses the same directory; thread- and process-safe.

    A document is stored by :meth:`tee` while it is sent, and only once it was produced
    whole: a client that goes away half-way leaves nothing behind. Any disk error only
    turns the spool off for that document (logged); serving goes on.
    """

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self._opened: diskcache.Cache | None = None
        self._lock = threading.Lock()
        # By key, see tee: the writer, and whether the document was produced whole.
        #: Per key being written: its writer, an event set once no more chunks come (the
        #: document produced whole, or dropped), and when it began (time.monotonic()).
        self._writing: dict[str, tuple[threading.Thread, threading.Event, float]] = {}

    @property
    def _cache(self) -> diskcache.Cache:
        """The index, opened (and the directory made) on first use."""
        with self._lock:
            if self._opened is None:
                self._opened = diskcache.Cache(
                    str(self.directory),
                    size_limit=self.max_bytes,
                    disk=_AdoptingDisk,
                    eviction_policy="least-recently-used",
                )
            return self._opened

    def open(self, key: str) -> tuple[BinaryIO, int] | None:
        """Return the stored document under ``key`` opened for reading, and its size in
        bytes; None if there is none (or it cannot be read). A document being produced
        (:meth:`tee`) is waited for until :data:`PRODUCING_SECONDS` after it began (one
        deadline for every request waiting: they never wait in turn), then, once it was
        produced whole, while it is written to disk, at most :data:`WAIT_SECONDS`; one
        still being produced at the deadline (its client reads slowly) is not: None."""
        with self._lock:
            writing = self._writing.get(key)
        if writing is not None:
            writer, whole, began = writing
            if not whole.wait(max(0.0, began + PRODUCING_SECONDS - time.monotonic())):
                return None
            writer.join(WAIT_SECONDS)
            if writer.is_alive():
                return None
        if self._opened is None and not self.directory.is_dir():
            return None  # nothing spooled yet: leave the disk alone
        try:
            handle = self._cache.get(key, read=True)
        except (OSError, sqlite3.Error, diskcache.Timeout):
            log.exception("spool: cannot read %s", key)
            return None
        if handle is None:
            return None
        return handle, os.fstat(handle.fileno()).st_size

    def tee(self, key: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """Yield ``chunks`` unchanged while a thread of the spool's writes them to a
        temporary file beside it, so that the client is not held up by the disk (up to
        :data:`QUEUED_CHUNKS` chunks ahead of it). Once the last chunk has been produced
        (known by reading one ahead, since a server may stop asking after the last byte)
        that thread stores the file under ``key``; until then :meth:`open` of ``key``
        waits for it (and, for a while, for the last chunk: :data:`PRODUCING_SECONDS`).
        A response closed before its end stores nothing and leaves no file behind
        (waited for). Only one response writes a given key at a time."""
        with self._lock:
            busy = key in self._writing
        try:
            if busy:
                raise FileExistsError(key)
            self._cache  # noqa: B018 - makes the directory
            fd, name = tempfile.mkstemp(dir=self.directory, suffix=".part")
        except FileExistsError:
            yield from chunks
            return
        except (OSError, sqlite3.Error):
            log.exception("spool: cannot write under %s", self.directory)
            yield from chunks
            return
        pending: queue.Queue[object] = queue.Queue(QUEUED_CHUNKS)
        writer = threading.Thread(
            target=self._write, args=(key, fd, name, pending), name="spool", daemon=True
        )
        whole = threading.Event()
        with self._lock:
            self._writing[key] = (writer, whole, time.monotonic())
        writer.start()
        end = _DROPPED
        try:
            chunk = next(chunks, None)
            while chunk is not None:
                following = next(chunks, None)
                pending.put(chunk)
                if following is None:
                    end = _WHOLE
                    pending.put(end)
                    whole.set()
                yield chunk
                chunk = following
        finally:
            if end is _DROPPED:
                pending.put(end)
                whole.set()  # no more chunks: whoever waits for them (open) stops waiting
                writer.join()

    def _write(self, key: str, fd: int, name: str, pending: queue.Queue[object]) -> None:
        """Write the chunks put in ``pending`` to the file ``name`` (open as ``fd``) until
        the end mark; store the file under ``key`` if it was whole and written whole."""
        written = True
        try:
            with os.fdopen(fd, "wb") as out:
                while (chunk := pending.get()) not in (_WHOLE, _DROPPED):
                    if written:
                        try:
                            out.write(chunk)  # type: ignore[arg-type]
                        except OSError:  # disk full: the response goes on, nothing kept
                            log.exception("spool: cannot write %s", key)
                            written = False
            if chunk is _WHOLE and written:
                self._store(key, name)
        except OSError:
            log.exception("spool: cannot write %s", key)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)
            with self._lock:
                self._writing.pop(key, None)

    def _store(self, key: str, name: str) -> None:
        """Move the written file ``name`` into the spool under ``key`` (a rename: both are
        under the spool's directory); remove it if that fails."""
        try:
            self._cache.set(key, _Written(name), read=True)
        except (OSError, sqlite3.Error, diskcache.Timeout):
            log.exception("spool: cannot store %s", key)
        with contextlib.suppress(OSError):
            os.unlink(name)

    def close(self) -> None:
        """Close the spool's index (its files stay)."""
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None
