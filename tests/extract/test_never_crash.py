"""Extraction never crashes: any text gives candidates or one clear ExtractError, and so
does every real article of the development set; the API answers 200 or a 4xx, never 500."""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
from flask.testing import FlaskClient
from hypothesis import strategies as st

from bench.extraction import gold_articles
from tests.extract.test_source_articles import needs_articles
from timeline.extract.model import Extraction
from timeline.extract.pipeline import ExtractError, extract

PUBLISHED = dt.date(2025, 2, 18)
DATE_WORDS = [
    "2月2月", "2月", "今年", "去年12月", "当天", "次日", "峰会闭幕当天", "第一时间", "几天后",
    "上周五", "週二", "本月十二日", "19日晚", "Feb 1,", "on Monday", "the next day", "in 2014",
    "last year", "Sept 28", "Jan 24 last year", "About a fortnight later", "截至", "以来",
    "【新华社讯】", "(Reuters) -", "新华社北京2月18日电", "《", "》", "，", "。", "\n\n", " ",
]  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(DATE_WORDS),
    st.text(max_size=8),
    st.sampled_from(["<p>", "</p>", "<a href='x'>", "&amp;", "&#x4e2d;", "<script>"]),
    st.text(alphabet="，。！？；：、,.;:!?-—…()（）【】《》“”", max_size=6),
)


def _check(text: str, published: dt.date | None) -> None:
    try:
        result = extract(text, published=published)
    except ExtractError:
        return
    assert isinstance(result, Extraction)
    for candidate in result.candidates:
        assert text[candidate.when_start : candidate.when_end] == candidate.when
        assert candidate.precision in ("day", "month", "year")


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(text=st.text(), published=st.none() | st.dates())
def test_any_unicode_text(text: str, published: dt.date | None) -> None:
    _check(text, published)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(pieces=st.lists(PIECES, max_size=40), published=st.dates())
def test_dates_html_punctuation_and_mixed_scripts(pieces: list[str], published: dt.date) -> None:
    _check("".join(pieces), published)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "。。。",
        "，，，！？",
        "2025年2月18日",
        "2月2月",
        "Feb 1, " * 50,
        "<p></p>",
    ],
)
def test_edge_texts(text: str) -> None:
    _check(text, PUBLISHED)
    _check(text, None)


def test_a_megabyte_of_text() -> None:
    text = ("2月17日，xAI发布Grok 3。On Monday, Acme said it raised $5 million. " * 20_000)[
        :1_000_000
    ]
    result = extract(text, published=PUBLISHED)
    assert result.candidates  # the repeats merge into a few candidates
    assert len(result.candidates) < 10


@needs_articles
@pytest.mark.parametrize("article", gold_articles(), ids=lambda a: a.name)
def test_every_real_article(article: object) -> None:
    from bench.extraction import GoldArticle

    assert isinstance(article, GoldArticle)
    _check(article.text, article.published)
    _check(article.text, None)


def test_the_api_never_answers_500(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    for text in ("2月2月", "A" * 40 + ", " + "Feb 1, " * 1000, "。", "【】(记者 )"):
        response = client.post(
            "/api/extract", json={"text": text, "published": "2025-02-18"}, headers=auth_headers
        )
        assert response.status_code in (200, 422), (text[:20], response.get_data(as_text=True))
    response = client.post(
        "/api/extract", json={"text": "2月2月", "published": "2025-02-18"}, headers=auth_headers
    )
    assert response.status_code == 200
    assert response.get_json()["candidates"] == []
