"""What every answer tells the browser: the pages' Content Security Policy (no script, the
page's own assets only, never framed), no MIME sniffing, the referrer policy; and
redirects that never take their Location from the request's Host."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from timeline.http.security import PAGE_POLICY, relative_location

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
GROK = "2025-02-17-xai-grok-3"


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def test_the_policy_allows_the_pages_own_assets_and_no_script() -> None:
    directives = dict(d.strip().split(" ", 1) for d in PAGE_POLICY.split(";"))
    assert directives == {
        "default-src": "'none'",
        "style-src": "'self'",
        "img-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/?tag=summit&lang=zh", 200),
        ("/?lang=en", 200),
        (f"/events/{GROK}", 200),
        ("/events/nope", 404),
        ("/?lang=fr", 400),
    ],
)
def test_every_page_sends_the_policy(seeded: FlaskClient, path: str, status: int) -> None:
    # Twice: the second answer of a page whose language ?lang= names comes from the fast
    # path, without Flask.
    for _ in range(2):
        response = seeded.get(path, headers=BROWSER)
        assert response.status_code == status
        assert response.mimetype == "text/html"
        assert response.headers["Content-Security-Policy"] == PAGE_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    etag = response.headers.get("ETag")
    if etag is not None:
        again = seeded.get(path, headers=BROWSER | {"If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["X-Content-Type-Options"] == "nosniff"
    # Nothing in the page needs the policy relaxed: no script, no inline style, no
    # asset of another site.
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert page.xpath("//script | //style | //*[@style] | //iframe | //object | //embed") == []
    assert [a for a in page.xpath("//@*") if a.attrname.startswith("on")] == []
    assert page.xpath("//link[@rel='stylesheet']/@href") == ["/static/style.css"]
    assert page.xpath("//img") == []


@pytest.mark.parametrize(
    "path",
    [
        "/feed.rss",
        "/calendar.ics",
        "/timeline.json",
        "/api/events",
        "/api/events/nope",
        "/feed.rss?colour=red",
        "/static/style.css",
        "/healthz",
    ],
)
def test_every_other_answer_is_never_sniffed(seeded: FlaskClient, path: str) -> None:
    for _ in range(2):  # the feeds' second answer comes from the fast path
        response = seeded.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" not in response.headers
        response.close()


@pytest.mark.parametrize("host", ["evil.example", "example.org", "127.0.0.1:8000"])
def test_a_redirect_never_takes_its_location_from_the_host(seeded: FlaskClient, host: str) -> None:
    # Werkzeug's merged-slashes redirect was 308 Location: http://evil.example/events/x.
    response = seeded.get(f"/events//{GROK}", headers={"Host": host})
    assert response.status_code == 308
    assert response.headers["Location"] == f"/events/{GROK}"
    assert seeded.get(response.headers["Location"]).status_code == 200


def test_a_relative_location_never_reads_as_another_host() -> None:
    environ = {"HTTP_HOST": "h.example", "SERVER_NAME": "0.0.0.0", "SERVER_PORT": "8000"}
    assert relative_location("http://h.example//evil.example/x?a=1", environ) == (
        "/evil.example/x?a=1"
    )
    assert relative_location("http://0.0.0.0:8000/a", environ) == "/a"
    assert relative_location("https://calendar.google.com/r", environ) == (
        "https://calendar.google.com/r"
    )
    assert relative_location("/already", environ) == "/already"
