"""Fixtures: an app on a fresh database per test (a temporary SQLite file, or a fresh
schema on the PostgreSQL server named by TIMELINE_TEST_DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import click
import feedparser
import hypothesis
import icalendar
import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import orm
from werkzeug.test import TestResponse

from timeline.app import create_app, prepare_store
from timeline.cli import main
from timeline.http import db
from timeline.store.engine import begin_write, make_engine

BASE_URL = "https://example.org"
#: The recurrence and status members of the API's output of an ordinary event.
NOT_RECURRING: dict[str, Any] = {
    "status": "confirmed",
    "rrule": None,
    "rdate": [],
    "exdate": [],
    "recurrence_of": None,
    "recurrence_id": None,
    "occurrences": None,
}

# Property tests explore new examples on every run on a developer's machine; CI
# (HYPOTHESIS_PROFILE=ci, set by .ci/run) runs the same examples every time, so that a
# submission's result does not depend on the draw. A failure found locally is printed
# with the blob that reproduces it: add it to the test as @hypothesis.example.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis.settings.register_profile("dev", print_blob=True)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@contextmanager
def fresh_database(tmp_path: Path, name: str) -> Iterator[str]:
    """Yield the URL of an empty database, dropped afterwards: the SQLite file ``name``
    under ``tmp_path``, or a new schema on the PostgreSQL server named by
    TIMELINE_TEST_DATABASE_URL."""
    server = os.environ.get("TIMELINE_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / name}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(server)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, dropped after the test."""
    with fresh_database(tmp_path, "timeline.db") as url:
        yield url


@pytest.fixture
def other_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of a second empty database, apart from :func:`database_url`: for moving
    events from one store to another (``make_app(DATABASE_URL=other_database_url)``)."""
    with fresh_database(tmp_path, "other.db") as url:
        yield url


class CliRunner(FlaskCliRunner):
    """``app.test_cli_runner()``: runs the ``timeline`` command (not Flask's) on the app."""

    def invoke(
        self,
        cli: click.Command | None = None,
        args: str | Sequence[str] | None = None,
        *more: Any,
        **kwargs: Any,
    ) -> Result:
        return super().invoke(cli or main, args, *more, **kwargs)


class AppFactory(Protocol):
    """Makes an app on the test's database; keyword arguments override configuration."""

    def __call__(self, **overrides: object) -> Flask: ...


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[AppFactory]:
    """A factory of apps on the test's database (several apps share it, as several
    processes would, and their spool); each is migrated, not seeded unless asked."""
    apps: list[Flask] = []

    def factory(**overrides: object) -> Flask:
        settings: dict[str, object] = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "BASE_URL": BASE_URL,
            "SEED_ON_START": False,
            "SPOOL_DIR": str(tmp_path / "spool"),
        }
        settings.update(overrides)
        app = create_app(settings)
        app.test_cli_runner_class = CliRunner
        prepare_store(app)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        db.close_app(app)


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    """The service on an empty, migrated store."""
    return make_app()


def delete_event(app: Flask, event_id: str) -> None:
    """Delete the stored event ``event_id`` through the store, as a writer would, and
    commit (a tombstone; raises AssertionError if there is no such event)."""
    from timeline.store import writes
    from timeline.store.models import Event

    with app.app_context():
        session = db.get_session()
        event = session.get(Event, event_id)
        assert event is not None, event_id
        writes.delete_event(session, event, author="t")
        session.commit()


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's clock seconds after every change the test makes, so that documents
    carry Last-Modified (which is not sent within the second of a change:
    :func:`timeline.publish.fastpath.last_modified`)."""
    # An hour, not seconds: on a loaded machine setting up a seeded app takes seconds.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    monkeypatch.setattr("timeline.publish.fastpath.utcnow", lambda: later)


@pytest.fixture
def seeded_app(make_app: AppFactory) -> Flask:
    """The service on a store holding the project's seed events."""
    return make_app(SEED_ON_START=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[orm.Session]:
    """A session on the app's store, inside an app context."""
    with app.app_context():
        yield db.get_session()


# The JSON API: a write token, and a client that writes with it and checks the feeds.


@pytest.fixture
def token(app: Flask) -> str:
    """A live write token named ``tester``, created through :mod:`timeline.api.auth`."""
    return create_token(app)


def create_token(
    app: Flask, name: str = "tester", *, timelines: Sequence[str] | None = None, admin: bool = False
) -> str:
    """Create a live write token ``name`` on ``app``'s store and return it: it writes to
    the timelines ``timelines`` (slugs; None: the default one), or everywhere, ``admin``."""
    from timeline.api import auth

    with app.app_context():
        session = db.get_session()
        begin_write(session)
        value = auth.create_token(session, name, timelines=timelines, admin=admin)
        session.commit()
    return value


@pytest.fixture
def auth_headers(token: str) -> dict[str, str]:
    """The Authorization header of :func:`token`."""
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Feeds:
    """Every published document, fetched and parsed: the ICS bytes and calendar, RSS and
    Atom as feedparser reads them (with the served Content-Type), and the JSON Feed."""

    ics: bytes
    calendar: icalendar.Calendar
    rss: Any
    atom: Any
    json: dict[str, Any]


class ApiClient:
    """The test client writing JSON with a token, plus the store's row counts and the
    feeds, each asserted to be served (200) and to parse (feedparser bozo 0)."""

    def __init__(self, app: Flask, client: FlaskClient, headers: dict[str, str]) -> None:
        self.app = app
        self.client = client
        self.headers = headers

    def post(self, body: object, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.post("/api/events", json=body, headers=self.headers | (headers or {}))

    def patch(
        self, event_id: str, body: object, headers: dict[str, str] | None = None
    ) -> TestResponse:
        return self.client.patch(
            f"/api/events/{event_id}", json=body, headers=self.headers | (headers or {})
        )

    def delete(self, event_id: str, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.delete(f"/api/events/{event_id}", headers=self.headers | (headers or {}))

    def created(self, body: object) -> dict[str, Any]:
        """POST ``body``, assert 201, and return the stored event."""
        response = self.post(body)
        assert response.status_code == 201, response.get_data(as_text=True)
        data: dict[str, Any] = response.get_json()
        return data

    def counts(self) -> tuple[int, int]:
        """Return the numbers of event rows (tombstones included) and revisions."""
        from timeline.store.models import Event, Revision

        with self.app.app_context():
            session = db.get_session()
            events = session.scalar(sa.select(sa.func.count()).select_from(Event))
            revisions = session.scalar(sa.select(sa.func.count()).select_from(Revision))
        return int(events or 0), int(revisions or 0)

    def feeds(self) -> Feeds:
        """Fetch /calendar.ics, /feed.rss, /feed.atom and /feed.json and parse them."""
        bodies = {}
        for path in ("/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json"):
            response = self.client.get(path)
            assert response.status_code == 200, path
            bodies[path] = (response.data, response.headers["Content-Type"])
        parsed = {}
        for path in ("/feed.rss", "/feed.atom"):
            body, content_type = bodies[path]
            parsed[path] = feedparser.parse(body, response_headers={"content-type": content_type})
            assert parsed[path].bozo == 0, (path, parsed[path].get("bozo_exception"))
        ics = bodies["/calendar.ics"][0]
        return Feeds(
            ics=ics,
            calendar=icalendar.Calendar.from_ical(ics),
            rss=parsed["/feed.rss"],
            atom=parsed["/feed.atom"],
            json=json.loads(bodies["/feed.json"][0]),
        )


@pytest.fixture
def api(app: Flask, client: FlaskClient, auth_headers: dict[str, str]) -> ApiClient:
    """The API of the test's app, writing with the ``tester`` token."""
    return ApiClient(app, client, auth_headers)
