"""Faults: the database going away and coming back, a server killed mid-write."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.live import live_server
from tests.proxy import Proxy


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def postgres_url(database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    yield database_url


def test_database_unreachable_gives_503_then_recovers(postgres_url: str) -> None:
    url = sa.make_url(postgres_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    try:
        with live_server(through_proxy.render_as_string(hide_password=False)) as server:
            assert _get(server.url + "/calendar.ics")[0] == 200
            proxy.cut()
            for path in ("/healthz", "/calendar.ics", "/feed.atom", "/"):
                status, headers, body = _get(server.url + path)
                assert status == 503, path
                assert headers["Retry-After"] == "5"
                assert headers["Content-Type"] == "application/problem+json"
                assert b"Traceback" not in body and b"psycopg" not in body
            proxy.restore()
            deadline = time.monotonic() + 20
            while _get(server.url + "/healthz")[0] != 200:
                assert time.monotonic() < deadline, "did not recover within 20 s"
                time.sleep(0.2)
            status, _headers, body = _get(server.url + "/calendar.ics")
            assert status == 200 and body.count(b"BEGIN:VEVENT") == 21
    finally:
        proxy.cut()
