"""Fixtures: an app on a fresh database per test (a temporary SQLite file, or a fresh
schema on the PostgreSQL server named by TIMELINE_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import orm

from timeline import db
from timeline.app import create_app, prepare_store

BASE_URL = "https://example.org"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, dropped after the test."""
    server = os.environ.get("TIMELINE_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'timeline.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = db.make_engine(server)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


class AppFactory(Protocol):
    """Makes an app on the test's database; keyword arguments override configuration."""

    def __call__(self, **overrides: object) -> Flask: ...


@pytest.fixture
def make_app(database_url: str) -> Iterator[AppFactory]:
    """A factory of apps on the test's database (several apps share it, as several
    processes would); each is migrated, not seeded unless asked."""
    apps: list[Flask] = []

    def factory(**overrides: object) -> Flask:
        settings: dict[str, object] = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "BASE_URL": BASE_URL,
            "SEED_ON_START": False,
        }
        settings.update(overrides)
        app = create_app(settings)
        prepare_store(app)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        db.get_engine(app).dispose()


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    """The service on an empty, migrated store."""
    return make_app()


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
