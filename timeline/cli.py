"""The ``timeline`` command: serve, migrate, seed, tokens, import and export."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from timeline import db, migrate


def _create_app() -> Flask:
    from timeline.app import create_app

    return create_app()


class _Group(FlaskGroup):
    """The ``timeline`` group: a database that cannot be reached or opened ends any
    command with a one-line error and exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except sa.exc.OperationalError as error:
            reason = str(error.orig or error).strip().splitlines()[0]
            raise click.ClickException(
                f"cannot use the database (TIMELINE_DATABASE_URL): {reason}"
            ) from None


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
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
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
