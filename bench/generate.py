"""Deterministic synthetic events (seeded random) as ``timeline.store.values.EventData``."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from timeline.store.values import EventData

#: Time zones of the timed events; ``None`` and ``"UTC"`` need no VTIMEZONE.
ZONES = (
    "Asia/Shanghai",
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Los_Angeles",
    "UTC",
    None,
)
TAGS = (
    "model-release",
    "funding",
    "regulation",
    "summit",
    "open-source",
    "chips",
    "Policy, EU",
    "人工智能",
    "监管",
    "融资",
    "🚀 launch",
)
#: Organizations as (canonical name, aliases); events name them either way.
ORGANIZATIONS = (
    ("OpenAI", ()),
    ("DeepSeek", ("深度求索",)),
    ("Anthropic", ()),
    ("European Commission", ("欧盟委员会", "EU Commission")),
    ("Mistral AI", ()),
    ("Alibaba", ("阿里巴巴",)),
    ("xAI", ()),
    ("Nvidia", ()),
)
ORGANIZATION_NAMES = tuple(n for name, aliases in ORGANIZATIONS for n in (name, *aliases))
WORDS_EN = (
    "model release summit regulation funding round chips data centre open weights "
    "benchmark agreement investment guidelines launch reasoning inference"
).split()
WORDS_ZH = (
    "人工智能",
    "大模型",
    "发布",
    "峰会",
    "监管",
    "投资",
    "芯片",
    "开源",
    "推理",
    "数据中心",
)
EMOJI = ("🚀", "🤖", "📈", "🇪🇺", "🇨🇳", "🎉", "⚖️", "💡")
YEARS = range(2015, 2031)


def _text(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.55:
            parts.append(rng.choice(WORDS_EN))
        elif roll < 0.9:
            parts.append(rng.choice(WORDS_ZH))
        else:
            parts.append(rng.choice(EMOJI))
    return " ".join(parts)


def _dates(
    rng: random.Random, kind: str
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None, str | None, str]:
    """Return (start, exclusive end, time zone, precision) for an event of ``kind``."""
    year = rng.choice(YEARS)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    if kind == "day":
        return day, day + dt.timedelta(days=1), None, "day"
    if kind == "multi-day":
        return day, day + dt.timedelta(days=rng.randint(2, 6)), None, "day"
    if kind == "month":
        first = day.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1), None, "month"
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1), None, "year"
    zone = rng.choice(ZONES)
    tz = ZoneInfo(zone or "UTC")
    local = dt.datetime(year, day.month, day.day, rng.randrange(24), rng.choice((0, 15, 30, 45)))
    # Through UTC, so that a wall time in a DST gap or fold still gives end > start.
    start = local.replace(tzinfo=tz).astimezone(dt.UTC)
    if rng.random() < 0.2:
        return start.astimezone(tz), None, zone, "datetime"  # an instant
    end = start + dt.timedelta(minutes=rng.choice((30, 60, 90, 240)))
    return start.astimezone(tz), end.astimezone(tz), zone, "datetime"


KINDS = (("day", 40), ("multi-day", 15), ("timed", 33), ("month", 8), ("year", 4))


def make_event(index: int, seed: int = 1) -> EventData:
    """Return synthetic event number ``index`` (a pure function of ``index`` and ``seed``):
    all-day, multi-day, timed in one of :data:`ZONES`, or of month or year precision, with
    English, Chinese and emoji text, 0-4 tags and 0-3 organizations."""
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    start, end, zone, precision = _dates(rng, kind)
    has_source = rng.random() < 0.5
    return EventData(
        id=f"bench-{index:07d}",
        title=_text(rng, rng.randint(3, 9)),
        description="\n\n".join(_text(rng, rng.randint(8, 30)) for _ in range(rng.randint(0, 3))),
        start=start,
        end=end,
        all_day=kind != "timed",
        precision=precision,
        approximate=rng.random() < 0.1,
        timezone=zone,
        location=rng.choice((None, None, "Paris", "北京", "San Francisco, CA", "Brussels 🇪🇺")),
        url=f"https://example.org/news/{index}" if rng.random() < 0.4 else None,
        tags=tuple(rng.sample(TAGS, rng.randint(0, 4))),
        organizations=tuple(rng.sample(ORGANIZATION_NAMES, rng.randint(0, 3))),
        source_name="Synthetic wire 新闻" if has_source else None,
        source_published=f"{start.year}-{start.month:02d}" if has_source else None,
        source_locator=f"paragraph {rng.randint(1, 40)}" if has_source else None,
    )


def make_events(count: int, seed: int = 1, first: int = 0) -> Iterator[EventData]:
    """Yield events ``first`` to ``first + count - 1`` of :func:`make_event`."""
    for index in range(first, first + count):
        yield make_event(index, seed)
