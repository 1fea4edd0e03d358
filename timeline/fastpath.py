"""A WSGI layer in front of Flask that answers repeated polls of the calendars and feeds
from memory: 304 or the cached body, after one read of the store version."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from werkzeug.http import is_resource_modified, parse_accept_header

from timeline.state import VersionReader

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def coded_etag(etag: str, gzipped: bool) -> str:
    """The ETag (without quotes) of the identity or the gzip representation of a document."""
    return f"{etag}-gzip" if gzipped else etag


@dataclass(frozen=True)
class Known:
    """A document the Flask view has answered at store ``version``: its ETag (of the
    identity coding; the gzip one adds ``-gzip``, as :func:`coded_etag`),
    its other headers (Last-Modified, Cache-Control, Vary) and Content-Type. The ETag is
    also the render cache key of its body."""

    version: int
    etag: str
    updated: dt.datetime
    headers: tuple[tuple[str, str], ...]
    content_type: str


class FastPath:
    """Wraps the app's WSGI callable. A GET or HEAD whose path and raw query string were
    answered before, at the store version that is still current, gets the same answer
    without Flask: 304 when its If-None-Match / If-Modified-Since match (RFC 9110
    §13.1), else the body from the render cache. Anything else, a changed store, or an
    unreachable database (which Flask turns into a 503) goes on to Flask."""

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
        self._known: OrderedDict[tuple[str, str], Known] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, path: str, query: str, known: Known) -> None:
        """Note that ``path`` with raw query string ``query`` was answered as ``known``."""
        with self._lock:
            self._known[(path, query)] = known
            self._known.move_to_end((path, query))
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            known = self._known.get((environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")))
            if known is not None:
                answer = self._answer(known, environ)
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return [] if method == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)

    def _answer(
        self, known: Known, environ: dict[str, Any]
    ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        try:
            if self.reader.read().version != known.version:
                return None
        except sa.exc.OperationalError:
            return None
        gzip = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))["gzip"] > 0
        tag = coded_etag(known.etag, gzip)
        validators = [*known.headers, ("ETag", f'"{tag}"')]
        if not is_resource_modified(environ, etag=tag, last_modified=known.updated):
            return "304 Not Modified", validators, b""
        body = self.bodies(known.etag + "+gzip" if gzip else known.etag)
        if body is None:
            return None
        headers = [*validators, ("Content-Type", known.content_type)]
        if gzip:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body
