"""Draft timelines: the candidates of :mod:`timeline.io.extract` as JSON, or as a seed file
(``seeds/*.toml``) whose entries wait for review, and the ``timeline extract`` command."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from timeline.http import db
from timeline.http.db import with_store
from timeline.io.extract import Candidate, ExtractError, Extraction, NoPublicationDateError, extract
from timeline.io.gazetteer import Gazetteer, store_gazetteer

#: Candidate fields written to a seed file beside the seed keys, for the editor.
_REVIEW_KEYS = ("confidence", "reason", "unresolved", "evidence")


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """Return ``candidate`` as the API and ``--format json`` write it (every field of
    :class:`timeline.io.extract.Candidate` but the internal ones)."""
    return {
        "id": candidate.id,
        "when": candidate.when,
        "when_offsets": [candidate.when_start, candidate.when_end],
        "start": candidate.start,
        "end": candidate.end,
        "precision": candidate.precision,
        "approximate": candidate.approximate,
        "date_note": candidate.date_note,
        "unresolved": candidate.unresolved,
        "title": candidate.title,
        "evidence": candidate.evidence,
        "evidence_offsets": [candidate.evidence_start, candidate.evidence_end],
        "organizations": candidate.organizations,
        "places": candidate.places,
        "locator": candidate.locator,
        "confidence": candidate.confidence,
        "reason": candidate.reason,
    }


def extraction_json(result: Extraction) -> dict[str, Any]:
    """Return the whole extraction as JSON-ready values: ``published`` (YYYY-MM-DD) and
    where it came from, ``lang``, ``candidates`` (each with ``language``, the article's,
    which its title is in) and ``skipped`` (``when``, ``when_offsets``, ``reason``)."""
    return {
        "published": result.published.isoformat(),
        "published_from": result.published_from,
        "lang": result.lang,
        "candidates": [candidate_json(c) | {"language": result.lang} for c in result.candidates],
        "skipped": [
            {"when": s.when, "when_offsets": [s.when_start, s.when_end], "reason": s.reason}
            for s in result.skipped
        ],
    }


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


def extraction_toml(result: Extraction, gazetteer: Gazetteer, *, file: str) -> str:
    """Return the extraction as a seed file (the keys of ``seeds/article-2025-02.toml``),
    each event with its ``language`` (the article's) and ``review = "pending"`` for
    :func:`timeline.io.seeds.read_seed_file` to refuse until an editor sets it to
    ``"accepted"``; the organizations named are
    defined with their aliases, and the expressions left out are listed as comments.
    ``file`` names the article in ``[source]``."""
    lines = [
        f"# Draft timeline proposed by `timeline extract` from {file}.",
        '# Review each [[event]]: correct it, then set review = "accepted" (or delete it);',
        "# `timeline seed` refuses entries still pending. Offsets are character indices",
        "# into the article; `evidence` is the clause that reports the event.",
        "",
        "[source]",
        f"name = {_value(file)}",
        f'published = "{result.published.isoformat()}"',
        f"reference = {result.published.isoformat()}",
        f"file = {_value(file)}",
    ]
    named = dict.fromkeys(o for c in result.candidates for o in c.organizations)
    for name in named:
        lines += ["", "[[organization]]", f"name = {_value(name)}"]
        lines.append(f"aliases = {_value(gazetteer.aliases(name))}")
    for candidate in result.candidates:
        lines += ["", "[[event]]", f"id = {_value(candidate.id)}", 'review = "pending"']
        # The language of the title and description (the article's): timeline seed keeps it.
        lines.append(f"language = {_value(result.lang)}")
        fields: dict[str, Any] = {
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
        }
        fields |= {key: getattr(candidate, key) for key in _REVIEW_KEYS if key != "evidence"}
        lines += [f"{key} = {_value(v)}" for key, v in fields.items() if v is not None]
    if result.skipped:
        lines += ["", "# Date expressions left out:"]
        lines += [_comment(f"{s.when!r} at {s.when_start}: {s.reason}") for s in result.skipped]
    return "\n".join(lines) + "\n"


def _read(file: str) -> str:
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file} is not UTF-8 text (byte {error.start})") from None


@click.command("extract")
@click.argument("file")
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The article's publication date (YYYY-MM-DD); default: its dateline.",
)
@click.option("--lang", type=click.Choice(["zh", "en", "auto"]), default="auto", show_default=True)
@click.option(
    "--format", "form", type=click.Choice(["toml", "json"]), default="toml", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-")
@with_store
def extract_command(
    file: str, published: dt.datetime | None, lang: str, form: str, output: str
) -> None:
    """Propose the dated events of an article, for review.

    FILE is plain UTF-8 text (- for stdin). Each candidate has the date as written with
    its offsets, the normalized date, the clause reporting it, a proposed title, the
    organizations of the store it names, a confidence and its reason. --format toml writes
    a seed file whose entries are review = "pending" until accepted; nothing is stored."""
    text = _read(file)
    gazetteer = store_gazetteer(db.get_session())
    try:
        result = extract(
            text,
            published=published.date() if published else None,
            lang=lang,  # type: ignore[arg-type]
            gazetteer=gazetteer,
        )
    except NoPublicationDateError:
        raise click.ClickException(
            f"{file}: no dateline found; give the publication date with --published YYYY-MM-DD"
        ) from None
    except ExtractError as error:
        raise click.ClickException(f"{file}: {error}") from None
    name = "stdin" if file == "-" else Path(file).name
    if form == "json":
        body = json.dumps(extraction_json(result), ensure_ascii=False, indent=2) + "\n"
    else:
        body = extraction_toml(result, gazetteer, file=name)
    if output == "-":
        click.echo(body, nl=False)
    else:
        try:
            Path(output).write_text(body, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"{len(result.candidates)} candidates, {len(result.skipped)} left out", err=True)
