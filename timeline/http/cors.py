"""Cross-origin reads (the Fetch standard's CORS): every public read-only document may be
read by a script on any web page; writes never say so."""

from __future__ import annotations

from flask import Blueprint, Response, request

from timeline.publish.fastpath import PUBLIC_READ

_READS = ("GET", "HEAD")


def public_reads(bp: Blueprint) -> None:
    """Give every GET and HEAD answer of ``bp`` (errors too, so that a page can read
    why) :data:`PUBLIC_READ`; its POST, PATCH and DELETE answers get nothing."""

    @bp.after_request
    def allow_any_origin(response: Response) -> Response:
        if request.method in _READS:
            response.headers.update(PUBLIC_READ)
        return response
