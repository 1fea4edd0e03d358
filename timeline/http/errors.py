"""Errors as RFC 9457 problem details (``application/problem+json``), for every endpoint."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException, InternalServerError

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
    from werkzeug.http import HTTP_STATUS_CODES

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


def _from_problem_error(error: ProblemError) -> Response:
    return problem(
        error.status, error.detail, title=error.title, errors=error.errors, headers=error.headers
    )


def _from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or ""
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return problem(status, detail, title=error.name, headers=headers)


def _from_database_down(error: Exception) -> Response:
    from timeline.http import db

    db.rollback_session()
    log.error("database unavailable: %s", error.__class__.__name__)
    return problem(
        503,
        "The event store is unavailable; try again shortly.",
        headers={"Retry-After": "5"},
    )


def _from_unexpected(error: Exception) -> Response:
    from timeline.http import db

    db.rollback_session()
    log.exception("unhandled error", exc_info=error)
    return problem(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    """Answer every error of ``app`` with a problem document; a 500 rolls the session back,
    logs the traceback, and tells the client nothing more. An unreachable or locked
    database is a 503 with ``Retry-After``."""
    app.register_error_handler(ProblemError, _from_problem_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(sa.exc.OperationalError, _from_database_down)
    app.register_error_handler(sa.exc.InterfaceError, _from_database_down)
    app.register_error_handler(Exception, _from_unexpected)
