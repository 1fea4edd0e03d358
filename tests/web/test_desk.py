"""The editor's desk over the test client: sign-in, sessions, CSRF, the limit on failed
sign-ins, rights, and the event forms with the API's validation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, request
from flask.testing import FlaskClient

from tests.conftest import BASE_URL, AppFactory, create_token
from tests.web.desk import PASSWORD, csrf_token, make_account, post_form, sign_in
from timeline.http import db
from timeline.store.accounts import Account, AccountTimeline, SignInFailure, check_password
from timeline.store.models import Event, Revision
from timeline.web.desk import CookieSessions, _kept_secret

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
    "timeline": "main",
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


def test_a_request_without_the_session_cookie_builds_no_signer(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The API's writes and the feed polls carry no session cookie: their empty session
    # is made without itsdangerous' signer, which a request with the cookie still uses.
    make_account(app)
    signed_in = app.test_client()
    assert sign_in(signed_in).status_code == 303
    built: list[str] = []
    signer = CookieSessions.get_signing_serializer

    def counted(self: CookieSessions, flask_app: Flask) -> Any:
        built.append(request.path)
        return signer(self, flask_app)

    monkeypatch.setattr(CookieSessions, "get_signing_serializer", counted)
    anonymous = app.test_client()
    assert anonymous.get("/t/main/feed.json").status_code == 200
    assert anonymous.get("/desk/").status_code == 303  # to the sign-in page
    assert built == []
    assert signed_in.get("/desk/").status_code == 200
    assert built and set(built) == {"/desk/"}


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


def test_a_form_key_the_desk_did_not_make_is_refused_and_nothing_is_stored(
    app: Flask, desk: FlaskClient
) -> None:
    # The key is kept as the Idempotency-Key "desk:<key>", in 200 characters: a longer
    # one was a 500 on PostgreSQL (value too long), and stored on SQLite.
    for key in ("q" * 196, "with space", "é"):
        response = post_form(desk, "/desk/events/new", "/desk/events/new", EVENT | {"key": key})
        assert response.status_code == 400, key
        assert "This form is not one the desk made: open it again." in response.text
    assert _events(app) == []
    for _ in range(2):  # the longest key the desk keeps, sent twice: one event
        response = post_form(
            desk, "/desk/events/new", "/desk/events/new", EVENT | {"key": "q" * 195}
        )
        assert response.status_code == 303
    assert _events(app) == [("2025-09-25-metro-line-6-opens", 0, False)]


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


def _two_timelines(app: Flask) -> dict[str, str]:
    """The timeline ``fed`` beside ``main``; the events ``main-only`` (in main), ``fed-only``
    (in fed) and ``shared`` (in both), made through the API with an admin token."""
    client = app.test_client()
    admin = {"Authorization": f"Bearer {create_token(app, 'root', admin=True)}"}
    assert client.post("/api/timelines", json={"slug": "fed"}, headers=admin).status_code == 201
    for path, event_id in (("/api/events", "main-only"), ("/api/timelines/fed/events", "fed-only"),
                           ("/api/events", "shared")):  # fmt: skip
        body = {"id": event_id, "title": event_id, "start": "2025-03-19"}
        assert client.post(path, json=body, headers=admin).status_code == 201
    assert client.put("/api/timelines/fed/events/shared", headers=admin).status_code in (200, 201)
    return admin


def _in(app: Flask, slug: str) -> list[str]:
    """The ids of the events in the timeline ``slug``'s JSON Feed."""
    feed = app.test_client().get(f"/t/{slug}/feed.json").get_json()
    return sorted(item["id"].rsplit(":", 1)[-1] for item in feed["items"])


def test_an_editor_writes_only_to_its_timelines(app: Flask) -> None:
    _two_timelines(app)
    make_account(app, "fed-editor", timelines=("fed",))
    client = app.test_client()
    assert sign_in(client, "fed-editor").status_code == 303
    before = _events(app)
    assert (_in(app, "main"), _in(app, "fed")) == (["main-only", "shared"], ["fed-only", "shared"])
    # Adding to main, editing or deleting an event main holds: 403, nothing changed.
    new = "/desk/events/new?timeline=fed"
    assert (
        post_form(client, new, "/desk/events/new", EVENT | {"timeline": "main"}).status_code == 403
    )
    for event_id in ("main-only", "shared"):
        edit = f"/desk/events/{event_id}/edit"
        assert client.get(edit).status_code == 403
        token = csrf_token(client.get(new))
        changed = EVENT | {"csrf_token": token, "sequence": "0", "title_en": "Changed"}
        assert client.post(edit, data=changed).status_code == 403
        assert client.get(f"/desk/events/{event_id}/delete").status_code == 403
        assert (
            client.post(f"/desk/events/{event_id}/delete", data={"csrf_token": token}).status_code
            == 403
        )
    assert client.get("/desk/?timeline=main").status_code == 403
    review = {"text": "美国亚马逊公司2月6日表示。", "published": "2025-02-18", "timeline": "main"}
    assert post_form(client, new, "/desk/review/", review).status_code == 403
    assert _events(app) == before
    assert (_in(app, "main"), _in(app, "fed")) == (["main-only", "shared"], ["fed-only", "shared"])
    # Its own timeline: listed on its desk, written, and nowhere else.
    home = client.get("/desk/").get_data(as_text=True)
    assert 'id="row-fed-only"' in home and 'id="row-shared"' in home
    assert 'id="row-main-only"' not in home
    assert '<option value="main"' not in client.get(new).get_data(as_text=True)
    edit = "/desk/events/fed-only/edit"
    answer = post_form(client, edit, edit, EVENT | {"sequence": "0", "title_en": "Rates held"})
    assert answer.status_code == 303
    made = post_form(client, new, "/desk/events/new", EVENT | {"timeline": "fed"})
    assert made.status_code == 303
    assert _in(app, "fed") == ["2025-09-25-metro-line-6-opens", "fed-only", "shared"]
    assert _in(app, "main") == ["main-only", "shared"]
    with app.app_context():
        author = db.get_session().scalar(
            sa.select(Revision.author).where(
                Revision.event_id == "fed-only", Revision.sequence == 1
            )
        )
    assert author == "desk:fed-editor"


def test_an_admin_account_writes_everywhere(app: Flask) -> None:
    _two_timelines(app)
    make_account(app, "boss", admin=True)
    client = app.test_client()
    sign_in(client, "boss")
    home = client.get("/desk/").get_data(as_text=True)
    assert 'id="row-main-only"' in home and 'id="row-fed-only"' not in home
    assert 'id="row-fed-only"' in client.get("/desk/?timeline=fed").get_data(as_text=True)
    confirm = "/desk/events/shared/delete"
    assert post_form(client, confirm, confirm, {}).status_code == 303
    assert (_in(app, "main"), _in(app, "fed")) == (["main-only"], ["fed-only"])
    assert client.get("/desk/?timeline=nowhere").status_code == 404


def test_a_right_goes_with_its_timeline(app: Flask) -> None:
    admin = _two_timelines(app)
    make_account(app, "fed-editor", timelines=("fed",))
    client = app.test_client()
    sign_in(client, "fed-editor")
    # Renamed, the timeline keeps its editors; deleted, it takes their rights along.
    renamed = app.test_client().patch("/api/timelines/fed", json={"slug": "fomc"}, headers=admin)
    assert renamed.status_code == 200
    assert 'aria-current="page">fomc</a>' in client.get("/desk/").get_data(as_text=True)
    assert app.test_client().delete("/api/timelines/fomc", headers=admin).status_code == 204
    assert client.get("/desk/").status_code == 403
    with app.app_context():
        assert db.get_session().scalars(sa.select(AccountTimeline)).all() == []


def test_user_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["user", "create", "ana", "--timeline", "nowhere"],
                            input="a long password\n")  # fmt: skip
    assert unknown.exit_code == 1 and "Error: there is no timeline 'nowhere'" in unknown.output
    assert "Password" not in unknown.output
    made = runner.invoke(args=["user", "create", "ana", "--timeline", "main"],
                         input="a long password\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "account 'ana' created (editor of main)" in made.output
    short = runner.invoke(args=["user", "create", "bo", "--admin"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    listed = runner.invoke(args=["user", "list"])
    assert listed.output.startswith("ana\tmain\t")
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
