"""``timeline extract``: propose the dated events of one article or many, for review."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app

from timeline.extract import known as known_dates
from timeline.extract.drafts import draft_toml, extraction_json, extraction_toml, many_json
from timeline.extract.model import Candidate, Extraction
from timeline.extract.names import Gazetteer
from timeline.extract.pipeline import (
    LANGS,
    Article,
    ExtractError,
    NoPublicationDateError,
    combine,
    extract,
)
from timeline.extract.store import mark_existing, store_gazetteer
from timeline.http import db
from timeline.http.db import with_store
from timeline.store.timelines import SLUG


def known_from_config() -> tuple[known_dates.KnownDate, ...]:
    """The built-in known dates and those of the files of the ``KNOWN_DATES`` setting.
    Raises KnownDatesError for a file that cannot be read."""
    extra = [Path(p) for p in current_app.config.get("KNOWN_DATES", [])]
    return known_dates.load([known_dates.BUILT_IN, *extra])


def _read(file: str) -> str:
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file} is not UTF-8 text (byte {error.start})") from None


def _files(given: tuple[str, ...]) -> list[str]:
    """The files named, a folder standing for its ``*.txt`` files in name order."""
    files: list[str] = []
    for name in given:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(str(p) for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise click.ClickException(f"{name}: no .txt file in this folder")
            files += found
        else:
            files.append(name)
    return files


def _progress(files: list[str]) -> Iterator[str]:
    """The files, with a progress bar on a terminal when there are several."""
    if len(files) > 1 and sys.stderr.isatty():
        with click.progressbar(files, label="extracting", file=sys.stderr) as bar:
            yield from bar
    else:
        yield from files


@click.command("extract")
@click.argument("files", nargs=-1, required=True, metavar="FILE [FILE ...]")
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The articles' publication date (YYYY-MM-DD); default: each article's own.",
)
@click.option("--lang", type=click.Choice(LANGS), default="auto", show_default=True)
@click.option(
    "--format", "form", type=click.Choice(["toml", "json"]), default="toml", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-")
@click.option(
    "--timeline",
    metavar="SLUG",
    help="The timeline the draft's events are for (its `timeline` key; default: the "
    "default timeline).",
)
@with_store
def extract_command(
    files: tuple[str, ...],
    published: dt.datetime | None,
    lang: str,
    form: str,
    output: str,
    timeline: str | None,
) -> None:
    """Propose the dated events of articles, for review.

    FILES are plain UTF-8 texts (- for stdin) or folders of them (their *.txt files). Each
    candidate has the date as written with its offsets, the normalized date, the clause
    reporting it, a proposed title, the organizations of the store acting in it, its
    language, a confidence and its reason. With several articles, candidates reporting
    the same event are merged (every source named) and ranked by how much the articles
    make of them; one already in the store names that event instead. --format toml
    writes a seed file whose entries are review = "pending" until accepted; nothing is
    stored. --timeline SLUG names the timeline the draft is for (`timeline seed` puts
    its events there)."""
    if timeline is not None and not SLUG.fullmatch(timeline):
        raise click.BadParameter(f"{timeline!r} is no slug", param_hint="--timeline")
    names = store_gazetteer(db.get_session())
    try:
        known = known_from_config()
    except known_dates.KnownDatesError as error:
        raise click.ClickException(str(error)) from None
    paths = _files(files)
    extractions = []
    for file in _progress(paths):
        article = Article(
            _read(file),
            "stdin" if file == "-" else Path(file).name,
            published.date() if published else None,
        )
        try:
            extractions.append(
                extract(
                    article.text,
                    published=article.published,
                    lang=lang,  # type: ignore[arg-type]
                    names=names,
                    known=known,
                    source=article.source,
                )
            )
        except NoPublicationDateError:
            raise click.ClickException(
                f"{file}: no dateline found; give the publication date with --published YYYY-MM-DD"
            ) from None
        except ExtractError as error:
            raise click.ClickException(f"{file}: {error}") from None
    candidates = combine(extractions)
    mark_existing(db.get_session(), candidates)
    body = _body(extractions, candidates, names, form, timeline)
    if output == "-":
        click.echo(body, nl=False)
    else:
        try:
            Path(output).write_text(body, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    left_out = sum(len(e.skipped) for e in extractions)
    click.echo(f"{len(candidates)} candidates, {left_out} left out", err=True)


def _body(
    extractions: list[Extraction],
    candidates: list[Candidate],
    names: Gazetteer,
    form: str,
    timeline: str | None = None,
) -> str:
    if len(extractions) == 1:
        result = extractions[0]
        if form == "json":
            return json.dumps(extraction_json(result), ensure_ascii=False, indent=2) + "\n"
        return extraction_toml(result, names, file=result.source, timeline=timeline)
    if form == "json":
        return json.dumps(many_json(extractions, candidates), ensure_ascii=False, indent=2) + "\n"
    sources = ", ".join(e.source for e in extractions)
    file = f"{len(extractions)} articles ({sources})"
    return draft_toml(candidates, names, file=file, timeline=timeline)
