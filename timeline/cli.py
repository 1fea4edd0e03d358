"""The ``timeline`` command: serve, db, seed, token, import, export and expire-tombstones,
each on the database that the configuration names."""

from __future__ import annotations

import datetime as dt
import gc
import tomllib
from importlib import metadata
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext

from timeline import config
from timeline.api.auth import token_group
from timeline.app import create_app, prepare_store
from timeline.extract.command import extract_command
from timeline.http import db
from timeline.http.db import with_store
from timeline.http.queuelog import limit_queue_warnings
from timeline.io.export import export_command
from timeline.io.importer import import_command
from timeline.io.seeds import SeedError
from timeline.publish.documents import store_calendar_parts
from timeline.store import migrations, writes
from timeline.store.engine import begin_write
from timeline.store.timelines import SLUG
from timeline.web import pages
from timeline.web.deskusers import user_group

#: Shown under every command's help: what decides where it acts.
ENVIRONMENT = """\b
Environment:
  TIMELINE_DATABASE_URL  the database to act on (SQLite file or postgresql://...)
  TIMELINE_BASE_URL      the public URL that links, UIDs and feeds are built on
  TIMELINE_CONFIG        a TOML file of settings (see config/example.toml)
  TIMELINE_<KEY>         any other setting, e.g. TIMELINE_FEED_MAX_ITEMS=20"""


def _settings() -> str:
    """The database and base URL that a command would use now, as a help paragraph (the
    password hidden), or what stops the configuration from loading."""
    app = Flask("timeline")
    try:
        config.load_config(app)
        url = sa.make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    except (config.ConfigError, tomllib.TOMLDecodeError, OSError, sa.exc.ArgumentError) as error:
        return f"\b\nNow: the configuration does not load: {_first_line(error)}"
    return f"\b\nNow:\n  database  {url}\n  base URL  {app.config['BASE_URL']}"


def _describe(command: click.Command, epilog: str) -> None:
    """Give ``command`` and every command under it ``epilog``."""
    command.epilog = epilog
    for sub in getattr(command, "commands", {}).values():
        _describe(sub, epilog)


class _Group(click.Group):
    """The ``timeline`` group. Every command's help ends with the environment variables that
    matter and the database it would act on now. A database that cannot be reached or
    opened, a database URL that is not one, a bad setting, configuration or seed file, or a
    port that cannot be bound end any command with a one-line error and exit status 1, not
    a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _describe(self, f"{ENVIRONMENT}\n\n{_settings()}")
        return super().main(*args, **kwargs)

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
        except (config.ConfigError, tomllib.TOMLDecodeError) as error:
            raise click.ClickException(f"configuration: {_first_line(error)}") from None
        except SeedError as error:  # timeline serve and seed alike
            raise click.ClickException(f"seeds: {_first_line(error)}") from None
        except OSError as error:  # a configuration file that cannot be read, a port in use
            raise click.ClickException(_first_line(error)) from None


def _first_line(error: BaseException | None) -> str:
    return (str(error).strip().splitlines() or [repr(error)])[0]


@click.group(cls=_Group, context_settings={"terminal_width": 100, "max_content_width": 100})
@click.version_option(metadata.version("timeline"), "-V", "--version", prog_name="timeline")
@click.pass_context
def main(ctx: click.Context) -> None:
    """timeline: dated events as calendars and feeds.

    Every command acts on the database that TIMELINE_DATABASE_URL names (by default
    the SQLite file instance/timeline.db), migrated to the newest schema first."""
    if ctx.obj is None:  # tests hand in a ScriptInfo of their own app
        ctx.obj = ScriptInfo(create_app=create_app)


def served_base_url(host: str, port: int) -> str:
    """The base URL of a server listening on ``host`` and ``port`` when BASE_URL is not
    set: ``http://127.0.0.1:8001``, ``http://[::1]:8000``; a wildcard address (``0.0.0.0``,
    ``::``) gives the loopback address of its family."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@main.command()
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
def serve(host: str, port: int, threads: int, dev: bool) -> None:
    """Migrate, seed, and serve the timeline over HTTP.

    Migrates the database to the newest schema, loads the seed files unless
    TIMELINE_SEED_ON_START is false, then serves with waitress (or, with --dev,
    Werkzeug's reloading server). Without TIMELINE_BASE_URL, links use the address
    served (http://HOST:PORT)."""
    overrides: dict[str, object] = {}
    layers = config.read_layers()
    if not layers["BASE_URL"]:
        overrides["BASE_URL"] = served_base_url(host, port)
    if int(layers["DB_POOL_SIZE"]) < threads:  # a request holds one connection at a time
        overrides["DB_POOL_SIZE"] = threads
    app = create_app(overrides)
    report = prepare_store(app)
    if report is not None:
        for line in report.lines():
            click.echo(f"seeds: {line}")
    if dev:  # Werkzeug says where it listens once it does
        app.run(host=host, port=port, debug=True)
        return
    import waitress

    pages.warm_up(app)
    limit_queue_warnings()
    # What start-up made lives as long as the process: the collector skips it from now
    # on, so its full collections no longer go through every object of the app.
    gc.collect()
    gc.freeze()

    # Waitress reads a whole body (spooled to disk) before the app sees it: its limit is
    # the app's, so that a body over MAX_CONTENT_LENGTH is cut off as it arrives (413).
    # Waitress refuses a body of its limit or more, the app one over MAX_CONTENT_LENGTH.
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="timeline",
        max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]) + 1,
    )
    if app.config["ID_DOMAIN"] == config.DEFAULTS["ID_DOMAIN"]:
        click.echo(
            f"warning: ID_DOMAIN is the example {config.DEFAULTS['ID_DOMAIN']}: every UID and "
            "guid is built on it, so set TIMELINE_ID_DOMAIN once, for good, before publishing",
            err=True,
        )
    click.echo(f"listening on http://{host}:{port}/ (links use BASE_URL {app.config['BASE_URL']})")
    server.run()


@main.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema (or --revision)."""
    migrations.upgrade(
        db.get_engine(current_app), revision, language=current_app.config["LANGUAGE"]
    )
    if revision == "head":
        # Parts that the new code or data renders differently, stored before any GET.
        store_calendar_parts(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"database at {revision}")


@main.command()
@click.argument(
    "files", nargs=-1, metavar="[FILE ...]", type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--force",
    is_flag=True,
    help="Bring every seeded event back to its entry, even one changed since by the API.",
)
@click.option(
    "--timeline",
    metavar="SLUG",
    help="The timeline the events go into (default: the file's `timeline` key, else the "
    "default timeline); made when missing.",
)
@with_appcontext
def seed(files: tuple[str, ...], force: bool, timeline: str | None) -> None:
    """Migrate, then load the seed files and list what changed.

    FILES are seed files to load instead of the configured ones (SEED_FILES, by default
    seeds/*.toml), such as a draft of `timeline extract` once reviewed. Missing events
    are added; an event is updated when its entry changed since it was seeded and nobody
    changed it since; one edited or deleted through the API (or an import) is left as
    it is, and listed with why. --force overwrites such edits (deleted events stay
    deleted) and says so. Run twice, nothing changes."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.config["SEED_ON_START"] = True
    if files:
        app.config["SEED_FILES"] = list(files)
    if timeline is not None and not SLUG.fullmatch(timeline):
        raise click.BadParameter(f"{timeline!r} is no slug", param_hint="--timeline")
    report = prepare_store(app, force=force, timeline=timeline)
    assert report is not None
    for line in report.lines():
        click.echo(line)


@main.command("expire-tombstones")
@with_store
def expire_tombstones_command() -> None:
    """Take deleted events out of the calendars once TOMBSTONE_DAYS have passed.

    A deleted event stays in the calendars as STATUS:CANCELLED (a tombstone) so that
    clients which copied it drop it; each deletion ends the tombstones that are old
    enough, and this command does it when nothing is deleted (run it daily, from cron).
    Prints the ids of the events taken out."""
    session = db.get_session()
    begin_write(session)
    now = dt.datetime.now(dt.UTC)
    expired = writes.expire_tombstones(session, now, int(current_app.config["TOMBSTONE_DAYS"]))
    session.commit()
    for event_id in expired:
        click.echo(f"expired {event_id}")
    click.echo(f"{len(expired)} tombstones expired")


for _command in (export_command, extract_command, import_command, token_group, user_group):
    main.add_command(_command)
