"""What flows through the extraction pipeline: the parts of a page, sentences, date
expressions, dated mentions, and the candidates proposed, each stage adding its part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from timeline.dates.periods import When
from timeline.dates.scan import Found

Role = Literal["body", "heading", "meta", "caption"]
Tense = Literal["past", "future", "present", "planned", "unknown"]

__all__ = [
    "Block",
    "Candidate",
    "Dated",
    "EventRef",
    "Extraction",
    "Found",
    "Mention",
    "Page",
    "Role",
    "Sentence",
    "Skipped",
    "Tense",
]


@dataclass(frozen=True)
class Block:
    """A paragraph of the text read, ``clean[start:end]``, with its role on the page:
    ``body``, ``heading`` (a title or subheading), ``meta`` (a byline, a time stamp, a
    source line) or ``caption`` (a photo's caption or credit)."""

    start: int
    end: int
    role: Role


@dataclass(frozen=True)
class Page:
    """An article's parts: its blocks in order, and the spans of ``clean`` that are
    dispatch heads and source tags (新华社北京2月18日电, 【…讯】, (记者 …), PARIS (Reuters) -,
    (IANS)), which hold no event and never go into a title."""

    blocks: tuple[Block, ...]
    heads: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Sentence:
    """A sentence, ``clean[start:end]``, of the block ``blocks[block]`` (its ``role``)."""

    start: int
    end: int
    block: int
    role: Role


@dataclass(frozen=True)
class EventRef:
    """A date given by reference to an event rather than to a date: its ``noun`` (峰会,
    summit, 就职; None for "the event before"), the ``phase`` named (闭幕, 结束, close), and
    the ``relation`` (当天, 次日, 前一天, 前夕, 期间, 时, 后, ``immediately``, ``few_after``)."""

    noun: str | None
    phase: str | None
    relation: str


@dataclass(frozen=True)
class Mention:
    """A date expression in the text read (``found``'s offsets are into ``clean``), in
    ``sentences[sentence]`` (-1: outside any). ``ref`` is set for a date given by
    reference to an event (峰会闭幕当天, the day after the summit, 第一时间), whose
    ``found`` the scanner did not date."""

    found: Found
    sentence: int
    ref: EventRef | None = None


@dataclass(frozen=True)
class Dated:
    """A mention that reports an event, with its date (``when``; None when it cannot be
    resolved, ``unresolved`` then says why), how a date not given outright was derived
    (``note``), the confidence (0..1) and its reason. ``start``/``end`` widen the
    expression to what the date covers (峰会闭幕当天, not 当天), offsets into ``clean``."""

    mention: Mention
    when: When | None
    start: int
    end: int
    confidence: float
    reason: str
    note: str | None = None
    unresolved: str | None = None


@dataclass
class Candidate:
    """A proposed event. Offsets are Python ``str`` indices into the article as given, end
    exclusive: ``text[when_start:when_end]`` is ``when`` exactly as written (stray spaces
    and line breaks kept), ``text[evidence_start:evidence_end]`` the clause that reports
    the event (``evidence`` is that clause with its layout undone); ``mentions`` lists the
    (start, end) of every expression of the article that reports it (a repeat is merged).

    ``start`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by ``precision`` (``day``,
    ``month``, ``year``), ``end`` the last day (inclusive) of a span of several days, else
    None. ``date_note`` says how a date not given outright was derived. ``language`` is the
    article's (BCP 47: ``zh``, ``zh-Hant``, ``en``), and the title's. ``confidence`` (0..1)
    is how likely this is an event with this date, ``reason`` why. ``sources`` names the
    articles that report it and ``weight`` how much they make of it (see
    :mod:`timeline.extract.merge`); ``existing`` is the id of the store's event it matches,
    if any."""

    id: str
    when: str
    when_start: int
    when_end: int
    start: str
    end: str | None
    precision: Literal["year", "month", "day"]
    approximate: bool
    evidence: str
    evidence_start: int
    evidence_end: int
    title: str
    locator: str
    confidence: float
    reason: str
    language: str
    organizations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    date_note: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    weight: float = 0.0
    existing: str | None = None
    span: When | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Skipped:
    """A date expression that is not proposed: ``text[when_start:when_end]`` and why."""

    when: str
    when_start: int
    when_end: int
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What extraction found in one article: the publication date used (and whether it
    came from the article's own date line), the article's language (BCP 47), candidates in
    the article's order, and the date expressions left out with the reason."""

    published: dt.date
    published_from: Literal["given", "dateline"]
    language: str
    candidates: list[Candidate]
    skipped: list[Skipped]
    source: str = ""

    @property
    def lang(self) -> Literal["zh", "en"]:
        """The language read, without script: ``zh`` or ``en``."""
        return "zh" if self.language.startswith("zh") else "en"
