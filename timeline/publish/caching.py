"""HTTP caching of feeds and calendars: strong ETags from the store version, conditional
requests answered before rendering, and rendered bodies (identity and gzip) kept in memory."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import itertools
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from flask import Flask, Response, current_app, request, stream_with_context
from werkzeug.http import is_resource_modified
from werkzeug.wsgi import wrap_file

from timeline.publish.assembly import Assembler
from timeline.publish.fastpath import (
    CACHE_BUSTER,
    PUBLIC_READ,
    FastPath,
    Known,
    coded_etag,
    last_modified,
    without_cache_buster,
)
from timeline.publish.spool import Spool
from timeline.publish.wording import CATALOGS
from timeline.store.version import StoreVersion
from timeline.store.walltime import rules_version


class RenderCache:
    """A thread-safe LRU of rendered bodies (identity, or gzip under the key plus
    ``+gzip``) keyed by ETag, bounded in total bytes, with one render at a time per key
    (:meth:`one_render`)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        #: Per key being rendered: its lock, and how many threads hold or wait for it.
        self._flights: dict[str, tuple[threading.Lock, list[int]]] = {}

    def get(self, key: str) -> bytes | None:
        """Return the document under ``key``, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    @contextlib.contextmanager
    def one_render(self, key: str) -> Iterator[None]:
        """Hold the block while no other thread is in a block for ``key``: one thread
        renders the body of ``key`` while the others that want it wait (they find it in
        the cache then)."""
        with self._lock:
            lock, holders = self._flights.setdefault(key, (threading.Lock(), [0]))
            holders[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._lock:
                holders[0] -= 1
                if holders[0] == 0:
                    del self._flights[key]

    def put(self, key: str, body: bytes) -> None:
        """Keep ``body`` under ``key``, dropping the least recently used beyond the bound."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


_GZIP = {"Content-Encoding": "gzip"}


def init_app(app: Flask) -> None:
    """Give ``app`` its render cache (``RENDER_CACHE_BYTES``), its assembled calendars
    (``ASSEMBLY_BYTES``), its spool of large documents
    (``SPOOL_DIR``, ``SPOOL_BYTES``) and a fingerprint of the configuration that
    rendering depends on, which every ETag includes."""
    app.extensions["timeline.render_cache"] = RenderCache(int(app.config["RENDER_CACHE_BYTES"]))
    spool_dir = Path(app.config["SPOOL_DIR"] or Path(app.instance_path) / "spool")
    app.extensions["timeline.spool"] = Spool(spool_dir, int(app.config["SPOOL_BYTES"]))
    app.extensions["timeline.assembler"] = Assembler(int(app.config["ASSEMBLY_BYTES"]))
    fastpath = FastPath(
        app.wsgi_app,
        app.extensions["timeline.version_reader"],
        app.extensions["timeline.render_cache"].get,
    )
    app.extensions["timeline.fastpath"] = fastpath
    app.wsgi_app = fastpath  # type: ignore[method-assign]
    keys = [
        "BASE_URL",
        "ID_DOMAIN",
        "ID_DATE",
        "CALENDAR_NAME",
        "CALENDAR_DESCRIPTION",
        "LANGUAGE",
        "REFRESH_INTERVAL",
        "FEED_MAX_ITEMS",
        "CALENDAR_MAX_BYTES",
    ]
    digest = hashlib.sha256()
    digest.update("\n".join(f"{k}={app.config[k]!r}" for k in keys).encode())
    # The code is part of what a stored part or a cached body depends on.
    for source in rendering_sources():
        digest.update(source.read_bytes())
    # So are the tz database's rules: no document mixes text made under old and new ones.
    digest.update(rules_version().encode())
    # And the catalogs of the words the renderers add (precision, source, dates).
    for compiled in sorted(CATALOGS.glob("*/LC_MESSAGES/*.mo")):
        digest.update(compiled.read_bytes())
    app.extensions["timeline.config_fingerprint"] = digest.hexdigest()


def rendering_sources() -> list[Path]:
    """Return the source files whose code decides the bytes of a rendered document, in a
    stable order (absolute paths, sorted): every module of :mod:`feeds` (the renderers)
    and of :mod:`timeline` (the conversion of stored events into the renderers' values,
    :mod:`timeline.publish.convert`, and all that it uses). Only the renderers were
    read before: a release that changed the conversion alone served the old bytes under
    the old ETags, and kept the old stored parts, until the store changed."""
    import feeds
    import timeline

    packages = (Path(feeds.__file__).parent, Path(timeline.__file__).parent)
    return sorted(path for package in packages for path in package.rglob("*.py"))


def render_key(app: Flask) -> str:
    """Return the short key (16 hex digits) of what rendering depends on: the settings
    that appear in the output, the code (:func:`rendering_sources`), the tz database's version
    (:func:`timeline.store.walltime.rules_version`) and the compiled message catalogs."""
    key: str = app.extensions["timeline.config_fingerprint"][:16]
    return key


def document_query() -> str:
    """The raw query string of the request without :data:`CACHE_BUSTER`, which no
    document depends on."""
    return without_cache_buster(request.query_string.decode())


def document_path() -> str:
    """The path and query of the document asked for (without :data:`CACHE_BUSTER`): the
    ``self`` link a feed or calendar gives, the same for every cache-busting value."""
    query = document_query()
    return f"{request.path}?{query}" if query else request.path


def _wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip framing
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


def cached_document(
    kind: str,
    content_type: str,
    version: StoreVersion,
    render: Callable[[], Iterable[bytes]],
    *,
    shared: bool = True,
    cross_origin: bool = True,
    headers: Mapping[str, str] | None = None,
    timeline: int | None = None,
) -> Response:
    """Answer a GET or HEAD of a document that depends only on the request's path and
    query, the configuration, and ``version``.

    The strong ETag and Last-Modified (``version.updated``, sent once the clock has left
    the second of that change: :func:`timeline.publish.fastpath.last_modified`) are known
    before rendering, so a matching If-None-Match (or, without one, If-Modified-Since)
    gets 304 at once, as RFC 9110 §13.2.2 orders. Otherwise the body comes from the
    cache or from the chunks of ``render()``; a body larger than a quarter of the cache
    is streamed as it is produced and kept on disk instead
    (:class:`timeline.publish.spool.Spool`), from where the next request for the same
    ETag is sent. Gzip when the client accepts it. Every
    answer carries Cache-Control (``CACHE_MAX_AGE``), ``Vary: Accept-Encoding`` and
    :data:`PUBLIC_READ` when ``cross_origin`` (every feed and calendar is public; the HTML
    pages, which no other site's script needs to read, pass False). The cache-busting parameter
    (:data:`timeline.publish.fastpath.CACHE_BUSTER`) is no part of the ETag. When
    ``shared`` (the document depends on the store version, not on one event), later
    polls of the same URL are answered by :class:`timeline.publish.fastpath.FastPath` without Flask.
    ``headers`` are added to every answer (the fast path's too). ``timeline``: the id
    of the timeline whose version ``version`` is (None: the store's), which the fast
    path reads again for each later poll.
    """
    fingerprint = current_app.extensions["timeline.config_fingerprint"]
    args = request.args.items(multi=True)
    query = "&".join(sorted(f"{k}={v}" for k, v in args if k != CACHE_BUSTER))
    key = f"{kind}\n{request.path}?{query}\n{version.token}\n{fingerprint}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    extra = dict(headers or {})
    headers = {
        "Cache-Control": f"public, max-age={int(current_app.config['CACHE_MAX_AGE'])}",
        "Vary": "Accept-Encoding",
        **(PUBLIC_READ if cross_origin else {}),
    } | extra
    if shared:
        fastpath: FastPath = current_app.extensions["timeline.fastpath"]
        known = Known(
            version.version,
            etag,
            version.updated,
            tuple(headers.items()),
            content_type,
            timeline,
        )
        raw_query = without_cache_buster(request.environ.get("QUERY_STRING", ""))
        fastpath.remember(request.environ["PATH_INFO"], raw_query, known)
    headers.update(last_modified(version.updated))
    wants_gzip = _wants_gzip()
    # Each content coding is its own representation, with its own strong ETag (RFC 9110
    # §8.8.3.3).
    tag = coded_etag(etag, wants_gzip)
    headers["ETag"] = f'"{tag}"'
    if not is_resource_modified(request.environ, etag=tag, last_modified=version.updated):
        return Response(status=304, headers=headers)
    cache: RenderCache = current_app.extensions["timeline.render_cache"]
    if wants_gzip and (gzipped := cache.get(etag + "+gzip")) is not None:
        return Response(gzipped, content_type=content_type, headers=headers | _GZIP)
    body = cache.get(etag)
    if body is None:
        # A document many ask for at once (a burst after a write) is rendered once: the
        # other requests wait for that render, then find it in the cache.
        with cache.one_render(etag):
            body = cache.get(etag)
            if body is None:
                spool: Spool = current_app.extensions["timeline.spool"]
                spooled = spool.open(etag + "+gzip" if wants_gzip else etag)
                if spooled is not None:
                    handle, length = spooled
                    spooled_headers = headers | {"Content-Length": str(length)}
                    if wants_gzip:
                        spooled_headers |= _GZIP
                    return Response(
                        wrap_file(request.environ, handle),
                        content_type=content_type,
                        headers=spooled_headers,
                        direct_passthrough=True,
                    )
                chunks = iter(render())
                held: list[bytes] = []
                size = 0
                for chunk in chunks:
                    held.append(chunk)
                    size += len(chunk)
                    if size > cache.max_bytes // 4:
                        whole = itertools.chain(held, chunks)
                        return _streamed(spool, etag, whole, content_type, headers)
                body = b"".join(held)
                cache.put(etag, body)
    if not wants_gzip:
        return Response(body, content_type=content_type, headers=headers)
    # Compressed on first demand only, mtime 0 so that the bytes are deterministic.
    gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    cache.put(etag + "+gzip", gzipped)
    return Response(gzipped, content_type=content_type, headers=headers | _GZIP)


def _streamed(
    spool: Spool, etag: str, chunks: Iterator[bytes], content_type: str, headers: dict[str, str]
) -> Response:
    key = etag
    if _wants_gzip():
        headers = headers | _GZIP
        chunks = _gzip_stream(chunks)
        key += "+gzip"
    chunks = spool.tee(key, chunks)
    return Response(stream_with_context(chunks), content_type=content_type, headers=headers)
