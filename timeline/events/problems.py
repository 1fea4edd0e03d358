"""ProblemError: a client's error, raised anywhere below the views and answered as an RFC 9457
problem document by :mod:`timeline.http.errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: At most this many errors are listed in a problem document, and this many described
#: in its ``detail``: a request with ten thousand mistakes gets an answer of a few
#: kilobytes, not one line per mistake.
MAX_ERRORS = 100
MAX_DESCRIBED = 5


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


def _detail(error: dict[str, Any]) -> str:
    return str(error["detail"])


def listing(
    status: int,
    errors: list[dict[str, Any]],
    *,
    title: str,
    describe: Callable[[dict[str, Any]], str] = _detail,
) -> ProblemError:
    """Return the ProblemError of a request with ``errors`` (each ``{"pointer" or
    "parameter", "detail"}``, at least one): the first :data:`MAX_DESCRIBED` described
    by ``describe`` in ``detail`` (``"; "`` between them, then ``" (and N more)"``), the
    first :data:`MAX_ERRORS` listed in ``errors`` (RFC 9457 §3.2 extension member)."""
    shown = "; ".join(describe(e) for e in errors[:MAX_DESCRIBED])
    more = f" (and {len(errors) - MAX_DESCRIBED} more)" if len(errors) > MAX_DESCRIBED else ""
    return ProblemError(status, shown + more, title=title, errors=errors[:MAX_ERRORS])
