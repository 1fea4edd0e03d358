"""Titles an editor keeps: on every article of the development set (and the project's own
test articles), no title holds a dateline, a byline, a source tag, a URL or a word cut in
the middle, and each is in its article's language within the length allowed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bench.extraction import gold_articles
from tests.extract.test_source_articles import needs_articles
from timeline.extract.model import Candidate
from timeline.extract.pipeline import extract
from timeline.extract.titles import TITLE_MAX_HAN, TITLE_MAX_WORDS, han_count

DATA = Path(__file__).resolve().parents[1] / "data"
FORBIDDEN = {
    "dateline": re.compile(
        r"\d{1,2}日[电電]|新华社.{0,12}[电電]|中新[网社].{0,8}[电電]"
        r"|^[A-Z][A-Z .'-]{2,}\s*(?:,|--|[-–—])|\((?:Reuters|AP|AFP|IANS|PTI)\)"
    ),
    "byline": re.compile(
        r"[记記]者|^By\s|\bWriter\b|[编編]辑[:：]|[责責][编編]|作者[:：]|来源[:：]|來源[:：]"
    ),
    "source tag": re.compile(r"【[^】]*】|〔[^〕]*〕|AP Photo|\bAFP\b|REUTERS/|\(完\)|（完）"),
    "URL": re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|cn|org|net)\b|@\w+\."),
    "cut": re.compile(r"…$|\.\.\.$"),
}


def _cut_word(candidate: Candidate) -> bool:
    """An English title whose last word is not a whole word of the evidence."""
    words = re.findall(r"[A-Za-z0-9$£%'’-]+", candidate.title)
    if not words or candidate.language != "en":
        return False
    last = re.escape(words[-1])
    return not re.search(rf"(?<![A-Za-z0-9]){last}(?![A-Za-z0-9])", candidate.evidence)


def check_titles(candidates: list[Candidate]) -> list[str]:
    """Every fault of the candidates' titles, as 'title: what'."""
    faults = []
    for candidate in candidates:
        title = candidate.title
        for name, pattern in FORBIDDEN.items():
            if pattern.search(title):
                faults.append(f"{title!r}: {name}")
        if _cut_word(candidate):
            faults.append(f"{title!r}: a word cut in the middle")
        if candidate.language == "en":
            if len(title.split()) > TITLE_MAX_WORDS or han_count(title):
                faults.append(f"{title!r}: not an English title of at most {TITLE_MAX_WORDS} words")
        elif han_count(title) > TITLE_MAX_HAN or not han_count(title):
            faults.append(f"{title!r}: not a Chinese title of at most {TITLE_MAX_HAN} characters")
    return faults


@needs_articles
@pytest.mark.parametrize("article", gold_articles(), ids=lambda a: a.name)
def test_titles_of_real_articles(article: object) -> None:
    from bench.extraction import GoldArticle

    assert isinstance(article, GoldArticle)
    result = extract(article.text, published=article.published)
    assert check_titles(result.candidates) == []


def test_titles_of_our_articles() -> None:
    text = (DATA / "metro-line-6.txt").read_text(encoding="utf-8")
    assert check_titles(extract(text, published=dt.date(2025, 9, 26)).candidates) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("新华社北京2月18日电（记者 王明）国务院2月17日召开常务会议。", "国务院召开常务会议"),
        ("【大公报讯】据新华社报道：2月17日晚7时，深圳地铁新线开通。", "深圳地铁新线开通"),
        ("PARIS, Feb. 18 (Reuters) - Acme Robotics said on Feb. 17 that it had raised "
         "$200 million from investors led by a fund.",
         "Acme Robotics had raised $200 million from investors led by a fund"),
        ("On Feb. 3 the firm signed a supply deal with Foxconn, see www.example.com.",
         "The firm signed a supply deal with Foxconn"),
    ],
)  # fmt: skip
def test_titles_leave_out_heads_and_keep_who_did_what(text: str, title: str) -> None:
    (candidate,) = extract(text, published=dt.date(2025, 2, 18)).candidates
    assert candidate.title == title
    assert check_titles([candidate]) == []
