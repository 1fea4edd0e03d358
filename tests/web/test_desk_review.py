"""The desk's review of an article over the test client: candidates beside the text with
their dates marked, accepted (edited) into the feeds, rejected, matched to stored events;
article text always escaped."""

from __future__ import annotations

import io
import re
from pathlib import Path

import feedparser
import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import create_token
from tests.web.desk import candidate_forms, form_fields, make_account, post_form, sign_in
from timeline.web.deskarticle import html_text, looks_like_html

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "metro-line-6.txt"


@pytest.fixture
def desk(app: Flask) -> FlaskClient:
    make_account(app)
    client = app.test_client()
    sign_in(client)
    return client


def _review(
    desk: FlaskClient, text: str, published: str = "2025-09-26", timeline: str = "main"
) -> str:
    response = post_form(
        desk,
        "/desk/review/",
        "/desk/review/",
        {
            "text": text,
            "published": published,
            "source": "metro-line-6.txt",
            "lang": "auto",
            "timeline": timeline,
        },  # fmt: skip
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _decide(desk: FlaskClient, form: str, action: str, **changes: str) -> str:
    fields = form_fields(form) | {"action": [action]}
    for name, value in changes.items():
        fields[name] = [value]
    response = desk.post("/desk/review/candidate", data=fields)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _candidate(page: str, when: str) -> str:
    """The form of the candidate whose date is written ``when``."""
    for form in candidate_forms(page):
        if f'name="source_when" type="text" value="{when}"' in form:
            return form
    raise AssertionError(f"no candidate dated {when!r}")


def test_candidates_beside_the_text_with_their_dates_marked(desk: FlaskClient) -> None:
    page = _review(desk, ARTICLE.read_text(encoding="utf-8"))
    assert "12 events proposed, read against 2025-09-26." in page or re.search(
        r"\d+ events proposed, read against 2025-09-26\.", page
    )
    marks = re.findall(
        r'<mark id="when-(\d+)" class="when"><a href="#candidate-\1">([^<]+)</a>', page
    )
    forms = candidate_forms(page)
    assert len(marks) == len(forms) >= 12
    assert ("去年12月" in [text for _, text in marks]) or any("12月" in t for _, t in marks)
    opening = _candidate(page, "9月25日上午")
    fields = form_fields(opening)
    assert fields["start"] == ["2025-09-25"] and fields["precision"] == ["day"]
    assert fields["language"] == ["zh"] and fields["source_published"] == ["2025-09-26"]


def test_accepted_candidates_are_in_the_feeds_at_once(app: Flask, desk: FlaskClient) -> None:
    page = _review(desk, ARTICLE.read_text(encoding="utf-8"))
    whens = [form_fields(f)["source_when"][0] for f in candidate_forms(page)][:3]
    page = _decide(desk, _candidate(page, whens[0]), "accept")
    page = _decide(desk, _candidate(page, whens[1]), "accept",
                   title_en="Line 6 edited at the desk", tags="metro")  # fmt: skip
    page = _decide(desk, _candidate(page, whens[2]), "accept")
    assert page.count('class="accepted"') == 3
    reader = app.test_client()
    # The candidates' original language is Chinese; the edited one has an English title too.
    rss = feedparser.parse(reader.get("/feed.rss?lang=en").data)
    titles = [entry.title for entry in rss.entries]
    assert len(titles) == 3
    assert any(title.startswith("Line 6 edited at the desk") for title in titles)
    calendar = icalendar.Calendar.from_ical(reader.get("/calendar.ics?lang=en").data)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 3
    edited = next(e for e in calendar.walk("VEVENT") if "edited" in str(e["SUMMARY"]))
    assert edited.to_ical().decode().count("CATEGORIES:metro\r\n") == 1


def test_reject_and_a_candidate_matching_a_stored_event(app: Flask, desk: FlaskClient) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    page = _review(desk, text)
    first = candidate_forms(page)[0]
    when = form_fields(first)["source_when"][0]
    page = _decide(desk, first, "reject")
    assert page.count('class="rejected"') == 1
    page = _decide(desk, _candidate(page, form_fields(candidate_forms(page)[0])["source_when"][0]),
                   "accept", source_name="")  # fmt: skip
    # Reviewed again: the accepted candidate now matches the stored event, and the
    # article can be made its source.
    again = _review(desk, text)
    assert "It matches a stored event:" in again
    source_form = re.search(r'<div class="existing">.*?(<form .*?</form>)', again, re.S)
    assert source_form is not None
    fields = form_fields(source_form.group(1)) | {"action": ["source"]}
    done = desk.post("/desk/review/candidate", data=fields)
    assert done.status_code == 200
    assert "The article is its source now." in done.get_data(as_text=True)
    events = app.test_client().get("/api/events").get_json()["events"]
    assert [e["source"]["name"] for e in events] == ["metro-line-6.txt"]
    assert when  # the rejected one was dated too


def test_a_review_writes_to_and_matches_in_its_timeline(app: Flask) -> None:
    admin = {"Authorization": f"Bearer {create_token(app, 'root', admin=True)}"}
    assert (
        app.test_client().post("/api/timelines", json={"slug": "metro"}, headers=admin).status_code
        == 201
    )
    make_account(app, "both", timelines=("main", "metro"))
    desk = app.test_client()
    sign_in(desk, "both")
    text = ARTICLE.read_text(encoding="utf-8")
    page = _review(desk, text, timeline="metro")
    assert 'id="review-timeline">metro</a>' in page
    page = _decide(desk, candidate_forms(page)[0], "accept")
    assert page.count('class="accepted"') == 1
    reader = app.test_client()
    metro = feedparser.parse(reader.get("/t/metro/feed.rss").data)
    assert len(metro.entries) == 1
    assert feedparser.parse(reader.get("/t/main/feed.rss").data).entries == []
    # The matches to stored events look in the review's timeline only.
    assert "It matches a stored event:" in _review(desk, text, timeline="metro")
    assert "It matches a stored event:" not in _review(desk, text, timeline="main")


def test_an_article_holding_a_script_shows_it_as_text(desk: FlaskClient) -> None:
    text = "<script>alert('x')</script> 美国亚马逊公司2月6日表示，该公司今年的资本支出将提高。"
    page = _review(desk, text, "2025-02-18")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_an_uploaded_html_article_is_read_as_text(desk: FlaskClient) -> None:
    html = (
        "<!doctype html><html><head><title>t</title><script>alert(1)</script></head><body>"
        "<p>美国亚马逊公司2月6日表示，该公司今年的资本支出将提高至1000亿美元。</p>"
        "<p>Meta&nbsp;said on <b>January 24</b> it would spend $65 billion.</p></body></html>"
    )
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', desk.get("/desk/review/").get_data(as_text=True)
    )
    assert token is not None
    response = desk.post(
        "/desk/review/",
        data={
            "csrf_token": token.group(1),
            "text": "",
            "published": "2025-02-18",
            "file": (io.BytesIO(html.encode()), "article.html"),
            "timeline": "main",
        },  # fmt: skip
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "alert(1)" not in page
    assert "<h2>Review an article: article.html</h2>" in page
    shown = re.search(r'<div class="article-text" id="article-text">(.*?)</div>', page, re.S)
    assert shown is not None
    text = re.sub(r"<[^>]+>", "", shown.group(1))
    assert text == (
        "美国亚马逊公司2月6日表示，该公司今年的资本支出将提高至1000亿美元。\n"
        "Meta said on January 24 it would spend $65 billion."
    )
    marked = re.findall(r'<mark id="when-\d+" class="when"><a [^>]*>([^<]+)</a>', page)
    assert marked[0] == "2月6日"


def test_html_text() -> None:
    assert looks_like_html("<p>a</p>") and not looks_like_html("a <script> b")
    assert html_text("<h1>T</h1><p>A &amp; B<br>C</p><style>x</style>") == "T\nA & B\nC"


def test_an_article_without_a_date_asks_for_one(desk: FlaskClient) -> None:
    form = {"text": "公司表示将提高资本支出。", "published": "", "timeline": "main"}
    response = post_form(desk, "/desk/review/", "/desk/review/", form)
    assert response.status_code == 422
    assert 'id="error-published"' in response.get_data(as_text=True)


def test_a_review_answer_asked_by_get_goes_to_the_start(desk: FlaskClient) -> None:
    response = desk.get("/desk/review/candidate?lang=zh")
    assert (response.status_code, response.headers["Location"]) == (303, "/desk/review/?lang=zh")
