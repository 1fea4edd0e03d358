"""The ``timeline`` command: serve, migrate, seed, tokens, import and export."""

from __future__ import annotations

import tomllib

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from timeline import db, migrate
from timeline.config import ConfigError


def _create_app() -> Flask:
    from timeline.app import create_app

    return create_app()


class _Group(FlaskGroup):
    """The ``timeline`` group: a database that cannot be reached or opened, a database URL
    that is not one, a bad setting or configuration file, or a port that cannot be bound
    end any command with a one-line error and exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except sa.exc.OperationalError as error:
            raise click.ClickException(
                f"cannot use the database (TIMELINE_DATABASE_URL): {_first_line(error.orig)}"
            ) from None
        except sa.exc.ArgumentError as error:  # NoSuchModuleError too: postgres://, ...
            raise click.ClickException(
                f"TIMELINE_DATABASE_URL is not a database URL this service can use: "
                f"{_first_line(error)} (PostgreSQL: postgresql://user@host:5432/dbname)"
            ) from None
        except (ConfigError, tomllib.TOMLDecodeError) as error:
            raise click.ClickException(f"configuration: {_first_line(error)}") from None
        except OSError as error:  # a configuration file that cannot be read, a port in use
            raise click.ClickException(_first_line(error)) from None


def _first_line(error: BaseException | None) -> str:
    return (str(error).strip().splitlines() or [repr(error)])[0]


@click.group(cls=_Group, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """timeline: dated events as calendars and feeds."""


def init_app(app: Flask) -> None:
    """Register the commands on ``app.cli`` (so ``timeline`` and ``flask`` both have them)."""
    from timeline.auth import token_group
    from timeline.export import export_command
    from timeline.importer import import_command

    for command in (serve, db_group, seed, export_command, import_command, token_group):
        app.cli.add_command(command)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--dev", is_flag=True, help="Run Werkzeug's reloading development server.")
@with_appcontext
def serve(host: str, port: int, threads: int, dev: bool) -> None:
    """Migrate the store, load the seeds, and serve the timeline over HTTP (waitress)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    from timeline.app import prepare_store

    counts = prepare_store(app)
    if counts:
        click.echo("seeds: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    click.echo(f"listening on http://{host}:{port}/ (links use BASE_URL {app.config['BASE_URL']})")
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    import waitress

    waitress.serve(app, host=host, port=port, threads=threads, ident="timeline")


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema (or --revision)."""
    migrate.upgrade(db.get_engine(current_app), revision)
    click.echo(f"database at {revision}")


@click.command()
@with_appcontext
def seed() -> None:
    """Migrate, then load the seed files idempotently and list what changed."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    from timeline.app import prepare_store

    app.config["SEED_ON_START"] = True
    counts = prepare_store(app)
    click.echo(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no seed files")
