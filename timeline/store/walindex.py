"""A commit signal for SQLite in WAL mode that costs one memory read: the wal-index header.

SQLite's unix and windows VFSes keep the wal-index in a file beside the database
(``<database>-shm``) that every connection maps into memory. Its first 96 bytes are two
copies of the wal-index header, which each commit rewrites (``iChange`` counts write
transactions; ``mxFrame`` and the salts move with the WAL), and which readers consult to
find the newest commit (https://sqlite.org/walformat.html, §2.2 "The WAL-Index Header").
So while those bytes are unchanged, no process has committed anything; the converse need
not hold (a checkpoint or a recovery rewrites them too), which only costs a real read.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from pathlib import Path

#: Two copies of WalIndexHdr (48 bytes each); the checkpoint info after them is left out,
#: since a checkpoint moves no data into or out of view.
HEADER_BYTES = 96


class WalIndex:
    """The wal-index header of one SQLite database, mapped read-only.

    Open it while holding a connection to the database in WAL mode: SQLite deletes the
    ``-shm`` file only when the last connection closes, so the mapping stays the file's
    for as long as that connection is open.
    """

    def __init__(self, shm_path: Path) -> None:
        """Map ``shm_path``; raises OSError or ValueError when it is missing or too short."""
        fd = os.open(shm_path, os.O_RDONLY)
        try:
            self._map = mmap.mmap(fd, HEADER_BYTES, mmap.MAP_SHARED, mmap.PROT_READ)
        finally:
            os.close(fd)

    @classmethod
    def open(cls, database: str | None) -> WalIndex | None:
        """Return the wal-index of the SQLite file ``database`` (a path), or None when it
        has none to map (in-memory database, another journal mode, no ``-shm`` file)."""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        try:
            return cls(Path(database + "-shm"))
        except (OSError, ValueError):
            return None

    def mark(self) -> bytes | None:
        """Return the header's bytes now (a copy; holds the GIL, makes no system call), or
        None once :meth:`close` has run."""
        try:
            return self._map[:HEADER_BYTES]
        except ValueError:  # closed
            return None

    def close(self) -> None:
        """Unmap the header."""
        with contextlib.suppress(BufferError):
            self._map.close()
