"""Reading a request's JSON body and headers for the API, refusing what is not JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from timeline.events.problems import ProblemError

_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")


def _bad_body(detail: str) -> ProblemError:
    return ProblemError(
        400, detail, title="Malformed JSON", errors=[{"pointer": "", "detail": detail}]
    )


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member {json.dumps(key)}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


#: Longest integer accepted, in digits: no field takes more, and Python refuses to
#: convert past 4,300 (sys.get_int_max_str_digits) anyway.
MAX_INT_DIGITS = 100


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer has more than {MAX_INT_DIGITS} digits")
    return int(text)


def loads_strict(text: str) -> Any:
    """Parse JSON text as RFC 8259 has it: no duplicate object members, no NaN or
    Infinity, no integer longer than MAX_INT_DIGITS. Raises ValueError
    (json.JSONDecodeError for syntax) otherwise."""
    return json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer)


def read_json(accepted: tuple[str, ...], accept_header: str) -> Any:
    """Return the request's JSON body (RFC 8259: UTF-8, no duplicate members, no NaN).

    Raises ProblemError: 415 (with ``accept_header``, e.g. ``Accept-Post``) unless the
    media type is one of ``accepted`` in UTF-8 without a Content-Encoding (RFC 9110
    §15.5.16 names Accept-Encoding in the answer), 413 over ``MAX_CONTENT_LENGTH`` bytes
    (Content-Length or the bytes actually read), 400 (pointer ``""``) when malformed.
    """
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype not in accepted or charset not in ("utf-8", "utf8"):
        raise ProblemError(
            415,
            f"Send the body as {' or '.join(accepted)} in UTF-8.",
            headers={accept_header: ", ".join(accepted)},
        )
    coding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if coding not in ("", "identity"):
        raise ProblemError(
            415,
            f"Send the body without Content-Encoding (it was {coding!r}).",
            headers={"Accept-Encoding": "identity"},
        )
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        raise ProblemError(413, f"The body is larger than the limit of {limit} bytes.") from None
    try:
        return loads_strict(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise _bad_body(f"The body is not UTF-8 (byte {error.start}).") from None
    except json.JSONDecodeError as error:
        raise _bad_body(
            f"Malformed JSON: {error.msg} at line {error.lineno} column {error.colno}."
        ) from None
    except ValueError as error:
        raise _bad_body(f"Malformed JSON: {error}.") from None
    except RecursionError:
        raise _bad_body("Malformed JSON: nested too deeply.") from None


def idempotency_key() -> str | None:
    """Return the request's ``Idempotency-Key`` header, or None (IETF draft
    draft-ietf-httpapi-idempotency-key-header; surrounding quotes are dropped). Raises
    ProblemError (400) unless it is 1 to 200 visible ASCII characters."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip().strip('"')
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        detail = "Idempotency-Key must be 1 to 200 visible ASCII characters"
        raise ProblemError(400, detail, errors=[{"header": "Idempotency-Key", "detail": detail}])
    return key
