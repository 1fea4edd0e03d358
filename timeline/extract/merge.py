"""Stage 7 of extraction: merged candidates. Mentions of one event (a headline and its
body, a repeat further down, the same event in several articles) become one candidate
with every offset and every source: same dates, and shared actors or words. Across
articles, candidates come ranked by how much the articles make of them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from timeline.extract.model import Candidate

#: Two titles of the same dates report one event when this share of their words (English)
#: or character pairs (Chinese) is common to both.
SIMILAR = 0.5
#: A candidate is compared with at most this many earlier ones of the same dates.
COMPARED = 16
_WORD = re.compile(r"[a-z0-9]{3,}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _key(candidate: Candidate) -> tuple[str, str | None, str]:
    return candidate.start, candidate.end, candidate.precision


def words(title: str) -> frozenset[str]:
    lowered = title.lower()
    han = "".join(_HAN.findall(lowered))
    pairs = {han[i : i + 2] for i in range(len(han) - 1)}
    return frozenset(pairs | set(_WORD.findall(lowered)))


def similar(a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` and ``b`` (of the same dates) report one event: a shared actor, or
    titles sharing SIMILAR of their words or character pairs."""
    if set(a.organizations) & set(b.organizations):
        return True
    first, second = words(a.title), words(b.title)
    if not first or not second:
        return False
    return len(first & second) / min(len(first), len(second)) >= SIMILAR


def within(candidates: Sequence[Candidate], headings: Iterable[int] = ()) -> list[Candidate]:
    """Merge the repeats of one article's ``candidates`` (in order) into the first
    mention that is not in a heading; ``headings`` are the indices of candidates read in
    a heading or caption, merged into any later candidate of the same dates. Returns the
    candidates in the article's order, each with every mention's offsets."""
    in_heading = set(headings)
    groups: dict[tuple[str, str | None, str], list[int]] = {}
    merged: list[Candidate | None] = []
    for index, candidate in enumerate(candidates):
        if not candidate.mentions:
            candidate.mentions = [(candidate.when_start, candidate.when_end)]
        group = groups.setdefault(_key(candidate), [])
        target = position = None
        for position in range(len(group) - 1, max(-1, len(group) - 1 - COMPARED), -1):
            other = merged[group[position]]
            if other is not None and (group[position] in in_heading or similar(other, candidate)):
                target = group[position]
                break
        if target is None:
            group.append(len(merged))
            merged.append(candidate)
            continue
        other = merged[target]
        assert other is not None
        if target in in_heading and index not in in_heading:
            candidate.mentions = other.mentions + candidate.mentions  # the body's words win
            candidate.confidence = max(candidate.confidence, other.confidence)
            merged[target] = None
            assert position is not None
            group[position] = len(merged)
            merged.append(candidate)
        else:
            other.mentions.extend(candidate.mentions)
            other.confidence = max(other.confidence, candidate.confidence)
        in_heading.discard(index)
    kept = [c for c in merged if c is not None]
    kept.sort(key=lambda c: c.when_start)
    return kept


def across(per_article: Sequence[Sequence[Candidate]]) -> list[Candidate]:
    """Merge the candidates of several articles (each list one article's, its
    ``sources`` set) into one list: candidates of the same dates with a shared actor or
    similar titles become one, with every source and mention. Ranked by weight: one per
    source, a quarter per further mention, a half for a mention in a source's first
    paragraph; then by date."""
    groups: dict[tuple[str, str | None, str], list[Candidate]] = {}
    result: list[Candidate] = []
    for candidates in per_article:
        for candidate in candidates:
            candidate.weight = _weight(candidate)
            group = groups.setdefault(_key(candidate), [])
            target = next((c for c in reversed(group[-COMPARED:]) if similar(c, candidate)), None)
            if target is None:
                group.append(candidate)
                result.append(candidate)
                continue
            target.sources.extend(s for s in candidate.sources if s not in target.sources)
            target.weight += candidate.weight
            target.organizations.extend(
                o for o in candidate.organizations if o not in target.organizations
            )
            target.confidence = max(target.confidence, candidate.confidence)
    result.sort(key=lambda c: (-c.weight, c.start, c.title))
    return result


def _weight(candidate: Candidate) -> float:
    lead = 0.5 if candidate.locator in ("paragraph 1", "paragraph 2") else 0.0
    return round(1.0 + 0.25 * (len(candidate.mentions) - 1) + lead, 2)
