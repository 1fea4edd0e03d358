"""Tests of feeds.text: cleaning and the precision display shared by every format."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from feeds import Entry
from feeds.text import body_text, clean_line, clean_text, display_title, precision_note

UTC = dt.UTC
BASE = Entry(
    id="e",
    uid="event-e@example.org",
    guid="tag:example.org,2025:event-e",
    title="Microsoft plans USD 80 billion for AI data centres",
    start=dt.date(2025, 1, 1),
    end=dt.date(2025, 2, 1),
    all_day=True,
    link="https://example.org/events/e",
    created=dt.datetime(2025, 1, 1, tzinfo=UTC),
    updated=dt.datetime(2025, 1, 1, tzinfo=UTC),
)


def make(**fields: Any) -> Entry:
    return dataclasses.replace(BASE, **fields)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("a\x00b\x07c\x0bd\x0ce\x1bf\x7fg", "abcdefg"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("crlf\r\nlone\rcr", "crlf\nlone\ncr"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("non\ufffechar\uffff", "nonchar"),
        ("中文 🙂 é", "中文 🙂 é"),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_clean_line_flattens_breaks() -> None:
    assert clean_line("a\r\nBEGIN:VEVENT\tx\x00") == "a BEGIN:VEVENT x"


@pytest.mark.parametrize(
    ("fields", "title", "note"),
    [
        (
            {"precision": "month"},
            "Microsoft plans USD 80 billion for AI data centres (January 2025; day not reported)",
            "Date known to the month only: January 2025.",
        ),
        (
            {"precision": "month", "approximate": True},
            "Microsoft plans USD 80 billion for AI data centres"
            " (around January 2025; day not reported)",
            "Approximate date, known to the month only: January 2025.",
        ),
        (
            {"precision": "year", "end": dt.date(2026, 1, 1)},
            "Microsoft plans USD 80 billion for AI data centres (2025; date not reported)",
            "Date known to the year only: 2025.",
        ),
        (
            {"precision": "year", "approximate": True, "end": dt.date(2026, 1, 1)},
            "Microsoft plans USD 80 billion for AI data centres (around 2025; date not reported)",
            "Approximate date, known to the year only: 2025.",
        ),
        (
            {"approximate": True, "end": dt.date(2025, 1, 2)},
            "Microsoft plans USD 80 billion for AI data centres (approximate date)",
            "Approximate date: 2025-01-01.",
        ),
        (  # a quarter: 第一季度, Q1 2025
            {"precision": "month", "approximate": True, "end": dt.date(2025, 4, 1)},
            "Microsoft plans USD 80 billion for AI data centres"
            " (around January–March 2025; day not reported)",
            "Approximate date, known to the month only: January–March 2025.",
        ),
        (
            {"precision": "month", "start": dt.date(2024, 11, 1), "end": dt.date(2025, 3, 1)},
            "Microsoft plans USD 80 billion for AI data centres"
            " (November 2024–February 2025; day not reported)",
            "Date known to the month only: November 2024–February 2025.",
        ),
        (
            {"precision": "year", "start": dt.date(2024, 1, 1), "end": dt.date(2026, 1, 1)},
            "Microsoft plans USD 80 billion for AI data centres (2024–2025; date not reported)",
            "Date known to the year only: 2024–2025.",
        ),
        (  # 中旬: days 11 to 20
            {"approximate": True, "start": dt.date(2025, 2, 11), "end": dt.date(2025, 2, 21)},
            "Microsoft plans USD 80 billion for AI data centres (approximate date)",
            "Approximate date: 2025-02-11 to 2025-02-20.",
        ),
        (
            {
                "approximate": True,
                "precision": "datetime",
                "all_day": False,
                "start": dt.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
                "end": None,
                "timezone": "Asia/Tokyo",
            },
            "Microsoft plans USD 80 billion for AI data centres (approximate date)",
            "Approximate date: 2025-01-01.",
        ),
        (
            {"end": dt.date(2025, 1, 2)},
            "Microsoft plans USD 80 billion for AI data centres",
            "",
        ),
    ],
)
def test_precision_display(fields: dict[str, Any], title: str, note: str) -> None:
    entry = make(**fields)
    assert display_title(entry) == title
    assert precision_note(entry) == note


def test_body_text_paragraphs() -> None:
    exact = make(end=dt.date(2025, 1, 2), description="Line one\nLine two")
    assert body_text(exact) == "Line one\nLine two"
    assert body_text(make(end=dt.date(2025, 1, 2))) == ""
    sourced = make(
        precision="month",
        description="Plans.",
        source_name="Example News",
        source_published="2025-01-03",
        source_locator="p. 4",
        url="https://news.example.com/ai",
    )
    assert body_text(sourced) == (
        "Date known to the month only: January 2025.\n\nPlans.\n\n"
        "Source: Example News, published 2025-01-03, p. 4\nhttps://news.example.com/ai"
    )


def test_blank_title_gets_a_placeholder() -> None:
    assert display_title(make(title=" ", end=dt.date(2025, 1, 2))) == "(untitled)"
