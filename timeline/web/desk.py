"""The editor's desk, its door: sign-in and sign-out, the session cookie, the limit on
failed sign-ins, and CSRF protection (Flask-WTF) on every form of the desk."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from timeline.http import db
from timeline.store import accounts
from timeline.store.accounts import Account
from timeline.store.engine import begin_write
from timeline.store.rights import Principal, may_write
from timeline.web import i18n
from timeline.web.pages import subscribe_links

log = logging.getLogger("timeline")
bp = Blueprint("desk", __name__, url_prefix="/desk")
csrf = CSRFProtect()
P = ParamSpec("P")
R = TypeVar("R")
#: The key of the session cookie's value that holds the sign-in token.
TOKEN = "desk"


def init_app(app: Flask) -> None:
    """Set up what the desk needs: a ``SECRET_KEY`` (the setting, else one kept in the
    instance folder's ``secret_key``, mode 0600, made on first start), the session
    cookie (HttpOnly, SameSite=Lax, Secure as ``SECURE_COOKIES`` says: ``auto`` when
    ``BASE_URL`` is https), and Flask-WTF's CSRF tokens, checked on every POST of the
    desk (not of the API, whose writes carry a bearer token and no cookie)."""
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _kept_secret(app.instance_path)
    secure = app.config["SECURE_COOKIES"]
    https = str(app.config["BASE_URL"]).startswith("https://")
    app.config.update(
        SESSION_COOKIE_NAME="timeline_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure == "always" or (secure == "auto" and https),
        SESSION_COOKIE_PATH="/",
        WTF_CSRF_CHECK_DEFAULT=False,  # checked by the desk alone: see _protect
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session
        WTF_CSRF_SSL_STRICT=https,
    )
    app.session_interface = CookieSessions()
    csrf.init_app(app)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's sessions in a signed cookie, opened without building the cookie's signer
    (itsdangerous, tens of µs) when the request carries no session cookie: the API's
    writes, feed polls and pages of readers who never signed in to the desk. Such a
    request gets the empty session Flask would give it; one with the cookie is read as
    Flask reads it."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return the request's session: empty, without a signer, when the request has
        no session cookie (and the app a secret key); else Flask's own reading."""
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def _kept_secret(instance: str) -> str:
    """The key kept in ``instance/secret_key``, made (48 random URL-safe characters) if
    there is none: written to a file of its own, then linked into place, so that
    processes starting at once all read the one that won."""
    path = os.path.join(instance, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance, mode=0o700, exist_ok=True)
        draft = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    with open(path, encoding="ascii") as file:
        return file.read().strip()


@bp.before_app_request
def _protect() -> None:
    """Refuse a desk form posted without its CSRF token (400, nothing changed); find the
    signed-in account, if any."""
    if request.blueprint is None or not request.blueprint.startswith("desk"):
        return
    if request.method == "POST":
        csrf.protect()
    g.account = _signed_in()
    # Ends the read, so that a write of this request begins as one (SQLite: IMMEDIATE).
    db.get_session().commit()


def _signed_in() -> Account | None:
    token = session.get(TOKEN)
    if not isinstance(token, str):
        return None
    return accounts.session_account(db.get_session(), token)


def current_account() -> Account | None:
    """The account signed in on this request (desk pages only), or None."""
    account: Account | None = g.get("account")
    return account


def signed_in(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Decorate a desk view to need a signed-in account: others go to the sign-in page
    (with ``next``, the page asked for, a path of this site)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if current_account() is None:
            return see_other(desk_url("desk.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def current_principal() -> Principal:
    """Who the signed-in account is when it writes (:func:`accounts.principal`); abort
    with 403 when none is signed in."""
    account = current_account()
    if account is None:
        abort(403, description=i18n.gettext("You may not write to this timeline."))
    return accounts.principal(account)


def require_right(timeline_id: int) -> Principal:
    """Return the signed-in account's principal if it may write to the timeline
    ``timeline_id`` (:func:`timeline.store.rights.may_write`, as the API's tokens);
    else abort with 403."""
    principal = current_principal()
    if not may_write(principal, timeline_id):
        abort(403, description=i18n.gettext("You may not write to this timeline."))
    return principal


def desk_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` keeping the page's ``?lang=``, so that a form's
    answer and the page it leads to speak the language the editor chose."""
    lang = request.args.get("lang")
    if lang and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


@bp.app_context_processor
def _desk_helpers() -> dict[str, object]:
    return {"desk_url": desk_url}


def see_other(location: str) -> Response:
    """A ``303 See Other`` to ``location`` (a path of this site): after a form's POST, the
    browser GETs the page it names (RFC 9110 §15.4.4)."""
    return Response(status=303, headers={"Location": location})


def render_desk(template: str, status: int = 200, **values: object) -> Response:
    """A desk page: never cached, in the page's language."""
    body = render_template(template, links=subscribe_links(), account=current_account(), **values)
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return i18n.vary(response)


def _throttle_keys(name: str) -> list[str]:
    return [f"account:{name[:100]}", f"address:{request.remote_addr or '-'}"]


def _local(target: str | None) -> str:
    """``target`` if it is a path of this site (``/desk/...``), else the desk's start."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return desk_url("desk_events.home")


@bp.get("/sign-in")
def sign_in() -> Response:
    """The sign-in form."""
    return render_desk("desk/sign_in.html", error=None, name="", next=request.args.get("next"))


@bp.post("/sign-in")
def sign_in_post() -> Response:
    """Sign in: a session cookie for a right name and password; the form again with an
    error otherwise; 429 once ``SIGN_IN_MAX_FAILURES`` sign-ins in a row failed for the
    account or the client address, for ``SIGN_IN_LOCK_SECONDS`` after the last."""
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    keys = _throttle_keys(name)
    limit = int(current_app.config["SIGN_IN_MAX_FAILURES"])
    lock = dt.timedelta(seconds=int(current_app.config["SIGN_IN_LOCK_SECONDS"]))
    store = db.get_session()
    begin_write(store)
    if accounts.locked(store, keys, limit, lock):
        store.rollback()
        log.warning("refused a sign-in: too many failures in a row")
        minutes = -(-int(lock.total_seconds()) // 60)
        detail = i18n.gettext(
            "Too many failed sign-ins in a row. Try again in %(minutes)s minutes.",
            minutes=minutes,
        )
        response = render_desk(
            "desk/sign_in.html", 429, error=detail, name=name, next=request.form.get("next")
        )
        response.headers["Retry-After"] = str(int(lock.total_seconds()))
        return response
    account = accounts.check_password(store, name, password)
    if account is None:
        accounts.record_failure(store, keys, lock)
        store.commit()
        error = i18n.gettext("Wrong name or password.")
        return render_desk(
            "desk/sign_in.html", 200, error=error, name=name, next=request.form.get("next")
        )
    accounts.clear_failures(store, keys)
    lifetime = dt.timedelta(seconds=int(current_app.config["DESK_SESSION_SECONDS"]))
    token = accounts.open_session(store, account, lifetime)
    store.commit()
    session.clear()  # a new session: no fixation of an old one
    session[TOKEN] = token
    return see_other(_local(request.form.get("next")))


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign out: the session ends on the server and its cookie is cleared."""
    token = session.get(TOKEN)
    if isinstance(token, str):
        store = db.get_session()
        begin_write(store)
        accounts.close_session(store, token)
        store.commit()
    session.clear()
    return see_other(desk_url("desk.sign_in"))
