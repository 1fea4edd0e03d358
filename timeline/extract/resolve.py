"""Stage 5 of extraction: the resolved date of each event mention. A date the scanner read
stands; one it read against another date of the text (当天, the next day) stands when that
date is an event's, and is counted again from the event before otherwise (never from a
dateline or a cut-off); a bare weekday in a clause of neither past nor future is the
nearest such day; a date given by reference to an event (峰会闭幕当天, 就职当天) is dated
from the event the article dates, else from the known dates. What cannot be resolved says
why instead of guessing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from timeline.dates.periods import DAY, When, day, months
from timeline.extract.events import RECENT
from timeline.extract.known import KnownDate, lookup
from timeline.extract.layout import Text
from timeline.extract.model import Dated, EventRef, Mention, Sentence
from timeline.extract.references import NOUNS_EN, NOUNS_ZH
from timeline.extract.sentences import Clauses, tense

#: A few days (几天后, a few days later) is taken as this many, and marked approximate.
FEW_DAYS = 3
_NOUN = re.compile(rf"{NOUNS_ZH}|\b(?:{NOUNS_EN})", re.IGNORECASE)
_LAST_PHASES = ("闭幕", "结束", "close")
_SAME = ("当天", "当日", "on", "during")


def days(when: When) -> tuple[dt.date, dt.date]:
    """Return the first and last day (inclusive) of ``when``."""
    start = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    end = when.end if isinstance(when.end, dt.date) else start + DAY
    if isinstance(end, dt.datetime):
        end = end.date()
    return start, max(start, end - DAY)


def _compact(text: str) -> str:
    """Undo layout inside an expression: no spaces in Chinese, single ones otherwise."""
    return ("" if re.search(r"[\u4e00-\u9fff]", text) else " ").join(text.split())


def _shown(text: Text, earlier: Dated) -> str:
    assert earlier.when is not None
    first, last = days(earlier.when)
    dates = first.isoformat() if first == last else f"{first} to {last}"
    words = _compact(text.clean[earlier.start : earlier.end])
    return f"'{words}' ({dates}, {text.locator(earlier.start, earlier.end)})"


def resolve(
    text: Text,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    kept: Sequence[int],
    *,
    published: dt.date,
    known: Sequence[KnownDate] = (),
) -> list[Dated]:
    """Return the dated mentions ``mentions[i]`` for ``i`` in ``kept`` (the event
    mentions, in order), resolved as the module says. Linear in the number of mentions."""
    return _Resolver(text, sentences, mentions, published, known).run(kept)


class _Resolver:
    def __init__(
        self,
        text: Text,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention],
        published: dt.date,
        known: Sequence[KnownDate],
    ) -> None:
        self.text, self.sentences, self.mentions = text, sentences, mentions
        self.published, self.known = published, known
        self.clauses = Clauses(text.clean)
        self.by_noun: dict[str, Dated] = {}
        self.latest_day: Dated | None = None
        self.latest_span: Dated | None = None
        self.dated_at: dict[int, Dated] = {}
        self._nouns: dict[int, set[str]] = {}

    def run(self, kept: Sequence[int]) -> list[Dated]:
        result = []
        for index in kept:
            mention = self.mentions[index]
            if mention.ref is not None:
                dated = self._referred(mention, mention.ref)
            elif mention.found.kind == "anaphoric":
                dated = self._anaphoric(mention)
            else:
                dated = self._given(mention)
            result.append(dated)
            self.dated_at[index] = dated
            if dated.when is not None:
                self._remember(dated)
        return result

    def _remember(self, dated: Dated) -> None:
        assert dated.when is not None
        if dated.when.precision not in ("day", "datetime"):
            return
        self.latest_day = dated
        if dated.mention.ref is not None or dated.mention.found.kind == "anaphoric":
            return  # an event is named by the sentence that dates it outright
        first, last = days(dated.when)
        if last > first:
            self.latest_span = dated
        for noun in self._sentence_nouns(dated.mention.sentence):
            self.by_noun[noun] = dated

    def _sentence_nouns(self, number: int) -> set[str]:
        if number not in self._nouns:
            sentence = self.sentences[number]
            piece = self.text.folded[sentence.start : sentence.end]
            self._nouns[number] = {m[0].lower() for m in _NOUN.finditer(piece)}
        return self._nouns[number]

    def _dated(
        self,
        mention: Mention,
        when: When | None,
        confidence: float,
        reason: str,
        note: str | None = None,
        unresolved: str | None = None,
    ) -> Dated:
        found = mention.found
        if when is not None and days(when)[0] > self.published:
            confidence -= 0.3
            reason += "; after the publication date (a plan, or a weekday meant in the week before)"
        return Dated(mention, when, found.start, found.end, confidence, reason, note, unresolved)

    def _given(self, mention: Mention) -> Dated:
        found = mention.found
        when = found.when
        if when is None and found.value == "PAST_REF" and RECENT.fullmatch(found.text):
            sentence = self.sentences[mention.sentence] if mention.sentence >= 0 else None
            bounds = (
                self.clauses.around(sentence, found.start, found.end)
                if sentence is not None
                else (found.start, found.end)
            )
            if tense(self.text.folded, *bounds) != "future":  # 计划近期公布: soon, no day
                month = months(self.published.year, self.published.month, approximate=True)
                return self._dated(
                    mention,
                    month,
                    0.5,
                    "a recent day (近日, 近期): the month of publication, approximately",
                )
        if when is None:
            return self._dated(
                mention,
                None,
                0.1,
                "the date expression is not read",
                unresolved=f"cannot read a date in '{found.text}'",
            )
        if found.tense_sensitive and mention.sentence >= 0:
            when = self._by_tense(mention, when)
        if when.precision == "year":
            return self._dated(mention, when, 0.6, "a year only")
        if when.precision == "month" or when.approximate:
            return self._dated(mention, when, 0.8, "a date given to the month or approximately")
        return self._dated(mention, when, 0.9, "a date given in the text")

    def _by_tense(self, mention: Mention, when: When) -> When:
        """A weekday in a present perfect clause (has re-imposed ... on Friday) is the
        nearest such day (the scanner, told neither past nor future, reads it in the
        publication's week)."""
        sentence = self.sentences[mention.sentence]
        bounds = self.clauses.around(sentence, mention.found.start, mention.found.end)
        first, _ = days(when)
        if (
            when.precision == "day"
            and abs(first - self.published) < 7 * DAY
            and tense(self.text.folded, *bounds) == "present"
        ):
            options = [first - 7 * DAY, first, first + 7 * DAY]
            best = min(options, key=lambda d: (abs(d - self.published), d))
            return day(best, approximate=when.approximate)
        return when

    def _anaphoric(self, mention: Mention) -> Dated:
        found = mention.found
        text = _compact(found.text)
        anchor = self.dated_at.get(found.anchor) if found.anchor is not None else None
        when = found.when
        if when is None and found.offset in ("+PXD", "-PXD"):  # 几天后, a few days later
            return self._few_days(mention, anchor or self.latest_day, text)
        if anchor is None and found.anchor is not None and when is not None:
            # Read against a date that is no event's (a dateline, a cut-off): count the
            # same distance from the event before instead.
            anchor_found = self.mentions[found.anchor].found
            anchor = self.latest_day
            if anchor is None or anchor.when is None or anchor_found.when is None:
                when = None
            else:
                shift = days(when)[0] - days(anchor_found.when)[0]
                when = day(days(anchor.when)[0] + shift, approximate=when.approximate)
        if when is None or anchor is None or anchor.when is None:
            return self._nothing_before(mention)
        note = f"The article says '{text}' of {_shown(self.text, anchor)}"
        if when.approximate:
            note += f"; {days(when)[0].isoformat()} is a chosen date"
        note += "."
        confidence = 0.45 if when.approximate else 0.7
        return self._dated(mention, when, confidence, "counted from the event before", note)

    def _nothing_before(self, mention: Mention) -> Dated:
        return self._dated(
            mention,
            None,
            0.1,
            "a relative date with nothing to count from",
            unresolved="counts from an event before, and none is dated",
        )

    def _few_days(self, mention: Mention, anchor: Dated | None, text: str) -> Dated:
        """A few days after (or before) the event before: FEW_DAYS, approximate."""
        if anchor is None or anchor.when is None:
            return self._nothing_before(mention)
        first, last = days(anchor.when)
        after = mention.found.offset == "+PXD"
        chosen = last + FEW_DAYS * DAY if after else first - FEW_DAYS * DAY
        note = (
            f"The article says '{text}' of {_shown(self.text, anchor)}; {FEW_DAYS} days"
            f" {'after' if after else 'before'} it, {chosen.isoformat()}, is a chosen date."
        )
        return self._dated(
            mention, day(chosen, approximate=True), 0.45, "counted from the event before", note
        )

    def _referred(self, mention: Mention, ref: EventRef) -> Dated:
        text = _compact(mention.found.text)
        if ref.relation == "immediately":
            before = self.latest_day
            if before is None or before.when is None:
                return self._dated(
                    mention,
                    None,
                    0.1,
                    "a relative date with nothing to count from",
                    unresolved="follows an event, and none is dated",
                )
            _, last = days(before.when)
            note = (
                f"The article says '{text}' (at once) after {_shown(self.text, before)}; "
                "the day after it is a chosen date."
            )
            return self._dated(
                mention,
                day(last + DAY, approximate=True),
                0.45,
                "right after the event before",
                note,
            )
        anchor = self.by_noun.get(ref.noun.lower()) if ref.noun else self.latest_span
        confidence, reason = 0.8, "resolved against the date the article gives the event it names"
        if anchor is not None and anchor.when is not None:
            first, last = days(anchor.when)
            source = f"the {ref.noun or 'event'} is dated by {_shown(self.text, anchor)}"
        else:
            known = self._known(mention, ref)
            if known is None:
                named = ref.noun or "the event"
                return self._dated(
                    mention,
                    None,
                    0.15,
                    "refers to an event the article does not date",
                    unresolved=f"refers to '{named}', not dated in the article",
                )
            first = last = known.date
            source = (
                f"the {ref.noun} is not dated in the article: {known.note} (from the known dates)"
            )
            confidence, reason = 0.6, "resolved against a known date from outside the article"
        relation = ref.relation.lower()
        if relation in ("期间", "during"):
            when = When(first, last + DAY, "day", last > first)
            return self._dated(
                mention, when, confidence, reason, f"The article says '{text}'; {source}."
            )
        base = last if ref.phase in _LAST_PHASES else first
        approximate = False
        if relation in ("次日", "第二天", "the day after"):
            base = (
                last if ref.phase in _LAST_PHASES or relation == "the day after" else first
            ) + DAY
        elif relation in ("前一天", "前夕", "the day before"):
            base, approximate = first - DAY, relation == "前夕"
        elif relation == "后":
            return self._dated(
                mention,
                None,
                0.15,
                "after an event, on no day given",
                unresolved=f"after '{text}': the article gives no day",
            )
        note = f"The article says '{text}'; {source}, so it is {base.isoformat()}."
        return self._dated(mention, day(base, approximate=approximate), confidence, reason, note)

    def _known(self, mention: Mention, ref: EventRef) -> KnownDate | None:
        if ref.noun is None or mention.sentence < 0:
            return None
        sentence = self.sentences[mention.sentence]
        return lookup(
            self.known, ref.noun, self.text.clean[sentence.start : sentence.end], self.published
        )
