"""Documents too large to keep in memory, kept on disk by ETag (diskcache), so that an
unchanged 100,000-event calendar is read from a file instead of rendered again."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import diskcache

log = logging.getLogger(__name__)


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
        #: Stores under way (copying a written file into the index), by key: the request
        #: that produced a document does not wait for it; the next one for it does.
        self._storer: ThreadPoolExecutor | None = None
        self._pending: dict[str, Future[None]] = {}

    @property
    def _cache(self) -> diskcache.Cache:
        """The index, opened (and the directory made) on first use."""
        with self._lock:
            if self._opened is None:
                self._opened = diskcache.Cache(
                    str(self.directory),
                    size_limit=self.max_bytes,
                    eviction_policy="least-recently-used",
                )
            return self._opened

    def open(self, key: str) -> tuple[BinaryIO, int] | None:
        """Return the stored document under ``key`` opened for reading, and its size in
        bytes; None if there is none (or it cannot be read). Waits for a store of ``key``
        under way."""
        with self._lock:
            pending = self._pending.get(key)
        if pending is not None:
            pending.result()  # _store logs its errors, never raises
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
        """Yield ``chunks`` unchanged, writing them to a temporary file beside the spool;
        once the last one has been produced (known by reading one ahead, since a server
        may stop asking after the last byte), store the file under ``key`` and then yield
        that chunk. The file is stored into the index in the background (a copy: half a
        second for a 100,000-event calendar), so the last chunk is not held back by it."""
        try:
            self._cache  # noqa: B018 - makes the directory
            fd, name = tempfile.mkstemp(dir=self.directory, suffix=".part")
        except (OSError, sqlite3.Error):
            log.exception("spool: cannot write under %s", self.directory)
            yield from chunks
            return
        out: BinaryIO | None = os.fdopen(fd, "wb")
        try:
            chunk = next(chunks, None)
            while chunk is not None:
                following = next(chunks, None)
                if out is not None:
                    try:
                        out.write(chunk)
                    except OSError:  # disk full: go on serving, keep nothing
                        log.exception("spool: cannot write %s", key)
                        out.close()
                        out = None
                if following is None and out is not None:
                    out.close()
                    out = None
                    self._store_later(key, name)
                    name = ""  # the store removes it
                yield chunk
                chunk = following
        finally:
            if out is not None:
                out.close()
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)

    def _store_later(self, key: str, name: str) -> None:
        """Run :meth:`_store` in the spool's one background thread."""
        with self._lock:
            if self._storer is None:
                self._storer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spool")
            future = self._storer.submit(self._store, key, name)
            self._pending[key] = future
        future.add_done_callback(lambda done: self._forget(key, done))

    def _forget(self, key: str, done: Future[None]) -> None:
        with self._lock:
            if self._pending.get(key) is done:
                del self._pending[key]

    def _store(self, key: str, name: str) -> None:
        """Copy the written file ``name`` into the spool under ``key``, then remove it."""
        try:
            with open(name, "rb") as written:
                self._cache.set(key, written, read=True)
        except (OSError, sqlite3.Error, diskcache.Timeout):
            log.exception("spool: cannot store %s", key)
        with contextlib.suppress(OSError):
            os.unlink(name)

    def close(self) -> None:
        """Finish the stores under way, then close the spool's index (its files stay)."""
        with self._lock:
            storer, self._storer = self._storer, None
        if storer is not None:
            storer.shutdown(wait=True)
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None
