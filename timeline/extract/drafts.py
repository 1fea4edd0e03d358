"""Draft timelines: extraction's candidates as JSON (the API's and ``--format json``), or as
a seed file (``seeds/*.toml``) whose entries wait for review."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from timeline.extract.model import Candidate, Extraction
from timeline.extract.names import Gazetteer

#: Candidate fields written to a seed file beside the seed keys, for the editor.
_REVIEW_KEYS = ("confidence", "reason", "evidence")


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """Return ``candidate`` as the API and ``--format json`` write it (every field of
    :class:`timeline.extract.model.Candidate` but the internal ones)."""
    return {
        "id": candidate.id,
        "existing": candidate.existing,
        "language": candidate.language,
        "when": candidate.when,
        "when_offsets": [candidate.when_start, candidate.when_end],
        "start": candidate.start,
        "end": candidate.end,
        "precision": candidate.precision,
        "approximate": candidate.approximate,
        "date_note": candidate.date_note,
        "title": candidate.title,
        "evidence": candidate.evidence,
        "evidence_offsets": [candidate.evidence_start, candidate.evidence_end],
        "organizations": candidate.organizations,
        "places": candidate.places,
        "locator": candidate.locator,
        "mentions": [list(m) for m in candidate.mentions],
        "sources": candidate.sources,
        "weight": candidate.weight,
        "confidence": candidate.confidence,
        "reason": candidate.reason,
    }


def extraction_json(result: Extraction) -> dict[str, Any]:
    """Return the whole extraction as JSON-ready values: ``published`` (YYYY-MM-DD) and
    where it came from, ``lang`` (zh or en) and ``language`` (BCP 47: zh, zh-Hant, en),
    ``candidates`` and ``skipped`` (``when``, ``when_offsets``, ``reason``)."""
    return {
        "source": result.source,
        "published": result.published.isoformat(),
        "published_from": result.published_from,
        "lang": result.lang,
        "language": result.language,
        "candidates": [candidate_json(c) for c in result.candidates],
        "skipped": [
            {"when": s.when, "when_offsets": [s.when_start, s.when_end], "reason": s.reason}
            for s in result.skipped
        ],
    }


def many_json(extractions: Sequence[Extraction], candidates: Sequence[Candidate]) -> dict[str, Any]:
    """Return several articles' extraction as JSON-ready values: ``articles``, each as
    :func:`extraction_json` without its candidates, and the merged, ranked
    ``candidates``."""
    articles = []
    for extraction in extractions:
        article = extraction_json(extraction)
        del article["candidates"]
        articles.append(article)
    return {"articles": articles, "candidates": [candidate_json(c) for c in candidates]}


def _value(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML's basic-string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def extraction_toml(
    result: Extraction, gazetteer: Gazetteer, *, file: str, timeline: str | None = None
) -> str:
    """Return one article's extraction as a seed file (the keys of
    ``seeds/article-2025-02.toml``), each event with ``review = "pending"`` for
    :func:`timeline.io.seeds.read_seed_file` to refuse until an editor sets it to
    ``"accepted"``; the organizations named are defined with their aliases, the
    candidates that are already in the store and the expressions left out are listed as
    comments. ``file`` names the article in ``[source]``; ``timeline``, the slug of the
    timeline its events are for (the file's ``timeline`` key; None: the default one)."""
    return draft_toml(
        result.candidates,
        gazetteer,
        file=file,
        timeline=timeline,
        published=result.published.isoformat(),
        skipped=[(s.when, s.when_start, s.reason) for s in result.skipped],
    )


def draft_toml(
    candidates: Sequence[Candidate],
    gazetteer: Gazetteer,
    *,
    file: str,
    published: str | None = None,
    skipped: Sequence[tuple[str, int, str]] = (),
    timeline: str | None = None,
) -> str:
    """Return ``candidates`` (of one article or merged from several) as a seed file; see
    :func:`extraction_toml`. ``published`` is the article's date when there is one
    article; each event names its sources in ``source_name`` when there are several."""
    lines = [
        f"# Draft timeline proposed by `timeline extract` from {file}.",
        '# Review each [[event]]: correct it, then set review = "accepted" (or delete it);',
        "# `timeline seed` refuses entries still pending. Offsets are character indices",
        "# into the article; `evidence` is the clause that reports the event.",
        "",
        *([f"timeline = {_value(timeline)}", ""] if timeline is not None else []),
        "[source]",
        f"name = {_value(file)}",
        f"file = {_value(file)}",
    ]
    if published is not None:
        lines[-1:-1] = [f'published = "{published}"', f"reference = {published}"]
    fresh = [c for c in candidates if c.existing is None]
    named = dict.fromkeys(o for c in fresh for o in c.organizations)
    for name in named:
        lines += ["", "[[organization]]", f"name = {_value(name)}"]
        lines.append(f"aliases = {_value(gazetteer.aliases(name))}")
    for candidate in fresh:
        lines += ["", "[[event]]", f"id = {_value(candidate.id)}", 'review = "pending"']
        fields: dict[str, Any] = {
            "language": candidate.language,
            "when": candidate.when,
            "date": candidate.start,
            "end": candidate.end,
            "precision": candidate.precision,
            "approximate": candidate.approximate,
            "date_note": candidate.date_note,
            "title": candidate.title,
            "description": candidate.evidence,
            "organizations": candidate.organizations,
            "location": ", ".join(candidate.places) or None,
            "locator": candidate.locator,
            "when_offsets": [candidate.when_start, candidate.when_end],
            "evidence_offsets": [candidate.evidence_start, candidate.evidence_end],
            "sources": candidate.sources if len(candidate.sources) > 1 else None,
        }
        fields |= {key: getattr(candidate, key) for key in _REVIEW_KEYS if key != "evidence"}
        lines += [f"{key} = {_value(v)}" for key, v in fields.items() if v is not None]
    known = [c for c in candidates if c.existing is not None]
    if known:
        lines += ["", "# Already in the store:"]
        lines += [
            _comment(f"{c.when!r} at {c.when_start}: {c.title} is {c.existing}") for c in known
        ]
    if skipped:
        lines += ["", "# Date expressions left out:"]
        lines += [_comment(f"{when!r} at {start}: {reason}") for when, start, reason in skipped]
    return "\n".join(lines) + "\n"
