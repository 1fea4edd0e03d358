"""Headers every answer carries for the browser's protection (the pages' Content Security
Policy, no MIME sniffing, no framing), and redirects that never name the request's Host."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask

from timeline.publish.fastpath import StartResponse, WSGIApp

#: The pages' policy (CSP Level 3): nothing but the page's own stylesheet and images, no
#: script at all (inline or not), no plugin, no <base>, forms sent only to the service,
#: and no page of another site may frame it.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: What every HTML answer adds: the policy, the same refusal of framing for browsers
#: without CSP, and the origin alone as the referrer to other sites (no path or filter).
PAGE_HEADERS = (
    ("Content-Security-Policy", PAGE_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
#: What every answer adds: browsers take its Content-Type as it is (a feed is never
#: sniffed into a page).
EVERY_ANSWER = (("X-Content-Type-Options", "nosniff"),)


def relative_location(location: str, environ: dict[str, Any]) -> str:
    """Return a redirect's ``location`` without scheme and authority when its authority is
    the one the request names (its Host header, which the client chooses, or the server's
    name): ``/events/x`` rather than ``http://evil.example/events/x`` (RFC 9110 §10.2.2
    allows a relative reference). A path that would read as an authority
    (``//evil.example``) keeps one slash."""
    parts = urlsplit(location)
    server = environ.get("SERVER_NAME", "")
    named = {environ.get("HTTP_HOST"), server, f"{server}:{environ.get('SERVER_PORT', '')}"}
    if not parts.netloc or parts.netloc not in named:
        return location
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


class SecurityHeaders:
    """Wraps the whole WSGI application (the fast path included): adds
    :data:`EVERY_ANSWER` to every answer and :data:`PAGE_HEADERS` to every ``text/html``
    one, and makes a redirect's Location relative when it was built from the request's
    Host (Werkzeug's merged-slashes and trailing-slash redirects are)."""

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            page = False
            for n, (name, value) in enumerate(headers):
                lower = name.lower()
                if lower == "content-type":
                    page = value.startswith("text/html")
                elif lower == "location" and status.startswith("3"):
                    headers[n] = (name, relative_location(value, environ))
            headers.extend(EVERY_ANSWER)
            if page:
                headers.extend(PAGE_HEADERS)
            return start_response(status, headers, *exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    """Wrap ``app``'s WSGI callable in :class:`SecurityHeaders`; call it after every other
    wrapper, so that it sees every answer."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
