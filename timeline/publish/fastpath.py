"""A WSGI layer in front of Flask that answers repeated polls of the calendars and feeds
from memory: 304 or the cached body, after one read of the store version."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

import sqlalchemy as sa
from werkzeug.http import http_date, is_resource_modified, parse_accept_header

from timeline.store.models import utcnow
from timeline.store.version import StoreVersion, VersionReader

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


#: The cache-busting parameter that jQuery (``cache: false``) and RSS-Bridge add to a URL
#: (``?_=1700000000000``): the public documents ignore it, and share their cache and ETag
#: with the same URL without it.
CACHE_BUSTER = "_"


#: What every public read-only document answers (the Fetch standard's CORS, §3.2.3): a
#: script on any web page may read it. None carries credentials (writes take a bearer
#: token, never a cookie).
PUBLIC_READ = {"Access-Control-Allow-Origin": "*"}


def without_cache_buster(query: str) -> str:
    """Return the raw query string ``query`` without its :data:`CACHE_BUSTER` parameters,
    the others as given, in order (``tag=x&_=17`` → ``tag=x``)."""
    if CACHE_BUSTER not in query:
        return query
    kept = [p for p in query.split("&") if unquote_plus(p.split("=", 1)[0]) != CACHE_BUSTER]
    return "&".join(kept)


def last_modified(updated: dt.datetime) -> list[tuple[str, str]]:
    """Return the ``Last-Modified`` header of a document last changed at ``updated``
    (UTC-aware), or none while that change is in the current second of the clock.

    HTTP dates count whole seconds (RFC 9110 §5.6.7), so a Last-Modified sent in the
    second of the change could be the same text as that of a later change within that
    second, and a client's If-Modified-Since would hide it. Sent only once the clock has
    left that second, every later change lies in a later second, and If-Modified-Since
    sees it. ETags, always sent, keep conditional requests working meanwhile."""
    if utcnow().replace(microsecond=0) <= updated.replace(microsecond=0):
        return []
    return [("Last-Modified", http_date(updated))]


def coded_etag(etag: str, gzipped: bool) -> str:
    """The ETag (without quotes) of the identity or the gzip representation of a document."""
    return f"{etag}-gzip" if gzipped else etag


@dataclass(frozen=True)
class Known:
    """A document the Flask view has answered at store ``version``: its ETag (of the
    identity coding; the gzip one adds ``-gzip``, as :func:`coded_etag`),
    its other headers (Cache-Control, Vary, ...; Last-Modified is added per answer by
    :func:`last_modified`) and Content-Type. The ETag is also the render cache key of
    its body. ``timeline``: the id of the timeline whose version ``version`` is (None:
    the store's)."""

    version: int
    etag: str
    updated: dt.datetime
    headers: tuple[tuple[str, str], ...]
    content_type: str
    timeline: int | None = None


@dataclass(frozen=True)
class _Coding:
    """What the fast path answers for one content coding of a known document, prepared
    once: the quoted ETag, the 304's headers, the 200's headers but Content-Length, and
    the render cache key of the body."""

    quoted: str
    not_modified: list[tuple[str, str]]
    ok: list[tuple[str, str]]
    body_key: str

    @classmethod
    def of(cls, known: Known, gzipped: bool) -> _Coding:
        quoted = f'"{coded_etag(known.etag, gzipped)}"'
        validators = [*known.headers, ("ETag", quoted)]
        ok = [*validators, ("Content-Type", known.content_type)]
        if gzipped:
            ok.append(("Content-Encoding", "gzip"))
        return cls(quoted, validators, ok, known.etag + "+gzip" if gzipped else known.etag)


@dataclass(frozen=True)
class _Entry:
    known: Known
    identity: _Coding
    gzip: _Coding


class FastPath:
    """Wraps the app's WSGI callable. A GET or HEAD whose path and raw query string (less
    :data:`CACHE_BUSTER`) were answered before, at the version (of its timeline, or of
    the store) that is still current, gets the same answer without Flask: 304 when its
    If-None-Match / If-Modified-Since match (RFC 9110 §13.1), else the body from the render cache.
    Anything else, a changed store, or an unreachable database (which Flask turns into a
    503) goes on to Flask."""

    def __init__(
        self,
        wsgi_app: WSGIApp,
        reader: VersionReader,
        bodies: Callable[[str], bytes | None],
        size: int = 1024,
    ) -> None:
        self.wsgi_app = wsgi_app
        self.reader = reader
        self.bodies = bodies
        self.size = size
        self._known: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        #: Whether an Accept-Encoding value accepts gzip, by value (bounded).
        self._gzip_by_header: dict[str | None, bool] = {}

    def remember(self, path: str, query: str, known: Known) -> None:
        """Note that ``path`` with raw query string ``query`` (without :data:`CACHE_BUSTER`)
        was answered as ``known``."""
        entry = _Entry(known, _Coding.of(known, False), _Coding.of(known, True))
        with self._lock:
            self._known[(path, query)] = entry
            self._known.move_to_end((path, query))
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            query = without_cache_buster(environ.get("QUERY_STRING", ""))
            entry = self._known.get((environ.get("PATH_INFO", ""), query))
            if entry is not None:
                answer = self._answer(entry, environ)
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return [] if method == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)

    def _accepts_gzip(self, header: str | None) -> bool:
        accepted = self._gzip_by_header.get(header)
        if accepted is None:
            accepted = parse_accept_header(header)["gzip"] > 0
            if len(self._gzip_by_header) >= 256:
                self._gzip_by_header.clear()
            self._gzip_by_header[header] = accepted
        return accepted

    def _answer(
        self, entry: _Entry, environ: dict[str, Any]
    ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        known = entry.known
        try:
            if known.timeline is None:
                current: StoreVersion | None = self.reader.read()
            else:
                current = self.reader.read_timeline(known.timeline)
        except sa.exc.OperationalError:
            return None
        if current is None or current.version != known.version:
            return None
        coding = (
            entry.gzip
            if self._accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
            else entry.identity
        )
        dated = last_modified(known.updated)
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match == coding.quoted:  # the usual poll: our own ETag, sent back as it came
            return "304 Not Modified", [*coding.not_modified, *dated], b""
        if (match is not None or "HTTP_IF_MODIFIED_SINCE" in environ) and not is_resource_modified(
            environ, etag=coding.quoted[1:-1], last_modified=known.updated
        ):
            return "304 Not Modified", [*coding.not_modified, *dated], b""
        body = self.bodies(coding.body_key)
        if body is None:
            return None
        return "200 OK", [*coding.ok, *dated, ("Content-Length", str(len(body)))], body
