"""Errors as RFC 9457 problem details (``application/problem+json``), for every endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from timeline.events.problems import ProblemError

log = logging.getLogger("timeline")

PROBLEM_TYPE = "about:blank"


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a problem response (RFC 9457 §3): ``type``, ``title``, ``status``, ``detail``
    and, when given, ``errors``. ``title`` defaults to the status's reason phrase."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(
        json.dumps(body, ensure_ascii=False) + "\n",
        status=status,
        mimetype="application/problem+json",
    )
    response.headers.update(headers or {})
    return response


#: Renders an error as an HTML page: (status, title, detail) -> response.
ErrorPage = Callable[[int, str, str], Response]


def _wants_html() -> bool:
    """True for a person's browser on a page: outside the API, with an Accept header that
    prefers HTML to JSON (a browser's does; curl's ``*/*`` and API clients' do not)."""
    if request.path == "/api" or request.path.startswith("/api/"):
        return False
    offered = ["application/problem+json", "application/json", "text/html"]
    return request.accept_mimetypes.best_match(offered) == "text/html"


def _answer(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as the client prefers it: an HTML page for a browser (when the app has
    an error page), otherwise the problem document; either way ``Vary: Accept``."""
    title = title or HTTP_STATUS_CODES.get(status, "Error")
    response = problem(status, detail, title=title, errors=errors, headers=headers)
    page: ErrorPage | None = current_app.extensions.get("timeline.error_page")
    if page is not None and _wants_html():
        try:
            response = page(status, title, detail)
        except Exception:  # the page itself failed: the problem document still answers
            log.exception("error page failed")
        else:
            response.headers.update(headers or {})
    response.vary.add("Accept")
    return response


def _from_problem_error(error: ProblemError) -> Response:
    return _answer(
        error.status, error.detail, title=error.title, errors=error.errors, headers=error.headers
    )


def _from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or ""
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return _answer(status, detail, title=error.name, headers=headers)


def _from_database_down(error: Exception) -> Response:
    from timeline.http import db

    db.rollback_session()
    log.error("database unavailable: %s", error.__class__.__name__)
    return _answer(
        503,
        "The event store is unavailable; try again shortly.",
        headers={"Retry-After": "5"},
    )


def _from_unexpected(error: Exception) -> Response:
    from timeline.http import db

    db.rollback_session()
    log.exception("unhandled error", exc_info=error)
    return _answer(500, InternalServerError.description)


def init_app(app: Flask, page: ErrorPage | None = None) -> None:
    """Answer every error of ``app`` with a problem document (RFC 9457), or with ``page``
    for a browser outside the API; a 500 rolls the session back, logs the traceback, and
    tells the client nothing more. An unreachable or locked database is a 503 with
    ``Retry-After``."""
    if page is not None:
        app.extensions["timeline.error_page"] = page
    app.register_error_handler(ProblemError, _from_problem_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(sa.exc.OperationalError, _from_database_down)
    app.register_error_handler(sa.exc.InterfaceError, _from_database_down)
    app.register_error_handler(Exception, _from_unexpected)
