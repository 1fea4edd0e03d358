"""Schema migrations: Alembic, run programmatically over the app's engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

#: The Alembic scripts, beside the package (the project is installed editable).
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _config(connection: sa.Connection, language: str = "en") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["language"] = language
    return config


@contextmanager
def _migrating(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in one transaction for a migration. On SQLite, foreign keys are off
    meanwhile (a batch migration copies, drops and renames tables, which they would
    refuse) and checked before the commit. Raises sqlalchemy.exc.IntegrityError if a
    migration left a dangling reference."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # must precede the transaction: inside one the pragma does nothing
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise sa.exc.IntegrityError(
                        "PRAGMA foreign_key_check", None, ValueError("dangling reference")
                    )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def upgrade(engine: sa.Engine, revision: str = "head", *, language: str = "en") -> None:
    """Migrate the database of ``engine`` to ``revision`` (default: the newest), in one
    transaction (PostgreSQL and SQLite both allow it). Texts stored before events had
    languages are taken to be in ``language`` (the configured LANGUAGE, a BCP 47 tag).
    Raises alembic.util.CommandError for an unknown revision."""
    with _migrating(engine) as connection:
        command.upgrade(_config(connection, language), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Migrate the database of ``engine`` down to ``revision``, as :func:`upgrade`."""
    with _migrating(engine) as connection:
        command.downgrade(_config(connection), revision)


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
