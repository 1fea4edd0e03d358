"""The ceiling: trivial routes returning ready bytes (and a trivial 304), served by
waitress with the same threads as ``timeline serve``.

``python -m bench.ceiling DIR --port 8101 [--threads 8] [--flask]`` serves
``DIR/identity`` at ``/identity``, ``DIR/gzip`` at ``/gzip`` (``Content-Encoding: gzip``)
and an empty 304 at ``/304``, all with the headers in ``DIR/headers.json``. ``--flask``
serves the same routes through a bare Flask app, to tell framework cost from the
application's own.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

StartResponse = Callable[..., Any]


def load(directory: Path) -> dict[str, tuple[str, list[tuple[str, str]], bytes]]:
    """Return (status, headers, body) by path, read once from ``directory``."""
    headers = list(json.loads((directory / "headers.json").read_text()).items())
    identity = (directory / "identity").read_bytes()
    gzipped = (directory / "gzip").read_bytes()

    def with_length(body: bytes, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [*headers, *extra, ("Content-Length", str(len(body)))]

    return {
        "/identity": ("200 OK", with_length(identity, []), identity),
        "/gzip": ("200 OK", with_length(gzipped, [("Content-Encoding", "gzip")]), gzipped),
        "/304": ("304 Not Modified", [h for h in headers if h[0] != "Content-Type"], b""),
    }


def wsgi_app(directory: Path) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Return a plain WSGI callable serving the routes of :func:`load`."""
    routes = load(directory)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = routes.get(environ["PATH_INFO"])
        if route is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        status, headers, body = route
        start_response(status, headers)
        return [body]

    return app


def flask_app(directory: Path) -> Any:
    """Return a bare Flask app serving the routes of :func:`load`."""
    from flask import Flask, Response

    routes = load(directory)
    app = Flask("ceiling")

    for path, (status, headers, body) in routes.items():

        def view(status: str = status, headers: Any = headers, body: bytes = body) -> Response:
            return Response(body, status=int(status[:3]), headers=headers)

        app.add_url_rule(path, path, view)
    return app


def main() -> None:
    """Serve the ceiling routes until killed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--flask", action="store_true")
    args = parser.parse_args()
    import waitress

    app = flask_app(args.directory) if args.flask else wsgi_app(args.directory)
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=args.threads, ident="ceiling")


if __name__ == "__main__":
    main()
