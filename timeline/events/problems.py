"""ProblemError: a client's error, raised anywhere below the views and answered as an RFC 9457
problem document by :mod:`timeline.http.errors`."""

from __future__ import annotations

from typing import Any


class ProblemError(Exception):
    """An error to answer with a problem document.

    ``status``: the HTTP status; ``title``: a short fixed summary of the kind of problem;
    ``detail``: what was wrong with this request; ``errors``: for validation, a list of
    ``{"pointer": "/json/pointer", "detail": "..."}`` (RFC 6901 pointers into the body, or
    ``{"parameter": name, ...}`` for query parameters); ``headers``: extra headers.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.errors = errors
        self.headers = headers or {}
