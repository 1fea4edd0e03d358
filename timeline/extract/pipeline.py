"""Candidate events read from news articles, for an editor to review: the stages of
:mod:`timeline.extract` run in order, one article (:func:`extract`) or many
(:func:`extract_many`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from timeline.dates.periods import DAY, When
from timeline.extract import dates, events, merge, page, resolve, sentences, titles
from timeline.extract.known import KnownDate
from timeline.extract.layout import Text, detect_language, undo_layout
from timeline.extract.model import Candidate, Dated, Extraction, Mention, Page, Sentence, Skipped
from timeline.extract.names import Gazetteer

Lang = Literal["zh", "zh-Hant", "en", "auto"]
LANGS: tuple[str, ...] = ("zh", "zh-Hant", "en", "auto")


class ExtractError(ValueError):
    """Input the extractor cannot read (empty text, an unknown language); the message
    says what to change."""


class NoPublicationDateError(ExtractError):
    """No publication date was given and the article gives none of its own."""


@dataclass(frozen=True)
class Article:
    """One article to read: its ``text``, a name for it (``source``: a file name, a
    URL), and its publication date if known."""

    text: str
    source: str = ""
    published: dt.date | None = None


def extract(
    text: str,
    *,
    published: dt.date | None = None,
    lang: Lang = "auto",
    names: Gazetteer | None = None,
    known: Sequence[KnownDate] = (),
    source: str = "",
) -> Extraction:
    """Propose the dated events of the article ``text`` (plain text, any layout).

    Dates are read against ``published`` (default: the date the article gives itself in
    a dateline or time stamp), relative ones against the dispatch's dateline when it
    has one; references to events resolve against the dates the article gives them, else
    against ``known``, else are left out with the reason. Organizations are those of
    ``names`` that act in the clause. Raises NoPublicationDateError without ``published``
    nor a date of the article's own, ExtractError for blank text or an unknown ``lang``.
    """
    if not text.strip():
        raise ExtractError("the text is empty")
    if lang not in LANGS:
        raise ExtractError(f"unknown language {lang!r}: zh, zh-Hant, en or auto")
    language = detect_language(text) if lang == "auto" else lang
    chinese = language != "en"
    article = undo_layout(text, chinese=chinese)
    parts = page.read_page(article)
    origin: Literal["given", "dateline"] = "given"
    if published is None:
        published = dates.publication_day(article, parts, language=language)
        if published is None:
            raise NoPublicationDateError("the article gives no date of its own")
        origin = "dateline"
    said = sentences.split(article, parts, chinese=chinese)
    mentions, _ = dates.find(article, parts, said, published=published, language=language)
    kept, left_out = events.judge(article, parts, said, mentions, published=published)
    dated = resolve.resolve(article, said, mentions, kept, published=published, known=known)
    skipped = [_skipped(article, mentions[i], reason) for i, reason in left_out]
    clauses = sentences.Clauses(article.clean)
    ids = titles.Ids()
    candidates: list[Candidate] = []
    headings: list[int] = []
    names = names or Gazetteer()
    for item in dated:
        if item.when is None:
            reason = f"not dated: {item.unresolved}"
            skipped.append(_skipped(article, item.mention, reason))
            continue
        if said[item.mention.sentence].role in ("heading", "caption"):
            headings.append(len(candidates))
        candidates.append(_candidate(article, parts, said, item, names, clauses, language, source))
    merged = merge.within(candidates, headings)
    for candidate in merged:
        candidate.id = ids.propose(candidate.start, candidate.organizations, candidate.title)
    skipped.sort(key=lambda s: s.when_start)
    return Extraction(published, origin, language, merged, skipped, source)


def extract_many(
    articles: Iterable[Article],
    *,
    lang: Lang = "auto",
    names: Gazetteer | None = None,
    known: Sequence[KnownDate] = (),
) -> tuple[list[Extraction], list[Candidate]]:
    """Read each of ``articles`` with :func:`extract` (its errors raised as they are),
    then merge the candidates that report the same event across them
    (:func:`timeline.extract.merge.across`). Returns the extractions in order and the
    merged candidates, ranked, each naming its ``sources``."""
    extractions = []
    for article in articles:
        extraction = extract(
            article.text,
            published=article.published,
            lang=lang,
            names=names,
            known=known,
            source=article.source,
        )
        extractions.append(extraction)
    return extractions, combine(extractions)


def combine(extractions: Sequence[Extraction]) -> list[Candidate]:
    """Return the candidates of ``extractions`` (one per article) merged across articles
    and ranked (:func:`timeline.extract.merge.across`), with new ids; one article's
    candidates as they are."""
    if len(extractions) == 1:
        return extractions[0].candidates
    merged = merge.across([e.candidates for e in extractions])
    ids = titles.Ids()
    for candidate in merged:
        candidate.id = ids.propose(candidate.start, candidate.organizations, candidate.title)
    return merged


def _skipped(article: Text, mention: Mention, reason: str) -> Skipped:
    start, end = article.span(mention.found.start, mention.found.end)
    return Skipped(article.original[start:end], start, end, reason)


def _candidate(
    article: Text,
    parts: Page,
    said: list[Sentence],
    item: Dated,
    names: Gazetteer,
    clauses: sentences.Clauses,
    language: str,
    source: str,
) -> Candidate:
    assert item.when is not None
    title, first, last, organizations, places, confidence, reason = titles.describe(
        article, parts, said, item, names, clauses, chinese=language != "en"
    )
    when_start, when_end = article.span(item.start, item.end)
    evidence_start, evidence_end = article.span(first, last)
    start, end, precision = _dates(item.when)
    return Candidate(
        id="",
        when=article.original[when_start:when_end],
        when_start=when_start,
        when_end=when_end,
        start=start,
        end=end,
        precision=precision,
        approximate=item.when.approximate,
        evidence=article.clean[first:last],
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        title=title,
        locator=article.locator(first, last),
        confidence=round(max(0.05, min(confidence, 0.95)), 2),
        reason=reason,
        language=language,
        organizations=organizations,
        places=places,
        date_note=item.note,
        mentions=[(when_start, when_end)],
        sources=[source] if source else [],
        span=item.when,
    )


def _dates(when: When) -> tuple[str, str | None, Literal["year", "month", "day"]]:
    """``start`` (to the precision), the last day of a span longer than one day (month,
    year) or None, and the precision (a moment is its day)."""
    first = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    end = when.end if isinstance(when.end, dt.date) else first + DAY
    if isinstance(end, dt.datetime):
        end = end.date()
    last = end - DAY
    if when.precision == "year":
        several = last.year > first.year
        return str(first.year), last.isoformat() if several else None, "year"
    if when.precision == "month":
        several = (last.year, last.month) > (first.year, first.month)
        return first.isoformat()[:7], last.isoformat() if several else None, "month"
    return first.isoformat(), last.isoformat() if last > first else None, "day"
