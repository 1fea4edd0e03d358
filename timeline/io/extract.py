"""Candidate events read from a news article, for an editor to review: each date
expression that reports an event, normalized against the publication date (or against
the event it refers to), with the clause that reports it, a proposed title, the
organizations and places it names, and a confidence with its reason."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from timeline.dates.periods import When
from timeline.io import mentions as found
from timeline.io.gazetteer import Gazetteer
from timeline.io.resolve import resolve
from timeline.io.sentences import Text, sentences, undo_layout

Lang = Literal["zh", "en", "auto"]
DAY = dt.timedelta(days=1)
TITLE_MAX = 48
_AFTER_DATELINE = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*(?:[-–—]+|电|讯)?\s*")
_REPORTING = re.compile(r"(?:表示|称|说|认为|宣布|指出|said|says)[，,：:]?$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE = re.compile(r"[，,；;：:]")
_LEADING = re.compile(
    r"^(?:本报讯|新华社[^，]{0,12}电|在此之前|此前|此外|另外|同时|不过|但是|然而|值得注意的是|与此同时|其中|随后|并且?|还|又|也|"
    r"据[^，]{1,24}(?:报道|介绍|消息)|Meanwhile|However|Also|And|Then)[，,\s]*",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[，,；;：:、。.\s的了着过称说地]|表示|认为)+$")
_VERB = re.compile(
    r"发布|宣布|推出|表示|称|说|生效|出台|签署|开幕|闭幕|举行|召开|通过|启动|开通|通车|开建|开工|"
    r"完工|竣工|上线|夺得|获得|举办|发表|公布|废止|会见|成立|创建|收购|批准|实施|决定|报道|交付|"
    r"实现|完成|进入|开展|组织|批复|建成|开通|"
    r"announc|launch|releas|said|says|sign|open|held|hold|took effect|unveil|approv|won|complet",
    re.IGNORECASE,
)


class ExtractError(ValueError):
    """Input the extractor cannot read (empty text, an unknown language); the message
    says what to change."""


class NoPublicationDateError(ExtractError):
    """No publication date was given and the article has no dateline."""


@dataclass
class Candidate:
    """A proposed event. Offsets are Python ``str`` indices into the input text, end
    exclusive: ``text[when_start:when_end]`` is ``when`` exactly as written (stray spaces
    and line breaks kept), ``text[evidence_start:evidence_end]`` the clause that reports
    the event (``evidence`` is that clause with its layout undone).

    ``start`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by ``precision`` (``day``,
    ``month``, ``year``), ``end`` the last day (inclusive) of a span of several days, else
    None; all three are None when the date could not be resolved, and ``unresolved`` then
    says why. ``date_note`` says how a date not given outright was derived.
    ``confidence`` (0..1) is how likely this is an event with this date, ``reason`` why."""

    id: str
    when: str
    when_start: int
    when_end: int
    start: str | None
    end: str | None
    precision: str | None
    approximate: bool
    evidence: str
    evidence_start: int
    evidence_end: int
    title: str
    locator: str
    confidence: float
    reason: str
    organizations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    date_note: str | None = None
    unresolved: str | None = None
    span: When | None = field(default=None, repr=False, compare=False)
    kind: str = field(default="date", repr=False, compare=False)
    sentence: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class Skipped:
    """A date expression that is not proposed: ``text[when_start:when_end]`` and why."""

    when: str
    when_start: int
    when_end: int
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` found: the publication date used (and whether it came from
    the dateline), the language read, candidates in the article's order, and the date
    expressions left out with the reason."""

    published: dt.date
    published_from: Literal["given", "dateline"]
    lang: Literal["zh", "en"]
    candidates: list[Candidate]
    skipped: list[Skipped]


def detect_lang(text: str) -> Literal["zh", "en"]:
    """Return ``zh`` when at least a tenth of the text's visible characters are Han."""
    visible = [c for c in text if not c.isspace()]
    return "zh" if visible and len(_HAN.findall(text)) * 10 >= len(visible) else "en"


def extract(
    text: str,
    *,
    published: dt.date | None = None,
    lang: Lang = "auto",
    gazetteer: Gazetteer | None = None,
) -> Extraction:
    """Propose the dated events of the article ``text`` (plain text, any layout).

    Dates are read by :func:`timeline.dates.normalize.parse_when` against ``published``
    (default: the article's dateline, see :func:`timeline.io.mentions.dateline`);
    references to other events resolve against the date the article gives them (峰会闭幕当天
    against 2月9日，为期两天; 几天后 FEW_DAYS after the event before, approximate), else
    against :data:`timeline.io.gazetteer.KNOWN_DATES`, else stay unresolved. Organizations
    are those of ``gazetteer`` named in the clause. Raises NoPublicationDateError without
    ``published`` nor a dateline, ExtractError for blank text or an unknown ``lang``.
    """
    if not text.strip():
        raise ExtractError("the text is empty")
    if lang not in ("zh", "en", "auto"):
        raise ExtractError(f"unknown language {lang!r}: zh, en or auto")
    read: Literal["zh", "en"] = detect_lang(text) if lang == "auto" else lang
    line = found.dateline(text)
    origin: Literal["given", "dateline"] = "given"
    if published is None:
        if line is None:
            raise NoPublicationDateError("the article has no dateline: give its publication date")
        published, origin = line[0], "dateline"
    chinese = read == "zh"
    article = undo_layout(text, chinese=chinese)
    reader = _Reader(article, published, chinese, gazetteer or Gazetteer(), line)
    reader.run()
    return Extraction(published, origin, read, reader.candidates, reader.skipped)


class _Reader:
    """One pass over an article's date expressions, in order (later ones may refer to
    earlier candidates)."""

    def __init__(
        self,
        article: Text,
        published: dt.date,
        chinese: bool,
        gazetteer: Gazetteer,
        line: tuple[dt.date, int, int] | None,
    ) -> None:
        self.article, self.published, self.chinese = article, published, chinese
        self.gazetteer, self.line = gazetteer, line
        self.candidates: list[Candidate] = []
        self.skipped: list[Skipped] = []

    def run(self) -> None:
        clean = self.article.clean
        bounds = sentences(self.article, chinese=self.chinese)
        starts = [s for s, _ in bounds]
        by_sentence: dict[int, list[found.Mention]] = {}
        for mention in found.find_mentions(clean, chinese=self.chinese, published=self.published):
            index = bisect.bisect_right(starts, mention.start) - 1
            if index < 0 or mention.end > bounds[index][1]:
                continue
            sentence = clean[bounds[index][0] : bounds[index][1]]
            reason = found.not_an_event(clean, mention, sentence)
            if reason is None and self.line is not None:
                if self.article.span(mention.start, mention.end)[0] < self.line[2]:
                    reason = "the article's dateline, not an event"
            if reason is not None:
                self._skip(mention, reason)
            else:
                by_sentence.setdefault(index, []).append(mention)
        for index, group in sorted(by_sentence.items()):
            if any(m.kind != "year" for m in group):
                for mention in (m for m in group if m.kind == "year"):
                    self._skip(mention, "a year beside a more precise date in the sentence")
                group = [m for m in group if m.kind != "year"]
            self._sentence(bounds[index], group)
        self.skipped.sort(key=lambda s: s.when_start)

    def _skip(self, mention: found.Mention, reason: str) -> None:
        start, end = self.article.span(mention.start, mention.end)
        self.skipped.append(Skipped(self.article.original[start:end], start, end, reason))

    def _sentence(self, bounds: tuple[int, int], group: list[found.Mention]) -> None:
        clean = self.article.clean
        if self.line is not None and self.article.offsets[bounds[0]] < self.line[2]:
            # The sentence begins with the dateline (PARIS, Feb. 18, 2025 (Reuters) -).
            after = bisect.bisect_left(self.article.offsets, self.line[2])
            rest = _AFTER_DATELINE.match(clean, after, bounds[1])
            if rest is not None and rest.end() < group[0].start:
                bounds = (rest.end(), bounds[1])
        cuts = [bounds[0]]
        for mention in group[1:]:
            marks = _CLAUSE.finditer(clean, cuts[-1], mention.start)
            clause = max((m.end() for m in marks), default=cuts[-1])
            cuts.append(clause if clause > cuts[-1] else mention.start)
        cuts.append(bounds[1])
        for number, mention in enumerate(group):
            start, end = cuts[number], cuts[number + 1]
            while end > start and clean[end - 1] in "，,；; ":
                end -= 1
            self.candidates.append(
                self._candidate(mention, start, end, clean[bounds[0] : bounds[1]])
            )

    def _candidate(self, mention: found.Mention, start: int, end: int, sentence: str) -> Candidate:
        article = self.article
        when_start, when_end = article.span(mention.start, mention.end)
        evidence_start, evidence_end = article.span(start, end)
        evidence = article.clean[start:end]
        orgs, places = self.gazetteer.find(evidence)
        span, note, unresolved, confidence, reason = resolve(
            mention, sentence, self.candidates, self.published
        )
        if span is not None and not _VERB.search(evidence):
            confidence, reason = confidence - 0.2, reason + "; no reporting or event verb"
        if span is not None and _first_day(span) > self.published:
            confidence -= 0.3
            reason += "; after the publication date (a plan, or a weekday meant in the week before)"
        candidate = Candidate(
            id="",
            when=article.original[when_start:when_end],
            when_start=when_start,
            when_end=when_end,
            start=None,
            end=None,
            precision=None,
            approximate=False,
            evidence=evidence,
            evidence_start=evidence_start,
            evidence_end=evidence_end,
            title=make_title(evidence, mention.start - start, mention.end - start),
            locator=article.locator(evidence_start, evidence_end),
            confidence=round(max(0.05, min(confidence, 0.95)), 2),
            reason=reason,
            organizations=list(dict.fromkeys(m.name for m in orgs)),
            places=list(dict.fromkeys(m.name for m in places)),
            date_note=note,
            unresolved=unresolved,
            kind=mention.kind,
            sentence=sentence,
        )
        if span is not None:
            candidate = _dated(candidate, span)
        candidate.id = self._id(candidate)
        return candidate

    def _id(self, candidate: Candidate) -> str:
        words = [_ascii_slug(o) for o in candidate.organizations]
        title = "-".join(_ascii_slug(candidate.title).split("-")[:5])
        slug = next((w for w in words if w), "") or (title if len(title) > 3 else "event")
        base = f"{candidate.start or 'undated'}-{slug}"[:80].rstrip("-")
        taken = {c.id for c in self.candidates}
        number, result = 1, base
        while result in taken:
            number += 1
            result = f"{base}-{number}"
        return result


def _first_day(span: When) -> dt.date:
    return span.start.date() if isinstance(span.start, dt.datetime) else span.start


def _dated(candidate: Candidate, span: When) -> Candidate:
    start = span.start if not isinstance(span.start, dt.datetime) else span.start.date()
    end = span.end if isinstance(span.end, dt.date) else start + DAY
    if isinstance(end, dt.datetime):
        end = end.date()
    precision = "day" if span.precision == "datetime" else span.precision
    text = {"day": start.isoformat(), "month": start.isoformat()[:7], "year": str(start.year)}
    last = end - DAY
    return dataclasses.replace(
        candidate,
        start=text[precision],
        end=last.isoformat() if precision == "day" and last > start else None,
        precision=precision,
        approximate=span.approximate,
        span=span,
    )


def make_title(evidence: str, date_start: int, date_end: int) -> str:
    """Return a short title made from ``evidence`` (a clause, layout undone) without its
    date expression ``evidence[date_start:date_end]``: from the clause holding the date,
    with the clause before it when that one is shorter than ten characters and the ones
    after while the title is, or ends with a reporting verb (表示, 称); leading
    connectives (此外, 据...报道) and trailing particles (了, 的, 称) dropped; cut near
    TITLE_MAX characters."""
    before = re.sub(r"(?:这次|本次|此次|并于|于|在|\bon|\bin)?\s*$", "", evidence[:date_start])
    after = re.sub(r"^(?:就|的|起|,|，|\s)+", "", evidence[date_end:])
    before, after = before.rstrip(), after.lstrip()
    joiner = "" if _HAN.search(before[-1:] + after[:1]) or not before or not after else " "
    text = before + joiner + after
    clauses = [c for c in re.split(r"(?<=[，,；;：:])", text) if c.strip("，,；;：: ")]
    if not clauses:
        return evidence.strip()[:TITLE_MAX]
    position, index = len(before), 0
    for index, clause in enumerate(clauses):  # noqa: B007 - the clause holding the date
        position -= len(clause)
        if position < 0:
            break
    title = _LEADING.sub("", clauses[index].strip())
    if len(_TRAILING.sub("", title)) < 10 and index > 0:
        title = _LEADING.sub("", clauses[index - 1].strip()) + title
    for clause in clauses[index + 1 :]:
        if len(_TRAILING.sub("", title)) >= 10 and not _REPORTING.search(title):
            break
        title += _LEADING.sub("", clause.strip())
    title = _TRAILING.sub("", title)
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX].rstrip("，,；;：:、 ") + "…"
    for opening, closing in ("“”", "（）", "《》", "「」"):  # close what the cut left open
        title += closing * (title.count(opening) - title.count(closing))
    return title.strip() or evidence.strip()[:TITLE_MAX]


def _ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
