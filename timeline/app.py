"""The Flask application factory, and the store's preparation before serving."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from timeline import config
from timeline.api import routes
from timeline.api import timelines as timelines_api
from timeline.http import db, errors, security
from timeline.http.timelines import register_per_timeline
from timeline.io import seeds
from timeline.publish import caching
from timeline.store.engine import begin_write
from timeline.web import desk, deskevents, deskreview, i18n, pages, timelinejs, views


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the service: load the configuration layers (see :mod:`timeline.config`),
    open the store, and register the blueprints. Does not migrate or seed: see
    :func:`prepare_store`. Raises what :func:`timeline.config.load_config` raises."""
    app = Flask("timeline", template_folder="web/templates", static_folder="web/static")
    config.load_config(app, test_config)
    logging.getLogger("timeline").setLevel(logging.INFO)
    db.init_app(app)
    errors.init_app(app, page=pages.error_page)
    i18n.init_app(app)
    caching.init_app(app)
    desk.init_app(app)
    security.init_app(app)  # outermost: it sees the fast path's answers too
    for documents in (pages.bp, views.bp, timelinejs.bp):
        register_per_timeline(app, documents)
    app.register_blueprint(routes.bp)
    app.register_blueprint(timelines_api.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(deskevents.bp)
    app.register_blueprint(deskreview.bp)
    return app


def prepare_store(
    app: Flask, *, force: bool = False, timeline: str | None = None
) -> seeds.SeedReport | None:
    """Migrate the store to the newest schema, derive the instants of wall times again
    if the tz database changed (:func:`timeline.http.db.prepare_engine`) and, if
    ``SEED_ON_START``, load the seed
    files (``SEED_FILES``, default: the project's ``seeds/*.toml``), keeping what people
    changed unless ``force``, into the timeline ``timeline`` (a slug; None: the one
    each file names, else the default: see :func:`timeline.io.seeds.load_seeds`); return what
    seeding did, or None when it did not run. Raises what
    :func:`timeline.store.migrations.upgrade` and :func:`timeline.io.seeds.load_seeds`
    raise."""
    db.prepare_engine(db.get_engine(app), app.config["LANGUAGE"])
    if not app.config["SEED_ON_START"]:
        return None
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        files = [Path(p) for p in app.config["SEED_FILES"]] or seeds.default_seed_files()
        report = seeds.load_seeds(
            session, files, force=force, timeline=timeline, language=app.config["LANGUAGE"]
        )
        session.commit()
    return report
