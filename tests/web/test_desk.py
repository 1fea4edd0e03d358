"""The editor's desk over the test client: sign-in, sessions, CSRF, the limit on failed
sign-ins, rights, and the event forms with the API's validation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import BASE_URL, AppFactory
from tests.web.desk import PASSWORD, csrf_token, make_account, post_form, sign_in
from timeline.http import db
from timeline.store.accounts import Account, SignInFailure, check_password
from timeline.store.models import Event, Revision
from timeline.web.desk import _kept_secret

EVENT = {
    "title_en": "Metro line 6 opens",
    "title_zh": "地铁6号线开通",
    "description_en": "",
    "description_zh": "",
    "language": "en",
    "start": "2025-09-25",
    "end": "",
    "precision": "",
    "timezone": "",
    "organizations": "Riverside Metro",
    "tags": "metro, transport",
    "location": "",
    "url": "",
    "source_name": "",
    "source_published": "",
    "source_locator": "",
    "source_when": "",
    "timeline": "default",
}


@pytest.fixture
def desk(app: Flask) -> FlaskClient:
    """A client signed in as ``editor``, an editor of the default timeline."""
    make_account(app)
    client = app.test_client()
    assert sign_in(client).status_code == 303
    return client


def _events(app: Flask) -> list[tuple[str, int, bool]]:
    with app.app_context():
        rows = db.get_session().execute(sa.select(Event.id, Event.sequence, Event.deleted))
        return sorted((r.id, r.sequence, r.deleted) for r in rows)


def test_passwords_are_kept_as_argon2id_hashes(app: Flask) -> None:
    make_account(app)
    with app.app_context():
        session = db.get_session()
        account = session.get(Account, "editor")
        assert account is not None
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        assert check_password(session, "editor", PASSWORD) is account
        assert check_password(session, "editor", PASSWORD + "x") is None
        assert check_password(session, "nobody", PASSWORD) is None


def test_the_desk_needs_a_sign_in(app: Flask, client: FlaskClient) -> None:
    response = client.get("/desk/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/sign-in?next=/desk/"
    assert client.get("/desk/review/").headers["Location"].startswith("/desk/sign-in")


def test_session_cookie_is_secure_httponly_lax_and_ends_at_sign_out(app: Flask) -> None:
    make_account(app)
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/desk/"
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie")
    assert cookie.startswith("timeline_desk=")
    # BASE_URL is https: Secure (SECURE_COOKIES = "auto").
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(p.strip() for p in cookie.split(";"))
    assert BASE_URL.startswith("https://")
    saved = client.get_cookie("timeline_desk")
    assert saved is not None
    assert client.get("/desk/").status_code == 200
    page = client.get("/desk/")
    out = client.post("/desk/sign-out", data={"csrf_token": csrf_token(page)})
    assert out.status_code == 303
    assert client.get("/desk/").status_code == 303
    # The old cookie, replayed, opens nothing: the session ended on the server.
    client.set_cookie("timeline_desk", saved.value)
    assert client.get("/desk/").status_code == 303


def test_cookies_over_plain_http_when_asked(make_app: AppFactory) -> None:
    app = make_app(BASE_URL="http://127.0.0.1:8000", SECURE_COOKIES="auto")
    make_account(app)
    cookie = sign_in(app.test_client()).headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    app: Flask, desk: FlaskClient
) -> None:
    response = desk.post("/desk/events/new", data=EVENT, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    wrong = desk.post("/desk/events/new", data=EVENT | {"csrf_token": "forged"})
    assert wrong.status_code == 400
    assert _events(app) == []
    # Sign-in is a form too.
    assert (
        desk.post("/desk/sign-in", data={"name": "editor", "password": PASSWORD}).status_code == 400
    )


def test_the_sixth_wrong_password_in_a_row_gets_429(app: Flask) -> None:
    make_account(app)
    client = app.test_client()
    for _ in range(5):
        response = sign_in(client, password="wrong password!")
        assert response.status_code == 200
        assert "Wrong name or password." in response.get_data(as_text=True)
    sixth = sign_in(client, password="wrong password!")
    assert sixth.status_code == 429
    assert sixth.headers["Retry-After"] == "900"
    assert "Try again in 15 minutes" in sixth.get_data(as_text=True)
    # The right password too, meanwhile; and from this address, another account.
    assert sign_in(client).status_code == 429
    make_account(app, "other")
    assert sign_in(client, "other").status_code == 429
    # Once SIGN_IN_LOCK_SECONDS have passed since the last failure, it may sign in.
    with app.app_context():
        session = db.get_session()
        earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=901)
        session.execute(sa.update(SignInFailure).values(last=earlier))
        session.commit()
    assert sign_in(client).status_code == 303
    with app.app_context():
        keys = db.get_session().scalars(sa.select(SignInFailure.key)).all()
    assert "account:editor" not in keys


def test_an_event_made_in_the_form(app: Flask, desk: FlaskClient) -> None:
    response = post_form(desk, "/desk/events/new", "/desk/events/new", EVENT)
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/events/2025-09-25-metro-line-6-opens/edit?saved=1"
    assert _events(app) == [("2025-09-25-metro-line-6-opens", 0, False)]
    event = app.test_client().get("/api/events/2025-09-25-metro-line-6-opens").get_json()
    assert event["titles"] == {"en": "Metro line 6 opens", "zh": "地铁6号线开通"}
    assert (event["start"], event["end"], event["precision"]) == ("2025-09-25", "2025-09-25", "day")
    assert event["tags"] == ["metro", "transport"]
    assert event["organizations"] == ["Riverside Metro"]
    with app.app_context():
        authors = db.get_session().scalars(sa.select(Revision.author)).all()
    assert authors == ["desk:editor"]


def test_errors_show_next_to_their_field_and_nothing_is_stored(
    app: Flask, desk: FlaskClient
) -> None:
    bad = EVENT | {"start": "2025-02-30", "title_en": "", "title_zh": "", "url": "javascript:x"}
    response = post_form(desk, "/desk/events/new", "/desk/events/new", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("start", "title_en", "url"):
        assert f'id="error-{name}"' in page, name
        assert re.search(rf'name="{name}"[^>]*aria-invalid="true"', page), name
    assert _events(app) == []
    # What was typed stays in the form.
    assert 'value="2025-02-30"' in page


def test_edit_history_and_delete(app: Flask, desk: FlaskClient) -> None:
    post_form(desk, "/desk/events/new", "/desk/events/new", EVENT)
    edit = "/desk/events/2025-09-25-metro-line-6-opens/edit"
    page = desk.get(edit).get_data(as_text=True)
    assert 'value="Metro line 6 opens"' in page and 'name="sequence" value="0"' in page
    changed = EVENT | {"title_en": "Metro line 6 opens to riders", "precision": "month",
                       "title_zh": "", "sequence": "0"}  # fmt: skip
    response = post_form(desk, edit, edit, changed)
    assert response.status_code == 303
    event = app.test_client().get("/api/events/2025-09-25-metro-line-6-opens").get_json()
    assert event["titles"] == {"en": "Metro line 6 opens to riders"}
    assert (event["start"], event["precision"]) == ("2025-09", "month")
    # A form made from an older revision is refused: the event changed meanwhile.
    stale = post_form(desk, edit, edit, changed | {"title_en": "Again", "sequence": "0"})
    assert stale.status_code == 412
    history = desk.get("/desk/events/2025-09-25-metro-line-6-opens/history")
    text = history.get_data(as_text=True)
    assert text.count('<li id="revision-') == 2
    assert "Metro line 6 opens to riders" in text and "desk:editor" in text
    confirm = "/desk/events/2025-09-25-metro-line-6-opens/delete"
    assert desk.get(confirm).status_code == 200
    assert post_form(desk, confirm, confirm, {}).status_code == 303
    assert _events(app) == [("2025-09-25-metro-line-6-opens", 2, True)]
    assert app.test_client().get("/api/events/2025-09-25-metro-line-6-opens").status_code == 410


def test_an_editor_writes_only_to_its_timelines(app: Flask) -> None:
    make_account(app, "elsewhere", timelines=("fed-rates",))
    client = app.test_client()
    sign_in(client, "elsewhere")
    response = post_form(client, "/desk/events/new", "/desk/events/new", EVENT)
    assert response.status_code == 403
    assert _events(app) == []


def test_user_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(args=["user", "create", "ana", "--timeline", "default"],
                         input="a long password\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "account 'ana' created (editor of default)" in made.output
    short = runner.invoke(args=["user", "create", "bo", "--admin"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    listed = runner.invoke(args=["user", "list"])
    assert listed.output.startswith("ana\tdefault\t")
    assert "a long password" not in listed.output
    client = app.test_client()
    assert sign_in(client, "ana", "a long password").status_code == 303
    assert runner.invoke(args=["user", "delete", "ana"]).exit_code == 0
    assert client.get("/desk/").status_code == 303


def test_the_desk_in_chinese_keeps_its_language(app: Flask) -> None:
    make_account(app)
    client = app.test_client()
    page = client.get("/desk/sign-in?lang=zh")
    text = page.get_data(as_text=True)
    assert '<html lang="zh">' in text and "登录编辑台" in text
    assert 'action="/desk/sign-in?lang=zh"' in text
    answer = client.post(
        "/desk/sign-in?lang=zh",
        data={"csrf_token": csrf_token(page), "name": "editor", "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/desk/?lang=zh"
    home = client.get("/desk/?lang=zh").get_data(as_text=True)
    assert "审阅文章" in home and 'href="/desk/review/?lang=zh"' in home


def test_a_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    first = _kept_secret(str(folder))
    assert len(first) == 64 and _kept_secret(str(folder)) == first
    assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]
