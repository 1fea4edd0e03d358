"""The desk's event form: its fields read into the API's event body (validated by
:func:`timeline.events.parse.parse_event`, the API's own), the API's errors put next to
the field they name, and a stored event's content as the form's values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from timeline.events.output import content_fields
from timeline.store.models import Event
from timeline.store.writes import event_data

#: The languages a form edits texts in (the pages' ``LANGUAGES`` as the form offers them).
FORM_LANGUAGES = ("en", "zh")
PRECISIONS = ("day", "month", "year")
#: Text fields of the form, by name.
TEXT_FIELDS = (
    "start",
    "end",
    "timezone",
    "organizations",
    "tags",
    "location",
    "url",
    "source_name",
    "source_published",
    "source_locator",
    "source_when",
    *(f"{kind}_{tag}" for kind in ("title", "description") for tag in FORM_LANGUAGES),
)
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；\n]\s*")
_DIGITS = {"year": 4, "month": 7, "day": 10}


@dataclass
class EventForm:
    """The values of an event form (each text as typed), and the errors found, by field
    name (``""`` for those of no field)."""

    values: dict[str, str] = field(default_factory=dict)
    approximate: bool = False
    language: str = "en"
    precision: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, name: str, detail: str) -> None:
        """Add ``detail`` to the errors of the field ``name``."""
        self.errors.setdefault(name, []).append(detail)

    def value(self, name: str) -> str:
        """The field's value as typed ("" when empty)."""
        return self.values.get(name, "")


def read_form(form: Mapping[str, str], prefix: str = "") -> EventForm:
    """Read the event fields of a posted ``form`` (names after ``prefix``), stripped."""
    values = {name: str(form.get(prefix + name, "")).strip() for name in TEXT_FIELDS}
    language = str(form.get(prefix + "language", "en"))
    precision = str(form.get(prefix + "precision", ""))
    return EventForm(
        values=values,
        approximate=form.get(prefix + "approximate") in ("on", "true", "1"),
        language=language if language in FORM_LANGUAGES else "en",
        precision=precision if precision in PRECISIONS else "",
    )


def _items(text: str) -> list[str]:
    return [item for item in _LIST_SEPARATORS.split(text) if item]


def _dated(form: EventForm, name: str) -> str | None:
    """The date of field ``name`` to the precision the form asks for (``2025-02-17`` at
    ``month`` is ``2025-02``); a coarser date than asked is an error at ``precision``."""
    text = form.value(name)
    if not text:
        return None
    if not form.precision or "T" in text:
        return text
    digits = _DIGITS[form.precision]
    if len(text) < digits and re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        form.add_error("precision", f"{name} gives no {form.precision}: write it in full")
        return text
    return text[:digits] if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) else text


def body_of(form: EventForm, *, patch: bool = False) -> dict[str, Any]:
    """Return the API's event body of ``form`` (see
    :class:`timeline.events.schemas.EventInput`): titles and descriptions by language,
    ``language`` the original, dates at the form's precision, lists split at commas
    (``,``, ``，``, ``、``, ``;``) or lines. With ``patch``, an RFC 7396 merge patch: an
    emptied field is ``null`` (removed), so that what the form does not show stays."""
    body: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if value:
            body[name] = value
        elif patch:
            body[name] = None

    titles = {tag: form.value(f"title_{tag}") for tag in FORM_LANGUAGES}
    descriptions = {tag: form.value(f"description_{tag}") for tag in FORM_LANGUAGES}
    if patch:
        body["title"] = {tag: text or None for tag, text in titles.items()}
        body["description"] = {tag: text or None for tag, text in descriptions.items()}
    else:
        body["title"] = {tag: text for tag, text in titles.items() if text}
        put("description", {tag: text for tag, text in descriptions.items() if text})
    body["language"] = form.language
    put("start", _dated(form, "start"))
    put("end", _dated(form, "end"))
    put("timezone", form.value("timezone"))
    body["approximate"] = form.approximate
    body["tags"] = _items(form.value("tags"))
    body["organizations"] = _items(form.value("organizations"))
    put("location", form.value("location"))
    put("url", form.value("url"))
    source = {
        "name": form.value("source_name"),
        "published": form.value("source_published"),
        "locator": form.value("source_locator"),
        "when": form.value("source_when"),
    }
    if patch:
        body["source"] = {k: (v or None) for k, v in source.items()}
    elif any(source.values()):
        body["source"] = {k: v for k, v in source.items() if v}
    return body


def field_of(pointer: str) -> str:
    """The form field that an API error's JSON pointer names (``/title/zh`` is
    ``title_zh``, ``/tags/2`` is ``tags``, ``/source/published`` is
    ``source_published``), or ``""`` when the form has none."""
    parts = pointer.split("/")[1:]
    if not parts:
        return ""
    head = parts[0]
    if head in ("title", "description", "titles", "descriptions"):
        kind = head.rstrip("s")
        tag = parts[1] if len(parts) > 1 else ""
        return f"{kind}_{tag}" if tag in FORM_LANGUAGES else f"{kind}_{FORM_LANGUAGES[0]}"
    if head == "source" and len(parts) > 1:
        name = f"source_{parts[1]}"
        return name if name in TEXT_FIELDS else ""
    if head in ("when", "reference", "all_day"):
        return "start"
    if head in (*TEXT_FIELDS, "language", "approximate", "precision"):
        return head
    return ""


def put_errors(form: EventForm, errors: list[dict[str, str]]) -> None:
    """Put each API error (``{"pointer", "detail"}``) next to its field in ``form``."""
    for error in errors:
        form.add_error(field_of(error.get("pointer", "")), error["detail"])


def form_of_event(event: Event) -> EventForm:
    """The form's values for the stored ``event``: its texts by language, dates as the
    API writes them (``2025-01`` for a month), lists joined by ``, ``."""
    content = content_fields(event_data(event))
    values = {f"title_{t}": v for t, v in content["titles"].items() if t in FORM_LANGUAGES}
    values |= {
        f"description_{t}": v for t, v in content["descriptions"].items() if t in FORM_LANGUAGES
    }
    source = content["source"] or {}
    values |= {
        "start": content["start"] or "",
        "end": content["end"] or "",
        "timezone": content["timezone"] or "",
        "organizations": ", ".join(content["organizations"]),
        "tags": ", ".join(content["tags"]),
        "location": content["location"] or "",
        "url": content["url"] or "",
        "source_name": source.get("name") or "",
        "source_published": source.get("published") or "",
        "source_locator": source.get("locator") or "",
        "source_when": source.get("when") or "",
    }
    precision = content["precision"] if content["precision"] in PRECISIONS else ""
    language = content["language"] if content["language"] in FORM_LANGUAGES else "en"
    return EventForm(values, content["approximate"], language, precision)
