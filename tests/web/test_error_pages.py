"""A person's browser gets an HTML error page in the site's layout; API clients, feed readers
and curl keep the problem document (RFC 9457)."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from tests.conftest import delete_event

#: What Chromium and Firefox send when they open a page.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
DELETED = "2025-02-09-ai-action-summit"


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    delete_event(seeded_app, DELETED)
    return seeded_app.test_client()


@pytest.mark.parametrize(
    ("url", "status", "heading", "detail"),
    [
        ("/events/nope", 404, "Not Found (404)", "There is no event with id 'nope'."),
        (
            "/?from=17/02/2025",
            400,
            "Bad query parameter (400)",
            "from='17/02/2025' is not a date of the form YYYY-MM-DD",
        ),
        (f"/events/{DELETED}", 410, "Gone (410)", f"The event '{DELETED}' was deleted."),
    ],
)
def test_a_browser_gets_an_html_error_page(
    seeded: FlaskClient, url: str, status: int, heading: str, detail: str
) -> None:
    response = seeded.get(url, headers={"Accept": BROWSER})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Vary"] == "Accept-Language, Accept"
    assert response.headers["Cache-Control"] == "no-store"
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert page.xpath("//html/@lang") == ["en"]
    assert page.xpath("//section[@class='error']/h2")[0].text_content() == heading
    assert page.xpath("//p[@class='detail']")[0].text_content() == detail
    assert page.xpath("//header[@class='site']/h1/a/@href") == ["/"]  # the site's layout
    # Every other client keeps the problem document, with the same status and detail.
    for accept in (None, "*/*", "application/json", "application/problem+json"):
        problem = seeded.get(url, headers={"Accept": accept} if accept else {})
        assert problem.status_code == status
        assert problem.headers["Content-Type"] == "application/problem+json"
        assert problem.headers["Vary"] == "Accept"
        assert json.loads(problem.data)["detail"] == detail


def test_the_api_answers_browsers_with_problem_documents(seeded: FlaskClient) -> None:
    for url in ("/api/events/nope", "/api/events?limit=0", "/api"):
        response = seeded.get(url, headers={"Accept": BROWSER})
        assert response.status_code in (400, 404), url
        assert response.headers["Content-Type"] == "application/problem+json", url


def test_a_405_keeps_its_allow_header_on_the_html_page(seeded: FlaskClient) -> None:
    response = seeded.post("/", headers={"Accept": BROWSER})
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
