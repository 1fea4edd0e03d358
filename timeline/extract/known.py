"""Known dates: events that articles name without dating them (就职当天), read from
``known_dates.toml`` beside this module and from the files users add (the configuration
key ``KNOWN_DATES``)."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The known dates shipped with timeline.
BUILT_IN = Path(__file__).with_name("known_dates.toml")


class KnownDatesError(ValueError):
    """A known-dates file that cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class KnownDate:
    """An event that articles refer to by ``noun`` without dating it: its ``date``, for a
    sentence holding every one of ``words`` in an article published from ``valid_from``
    until ``valid_until`` (exclusive); ``note`` says what it is."""

    noun: str
    words: tuple[str, ...]
    date: dt.date
    note: str
    valid_from: dt.date
    valid_until: dt.date


def load(paths: Iterable[Path] = (BUILT_IN,)) -> tuple[KnownDate, ...]:
    """Read the ``[[date]]`` entries of each TOML file of ``paths`` (see
    ``known_dates.toml`` for the keys). Raises KnownDatesError naming the file and the
    entry for a file that cannot be read or an entry missing a key or holding a bad
    value."""
    entries: list[KnownDate] = []
    for path in paths:
        try:
            with Path(path).open("rb") as handle:
                document = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise KnownDatesError(f"known dates: {path}: {error}") from None
        for number, entry in enumerate(document.get("date", []), start=1):
            try:
                entries.append(
                    KnownDate(
                        str(entry["noun"]),
                        tuple(str(w) for w in entry["words"]),
                        _day(entry["date"]),
                        str(entry["note"]),
                        _day(entry["from"]),
                        _day(entry["until"]),
                    )
                )
            except (KeyError, TypeError, ValueError) as error:
                raise KnownDatesError(f"known dates: {path}: entry {number}: {error}") from None
    return tuple(entries)


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    return value


def lookup(
    known: Sequence[KnownDate], noun: str, sentence: str, published: dt.date
) -> KnownDate | None:
    """Return the first entry for ``noun`` whose words are all in ``sentence`` and whose
    validity holds ``published``, or None. Nouns and words match case-insensitively."""
    lowered = sentence.lower()
    for entry in known:
        if entry.noun.lower() != noun.lower():
            continue
        if entry.valid_from <= published < entry.valid_until:
            if all(word.lower() in lowered for word in entry.words):
                return entry
    return None
