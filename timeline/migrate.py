"""Schema migrations: Alembic, run programmatically over the app's engine."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

#: The Alembic scripts, beside the package (the project is installed editable).
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate the database of ``engine`` to ``revision`` (default: the newest).

    Runs in one transaction where the backend allows it (PostgreSQL and SQLite both do).
    Raises alembic.util.CommandError for an unknown revision.
    """
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def revision(engine: sa.Engine, message: str) -> None:
    """Write a new migration script under ``migrations/versions`` by comparing the models
    with the database of ``engine`` (Alembic autogenerate); for developers."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def is_current(engine: sa.Engine) -> bool:
    """Return True if the database of ``engine`` is at the newest migration."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        script = ScriptDirectory.from_config(_config(connection))
        return set(current) == set(script.get_heads())
