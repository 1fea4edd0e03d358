"""The spool of large documents: written beside the response by a thread of its own."""

from __future__ import annotations

import errno
import io
import os
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from timeline.publish import spool as spool_module
from timeline.publish.spool import Spool

CHUNKS = [b"BEGIN:VCALENDAR\r\n", b"x" * 5000, b"END:VCALENDAR\r\n"]


def _read(spool: Spool, key: str) -> bytes | None:
    opened = spool.open(key)
    if opened is None:
        return None
    handle, length = opened
    with handle:
        body = handle.read()
    assert len(body) == length
    return body


class _GatedFile(io.FileIO):
    """A file whose writes wait until ``gate`` is set, as a slow disk would."""

    gate = threading.Event()

    def write(self, data: Any) -> int:
        assert self.gate.wait(10)
        return super().write(data)


class _FullFile(io.FileIO):
    """A file on a full disk."""

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def _files_as(monkeypatch: pytest.MonkeyPatch, kind: type[io.FileIO]) -> None:
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: kind(fd, "wb"))


def test_a_document_sent_whole_is_stored(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", 1 << 20)
    assert list(spool.tee("etag-1", iter(CHUNKS))) == CHUNKS
    assert _read(spool, "etag-1") == b"".join(CHUNKS)
    assert _read(spool, "etag-2") is None
    assert not list((tmp_path / "spool").glob("*.part"))


def test_a_slow_disk_does_not_hold_the_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _files_as(monkeypatch, _GatedFile)
    _GatedFile.gate.clear()
    spool = Spool(tmp_path / "spool", 1 << 20)
    # Every chunk reaches the client while the disk has taken none of them.
    assert list(spool.tee("etag-1", iter(CHUNKS))) == CHUNKS
    _GatedFile.gate.set()
    assert _read(spool, "etag-1") == b"".join(CHUNKS)  # waits for the writer


def test_a_client_gone_half_way_leaves_nothing(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", 1 << 20)
    sent = spool.tee("etag-1", iter(CHUNKS))
    assert isinstance(sent, Generator)
    assert next(sent) == CHUNKS[0]
    sent.close()
    assert _read(spool, "etag-1") is None
    assert not list((tmp_path / "spool").glob("*.part"))


def test_a_full_disk_keeps_nothing_and_the_response_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _files_as(monkeypatch, _FullFile)
    spool = Spool(tmp_path / "spool", 1 << 20)
    assert list(spool.tee("etag-1", iter(CHUNKS))) == CHUNKS
    assert _read(spool, "etag-1") is None
    assert not list((tmp_path / "spool").glob("*.part"))


def test_a_document_still_being_produced_is_waited_for_a_while(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool_module, "PRODUCING_SECONDS", 0.2)
    spool = Spool(tmp_path / "spool", 1 << 20)
    sent = spool.tee("etag-1", iter(CHUNKS))
    assert next(sent) == CHUNKS[0]
    # Its client reads slowly: past the wait, another request renders afresh.
    assert _read(spool, "etag-1") is None
    assert list(sent) == CHUNKS[1:]
    assert _read(spool, "etag-1") == b"".join(CHUNKS)


def _reading(spool: Spool, key: str) -> tuple[threading.Thread, list[bytes | None]]:
    """Start a thread reading ``key`` as another request would; its result goes in the
    list returned."""
    read: list[bytes | None] = []
    reader = threading.Thread(target=lambda: read.append(_read(spool, key)))
    reader.start()
    return reader, read


def test_a_burst_waits_for_the_first_render_instead_of_rendering_again(
    tmp_path: Path,
) -> None:
    """The second request for a large document that is being rendered (and gzipped) by
    the first waits for it and is sent the spooled file: it used to render and compress
    it again, as did every request of a burst after a change (a second of CPU each for
    a gzipped calendar of 100,000 events)."""
    spool = Spool(tmp_path / "spool", 1 << 20)
    sent = spool.tee("etag-1+gzip", iter(CHUNKS))
    assert next(sent) == CHUNKS[0]
    reader, read = _reading(spool, "etag-1+gzip")
    reader.join(0.3)
    assert reader.is_alive()  # waiting, not gone off to render it again
    assert list(sent) == CHUNKS[1:]
    reader.join(10)
    assert read == [b"".join(CHUNKS)]


def test_a_document_dropped_half_way_ends_the_wait(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", 1 << 20)
    sent = spool.tee("etag-1", iter(CHUNKS))
    assert isinstance(sent, Generator)
    assert next(sent) == CHUNKS[0]
    reader, read = _reading(spool, "etag-1")
    sent.close()  # its client went away: nothing is stored, and nobody waits on
    reader.join(5)  # far less than PRODUCING_SECONDS
    assert not reader.is_alive()
    assert read == [None]
    assert not list((tmp_path / "spool").glob("*.part"))
