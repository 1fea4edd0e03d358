"""The API's event input: a JSON body validated into EventData (every error with its
JSON pointer), merge patches over stored events, and generated ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy import orm

from timeline.dates.recurrence import check_recurrence
from timeline.dates.spans import id_date, resolve_span
from timeline.events import schemas
from timeline.events.fields import TEXT_FORMS
from timeline.events.output import content_fields
from timeline.events.problems import ProblemError, listing
from timeline.store.engine import PLANNED_EACH_TIME
from timeline.store.languages import LanguageTagError, canonical_tag, script_language
from timeline.store.models import Event
from timeline.store.values import EventData, Translation, slugify
from timeline.store.writes import event_data

#: Output fields a client cannot set: sent back, they are refused as unknown (400).
READ_ONLY = frozenset(
    {"precision", "created", "updated", "sequence", "links", "deleted", "occurrences"}
)
_DATE_FIELDS = ("start", "end", "when", "reference", "all_day", "timezone")
_MESSAGES = {
    "missing": "required",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "model_attributes_type": "must be an object",
    "string_unicode": "must be valid Unicode (a lone surrogate such as \\ud800 is not)",
    # The only pattern is the event id's (timeline.events.fields.EVENT_ID).
    "string_pattern_mismatch": "must be 1 to 100 lowercase ASCII letters, digits or '-', "
    "starting with a letter or digit",
}


def pointer(*parts: str | int) -> str:
    """Return the RFC 6901 JSON pointer of a path (``~`` and ``/`` escaped); characters
    that cannot be encoded (lone surrogates) are shown as ``\\udXXX`` escapes."""
    text = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_TEXT_FIELDS = ("title", "description")
#: What :func:`timeline.dates.recurrence.check_recurrence` reads of a body (plain
#: values: no dump of the whole model needed).
_RECURRENCE_FIELDS = ("status", "rrule", "rdate", "exdate", "recurrence_of", "recurrence_id")


def _location(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The path of an error in the body: without the union tag of a text given as a
    string or by language, nor pydantic's ``[key]`` after a bad language tag."""
    if len(loc) > 1 and loc[0] in _TEXT_FIELDS and loc[1] in TEXT_FORMS:
        loc = (loc[0], *loc[2:])
    if len(loc) > 2 and loc[0] == "organizations" and loc[2] in TEXT_FORMS:
        loc = (*loc[:2], *loc[3:])
    return loc[:-1] if loc and loc[-1] == "[key]" else loc


def _field_errors(error: ValidationError) -> tuple[list[dict[str, str]], bool]:
    items: list[dict[str, str]] = []
    unknown = False
    for item in error.errors(include_url=False, include_input=False):
        detail = _MESSAGES.get(item["type"], item["msg"])
        if item["type"] == "extra_forbidden":
            unknown = True
            name = item["loc"][-1]
            detail = "read-only field: leave it out" if name in READ_ONLY else "unknown field"
        loc = _location(item["loc"])
        if len(loc) == 1 and loc[0] in _TEXT_FIELDS:
            if item["type"] == "string_type":
                detail = "must be a string, or an object of strings by language tag"
            elif item["type"] == "too_short" and item["loc"][1] == "languages":
                detail = "give the text in at least one language"
        items.append({"pointer": pointer(*loc), "detail": detail})
    return items, unknown


def invalid(errors: list[dict[str, str]], *, unknown: bool = False) -> ProblemError:
    """Return the problem of a body with ``errors`` (each ``{"pointer", "detail"}``):
    400 when it has unknown fields, else 422. At most
    :data:`timeline.events.problems.MAX_ERRORS` are listed."""
    return listing(
        400 if unknown else 422,
        errors,
        title="Unknown fields" if unknown else "Invalid event",
        describe=lambda e: f"{e['pointer'] or '(body)'}: {e['detail']}",
    )


def _unknown_fields(
    model: type[BaseModel], body: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Split ``body`` into the members ``model`` knows and errors naming the others
    (pydantic cannot name a member whose name is a lone surrogate)."""
    names = model.model_fields  # looked up once: pydantic's class property is slow
    known = {k: v for k, v in body.items() if k in names}
    errors = [
        {
            "pointer": pointer(name),
            "detail": "read-only field: leave it out" if name in READ_ONLY else "unknown field",
        }
        for name in body
        if name not in names
    ]
    return known, errors


def validate(model: type[BaseModel], body: Any) -> BaseModel:
    """Validate a JSON body against ``model``; raise ProblemError (422 with pointer ""
    when it is not an object, 400 with unknown fields, else 422) listing every error."""
    if not isinstance(body, dict):
        raise invalid([{"pointer": "", "detail": "the body must be a JSON object"}])
    known, errors = _unknown_fields(model, body)
    try:
        result = model.model_validate(known)
    except ValidationError as error:
        more, unknown = _field_errors(error)
        raise invalid(errors + more, unknown=unknown or bool(errors)) from None
    if errors:
        raise invalid(errors, unknown=True)
    return result


def _organizations(
    given: list[str | dict[str, str]], default_language: str
) -> tuple[list[str], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """The organizations' names as EventData has them: one name each (of a name given
    by language, the one in the configured language, else the first), and the names by
    language given."""
    organizations, names = [], []
    default = canonical_tag(default_language)
    for item in given:
        if isinstance(item, str):
            organizations.append(item)
            continue
        chosen = item.get(default, next(iter(item.values())))
        organizations.append(chosen)
        names.append((chosen, tuple(sorted(item.items()))))
    return organizations, names


def _duplicates(name: str, values: list[str]) -> list[dict[str, str]]:
    seen: dict[str, int] = {}
    errors = []
    for index, value in enumerate(values):
        first = seen.setdefault(slugify(value), index)
        if first != index:
            detail = f"the same as {pointer(name, first)} once normalized"
            errors.append({"pointer": pointer(name, index), "detail": detail})
    return errors


def _same_tags(name: str, raw: Any) -> list[dict[str, str]]:
    """Errors for keys of a text object that name the same language once in canonical
    case (``zh`` and ``ZH``), which validation would silently merge."""
    if not isinstance(raw, dict):
        return []
    seen: dict[str, str] = {}
    errors = []
    for key in raw:
        try:
            tag = canonical_tag(key)
        except LanguageTagError:
            continue
        if tag in seen:
            detail = f"the same language as {pointer(name, seen[tag])}"
            errors.append({"pointer": pointer(name, key), "detail": detail})
        seen.setdefault(tag, key)
    return errors


def _copy_of(
    name: str, value: str | dict[str, str], texts: dict[str, str], *empty: str
) -> list[dict[str, str]]:
    """Errors unless ``value`` (a ``title`` beside ``titles``) is one of ``texts``, or
    all of them, or one of ``empty``, as the API answers it."""
    if value == texts or value in (*texts.values(), *empty):
        return []
    return [{"pointer": pointer(name), "detail": f"must be one of the texts of /{name}s"}]


def _language_of(model: schemas.EventInput, default_language: str, notes: list[str]) -> str:
    """The original language of a plain-string title: ``language``, else the one its
    script tells (:func:`timeline.store.languages.script_language`), else the configured
    one, which ``notes`` then says."""
    if model.language is not None:
        return model.language
    description = model.description if isinstance(model.description, str) else ""
    assert isinstance(model.title, str)
    found = script_language(f"{model.title}\n{description}")
    if found is not None:
        return found
    default = canonical_tag(default_language)
    notes.append(
        f"language: the script of the title does not tell its language; taken as "
        f"{default}, the configured LANGUAGE (give language to say which it is)"
    )
    return default


def _texts(
    model: schemas.EventInput, default_language: str, notes: list[str]
) -> tuple[tuple[str, str, str, tuple[Translation, ...]], list[dict[str, str]]]:
    """The original language, title and description, and the translations of a valid
    EventInput; errors for a ``language`` without a title and descriptions in
    languages that have none."""
    errors: list[dict[str, str]] = []
    if model.titles is not None:
        errors += _copy_of("title", model.title, model.titles)
        model = model.model_copy(update={"title": model.titles})
    if model.descriptions is not None:
        errors += _copy_of("description", model.description, model.descriptions, "")
        model = model.model_copy(update={"description": model.descriptions})
    if isinstance(model.title, str):
        language = _language_of(model, default_language, notes)
        titles = {language: model.title}
    else:
        titles = dict(model.title)
        language = model.language or next(iter(titles))
    if language not in titles:
        errors.append({"pointer": "/language", "detail": f"the title has no text in {language}"})
    if isinstance(model.description, str):
        descriptions = {language: model.description}
    else:
        descriptions = dict(model.description)
        for tag in descriptions:
            if tag not in titles:
                detail = f"no title in {tag}: give /title/{tag} too"
                errors.append({"pointer": pointer("description", tag), "detail": detail})
    translations = tuple(
        Translation(tag, titles[tag], descriptions.get(tag, ""))
        for tag in sorted(titles)
        if tag != language
    )
    original = (language, titles.get(language, ""), descriptions.get(language, ""))
    return (*original, translations), errors


def parse_event(
    body: Any, *, today: dt.date, language: str = "en", notes: list[str] | None = None
) -> EventData:
    """Validate an event body (see :class:`timeline.events.schemas.EventInput`) into EventData.

    Dates resolve as :func:`timeline.dates.spans.resolve_span` says (``today``, a UTC
    date, is what ``reference: "today"`` means). ``id`` is ``""`` when the body has
    none (see :func:`assign_id`). ``title`` and ``description`` are strings in the
    body's ``language`` or, without one, in the language their script tells (Han:
    ``zh``, Latin: ``en``), or when unsure in ``language`` (the configured LANGUAGE, a
    BCP 47 tag), which is then said in ``notes``; or objects by language tag (pointers
    such as ``/title/zh``). Raises
    ProblemError (400 for unknown fields, 422 otherwise) listing every error found,
    each with a JSON pointer; nothing is stored.
    """
    if not isinstance(body, dict):
        raise invalid([{"pointer": "", "detail": "the body must be a JSON object"}])
    model: schemas.EventInput | None = None
    body, errors = _unknown_fields(schemas.EventInput, body)
    unknown = bool(errors)
    try:
        model = schemas.EventInput.model_validate(body)
    except ValidationError as error:
        more, nested_unknown = _field_errors(error)
        errors += more
        unknown = unknown or nested_unknown
    bad = {e["pointer"].split("/")[1] for e in errors if e["pointer"]}
    span, date_errors = resolve_span(
        {name: body.get(name) for name in _DATE_FIELDS if name not in bad}, bad, today
    )
    errors += [{"pointer": pointer(name), "detail": detail} for name, detail in date_errors]
    organizations: list[str] = []
    names: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    if model is not None:
        organizations, names = _organizations(model.organizations, language)
        errors += _duplicates("tags", model.tags) + _duplicates("organizations", organizations)
    for name in _TEXT_FIELDS:
        errors += _same_tags(name, body.get(name))
    texts = None
    if model is not None:
        texts, text_errors = _texts(model, language, [] if notes is None else notes)
        errors += text_errors
    if model is not None and span is not None:
        errors += [
            {"pointer": where, "detail": detail}
            for where, detail in check_recurrence(
                {name: getattr(model, name) for name in _RECURRENCE_FIELDS},
                span.start,
                span.all_day,
            )
        ]
    if errors or model is None or span is None or texts is None:
        raise invalid(errors, unknown=unknown)
    original, title, description, translations = texts
    source = model.source or schemas.SourceInput()
    return EventData(
        id=model.id or "",
        title=title,
        start=span.start,
        end=span.end,
        all_day=span.all_day,
        precision=span.precision,
        # A vague when (上周, early March) makes the date approximate whatever the body says.
        approximate=model.approximate or span.approximate,
        description=description,
        timezone=model.timezone,
        location=model.location,
        url=model.url,
        tags=tuple(model.tags),
        organizations=tuple(organizations),
        organization_names=tuple(names),
        # An empty name or locator says nothing: kept as absent, so that every output
        # (and an ICS export read back) agrees that there is no source.
        source_name=source.name or None,
        source_published=source.published,
        source_locator=source.locator or None,
        language=original,
        translations=translations,
        when=source.when or model.when,
        status=model.status,
        rrule=model.rrule,
        rdate=tuple(model.rdate),
        exdate=tuple(model.exdate),
        recurrence_of=model.recurrence_of,
        recurrence_id=model.recurrence_id,
    )


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396): objects merge member by member, ``null``
    removes a member, anything else replaces the target."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patched_body(event: Event, patch: Mapping[str, Any]) -> dict[str, Any]:
    """Return the event body that ``patch`` (already a valid EventPatch) makes of the
    stored ``event``: its content in input form, without ``all_day`` (the form of
    ``start`` says it), merged with the patch; ``when`` replaces ``start`` and ``end``.
    Raises ProblemError (422) when the patch changes the id."""
    if patch.get("id") not in (None, event.id):
        raise invalid([{"pointer": "/id", "detail": "the id of an event cannot change"}])
    content = content_fields(event_data(event))
    base = {k: v for k, v in content.items() if v is not None and k not in READ_ONLY}
    del base["all_day"]
    # The texts by language when there are several, so that a patch of one language
    # keeps the others.
    titles, descriptions = base.pop("titles"), base.pop("descriptions")
    if len(titles) > 1 or isinstance(patch.get("title"), dict):
        base["title"] = titles
    if len(titles) > 1 or isinstance(patch.get("description"), dict):
        base["description"] = descriptions
    for one in ("title", "description"):
        if patch.get(one + "s") is not None and one not in patch:
            base[one] = patch[one + "s"]  # the new texts by language replace the old
    if patch.get("when") is not None or patch.get("start") is not None:
        # A new date: the source's words for the old one no longer say it.
        if isinstance(base.get("source"), dict) and "when" not in (patch.get("source") or {}):
            base["source"].pop("when", None)
    if isinstance(base.get("source"), dict):
        base["source"] = {k: v for k, v in base["source"].items() if v is not None}
    if patch.get("when") is not None:
        base.pop("start", None)
        base.pop("end", None)
    merged: dict[str, Any] = merge_patch(base, patch)
    merged["id"] = event.id
    return merged


_ASCII_WORDS = re.compile(r"[^a-z0-9]+")


def assign_id(
    session: orm.Session, data: EventData, taken: Collection[str] | None = None
) -> EventData:
    """Return ``data`` with its id set, if empty, to ``<start date>-<ASCII slug of the
    title>`` (``event`` when the title has no ASCII letters or digits), at most 90
    characters, with ``-2``, ``-3``... when the id is taken (by deleted events too).
    ``taken``: which of the first candidates (:func:`id_candidates`) the caller found
    taken in this transaction (:data:`TAKEN_IDS`), not looked up again."""
    if data.id:
        return data
    base = _id_base(data)
    # Point lookups on the primary key, a batch at a time: a prefix match (LIKE) would
    # scan the index on SQLite and on PostgreSQL outside the C collation.
    first = 1
    while True:
        batch = _candidates(base, first)
        if first > 1 or taken is None:
            values = _parameters(batch)
            taken = set(session.scalars(TAKEN_IDS, values, execution_options=PLANNED_EACH_TIME))
        for candidate in batch:
            if candidate not in taken:
                return dataclasses.replace(data, id=candidate)
        first += _ID_BATCH


def id_candidates(data: EventData) -> dict[str, str]:
    """Return the parameters of :data:`TAKEN_IDS` for the first ids that
    :func:`assign_id` would try for ``data`` (none when ``data`` has an id)."""
    return {} if data.id else _parameters(_candidates(_id_base(data), 1))


_ID_BATCH = 16

#: Which of a batch of candidate ids (the parameters ``id0`` to ``id15``) are taken:
#: one query with a fixed number of parameters, built and compiled once (an expanding
#: IN would be rendered again for each request), planned each time it runs
#: (:data:`timeline.store.engine.PLANNED_EACH_TIME`: a plan kept from when ``events``
#: was small would scan the whole table).
TAKEN_IDS = sa.select(Event.id).where(
    Event.id.in_([sa.bindparam(f"id{n}", type_=Event.id.type) for n in range(_ID_BATCH)])
)

#: The names of :data:`TAKEN_IDS`'s parameters, in the order of the candidates.
TAKEN_ID_PARAMETERS = tuple(f"id{n}" for n in range(_ID_BATCH))


def _parameters(batch: list[str]) -> dict[str, str]:
    return dict(zip(TAKEN_ID_PARAMETERS, batch, strict=True))


def _id_base(data: EventData) -> str:
    ascii_title = unicodedata.normalize("NFKD", data.title).encode("ascii", "ignore").decode()
    slug = _ASCII_WORDS.sub("-", ascii_title.lower()).strip("-") or "event"
    return f"{id_date(data)}-{slug}"[:90].rstrip("-")


def _candidates(base: str, first: int) -> list[str]:
    return [base if n == 1 else f"{base}-{n}" for n in range(first, first + _ID_BATCH)]


def request_hash(body: Any) -> str:
    """Return a SHA-256 hex digest of a JSON body, independent of spacing and key order."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
