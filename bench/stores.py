"""Throw-away stores for the benchmark: SQLite files under /tmp/timeline-bench, or
schemas on the PostgreSQL server, and apps over them."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from timeline.app import create_app
from timeline.http import db
from timeline.store import migrations
from timeline.store.engine import make_engine

WORK_DIR = Path(os.environ.get("TIMELINE_BENCH_DIR", "/tmp/timeline-bench"))
POSTGRES = os.environ.get("TIMELINE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Store:
    """A database for one benchmark: its SQLAlchemy URL and how to drop it."""

    url: str
    drop: Callable[[], None]
    path: Path | None = None

    def size_bytes(self) -> int | None:
        """Return the size of the SQLite file with its WAL, or None on PostgreSQL."""
        if self.path is None:
            return None
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))


def sqlite_store(name: str) -> Store:
    """Return an empty, migrated SQLite file ``<WORK_DIR>/<name>.db`` (replacing one)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / f"{name}.db"

    def drop() -> None:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()

    drop()
    store = Store(url=f"sqlite:///{path}", drop=drop, path=path)
    _migrate(store.url)
    return store


def postgres_store(name: str) -> Store:
    """Return an empty, migrated schema ``bench_<name>_<random>`` on :data:`POSTGRES`."""
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()

    store = Store(url=url.render_as_string(hide_password=False), drop=drop)
    _migrate(store.url)
    return store


def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        migrations.upgrade(engine)
    finally:
        engine.dispose()


def make_app(url: str, **overrides: Any) -> Flask:
    """Return a new service app over ``url`` (empty in-memory caches, no seeds, and an
    empty spool of its own under WORK_DIR, so that nothing rendered by an earlier app
    is sent from disk)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {
        "DATABASE_URL": url,
        "BASE_URL": BASE_URL,
        "SEED_ON_START": False,
        "SPOOL_DIR": tempfile.mkdtemp(dir=WORK_DIR, prefix="spool-"),
    }
    settings.update(overrides)
    return create_app(settings)


def close_app(app: Flask) -> None:
    """Close the app's database connections and remove its spool."""
    db.close_app(app)
    shutil.rmtree(app.config["SPOOL_DIR"], ignore_errors=True)


def server_env(url: str, port: int) -> dict[str, str]:
    """Return the environment of a ``timeline serve`` subprocess over ``url`` on ``port``."""
    env = dict(os.environ)
    env.update(
        TIMELINE_DATABASE_URL=url,
        TIMELINE_SEED_ON_START="false",
        TIMELINE_BASE_URL=f"http://127.0.0.1:{port}",
        TIMELINE_SPOOL_DIR=str(WORK_DIR / f"spool-{port}"),
    )
    env.pop("TIMELINE_CONFIG", None)
    return env
