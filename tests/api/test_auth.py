"""Write tokens: every write needs a live one, they are stored as hashes only, managed by
the ``timeline token`` commands, and never logged."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import ApiClient
from timeline.api import auth
from timeline.http import db
from timeline.store.engine import begin_write
from timeline.store.models import ApiToken

REALM = 'Bearer realm="timeline"'
TALK = {"title": "Talk", "start": "2025-03-01T18:00:00", "timezone": "Europe/Berlin"}
WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/api/events", TALK | {"id": "new"}),
    ("PATCH", "/api/events/talk", {"title": "Changed"}),
    ("DELETE", "/api/events/talk", None),
]


@pytest.fixture
def revoked(app: Flask) -> str:
    """A token that was revoked."""
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        value = auth.create_token(session, "former")
        auth.revoke_token(session, "former")
        session.commit()
    return value


def _credentials(kind: str, token: str, revoked: str) -> dict[str, str]:
    return {
        "none": {},
        "wrong": {"Authorization": "Bearer " + "A" * 43},
        "almost": {"Authorization": f"Bearer {token[:-1]}x"},
        "revoked": {"Authorization": f"Bearer {revoked}"},
        "malformed": {"Authorization": "Bearer not a token"},
        "empty": {"Authorization": "Bearer "},
        "basic": {"Authorization": "Basic dGVzdGVyOnNlY3JldA=="},
        "bare": {"Authorization": token},
    }[kind]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize(
    ("kind", "invalid"),
    [
        ("none", False),
        ("basic", False),
        ("bare", False),
        ("wrong", True),
        ("almost", True),
        ("revoked", True),
        ("malformed", True),
        ("empty", True),
    ],
)
def test_every_write_needs_a_live_token(
    api: ApiClient,
    token: str,
    revoked: str,
    method: str,
    path: str,
    body: Any,
    kind: str,
    invalid: bool,
) -> None:
    api.created(TALK | {"id": "talk"})
    before = api.counts()
    response = api.client.open(
        path, method=method, json=body, headers=_credentials(kind, token, revoked)
    )
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(REALM)
    assert ('error="invalid_token"' in challenge) is invalid
    assert token not in response.get_data(as_text=True)
    assert api.counts() == before
    assert api.client.get("/api/events/talk").get_json()["title"] == "Talk"


def test_the_token_is_checked_before_the_body(client: FlaskClient) -> None:
    malformed = client.post("/api/events", data=b"{", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 401
    huge = client.post("/api/events", data=b"x" * 100_000, headers={"Content-Type": "text/plain"})
    assert huge.status_code == 401
    # A well-formed token is looked up after the body is read: a bad body still gets 401.
    unknown = {"Authorization": "Bearer " + "A" * 43}
    for data, kind in (
        (b"{", "application/json"),
        (b"{}", "application/json"),
        (b"x", "text/plain"),
    ):
        response = client.post("/api/events", data=data, headers=unknown | {"Content-Type": kind})
        assert response.status_code == 401, (data, kind)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_reads_are_public(api: ApiClient, client: FlaskClient) -> None:
    api.created(TALK | {"id": "talk"})
    for path in (
        "/api/events",
        "/api/events/talk",
        "/api/events/talk/revisions",
        "/api/openapi.json",
    ):
        assert client.get(path).status_code == 200, path


def test_the_token_name_is_the_author(api: ApiClient) -> None:
    api.created(TALK | {"id": "talk"})
    revisions = api.client.get("/api/events/talk/revisions").get_json()["revisions"]
    assert revisions[0]["author"] == "tester"


def test_only_the_hash_is_stored(app: Flask, token: str) -> None:
    with app.app_context():
        rows = db.get_session().execute(sa.select(ApiToken)).scalars().all()
    assert [row.name for row in rows] == ["tester"]
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert rows[0].token_hash != token
    assert all(token not in str(value) for value in vars(rows[0]).values())


def test_tokens_are_long_random_and_names_are_checked(app: Flask) -> None:
    with app.app_context():
        session = db.get_session()
        first = auth.create_token(session, "one")
        second = auth.create_token(session, "two.b_c-d")
        assert len(first) == 43 and first != second
        for name in ("", "two words", "x" * 101, "-dash", "one"):
            with pytest.raises(auth.TokenError):
                auth.create_token(session, name)
        with pytest.raises(auth.TokenError):
            auth.revoke_token(session, "nobody")
        assert auth.revoke_token(session, "one") is True
        assert auth.revoke_token(session, "one") is False
        with db.get_engine(app).connect() as connection:
            assert auth.token_name(connection, second) is None  # not committed
        session.commit()
        with db.get_engine(app).connect() as connection:
            assert auth.token_name(connection, second) == "two.b_c-d"
            assert auth.token_name(connection, first) is None


def test_token_commands(runner: FlaskCliRunner, client: FlaskClient) -> None:
    created = runner.invoke(args=["token", "create", "ci"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert len(token) == 43
    assert "shown only now" in created.stderr
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/events", json=TALK, headers=headers).status_code == 201
    again = runner.invoke(args=["token", "create", "ci"])
    assert again.exit_code == 1
    assert "exists already" in again.output
    listed = runner.invoke(args=["token", "list"])
    assert listed.exit_code == 0
    assert listed.stdout.startswith("ci\t") and listed.stdout.rstrip().endswith("\tactive\tmain")
    assert token not in listed.output
    assert hashlib.sha256(token.encode()).hexdigest() not in listed.output
    revoked = runner.invoke(args=["token", "revoke", "ci"])
    assert (revoked.exit_code, revoked.stdout) == (0, "token 'ci' revoked\n")
    assert client.post("/api/events", json=TALK, headers=headers).status_code == 401
    assert "revoked" in runner.invoke(args=["token", "list"]).stdout
    twice = runner.invoke(args=["token", "revoke", "ci"])
    assert (twice.exit_code, twice.stdout) == (0, "token 'ci' was revoked already\n")
    unknown = runner.invoke(args=["token", "revoke", "nobody"])
    assert unknown.exit_code == 1
    assert "no token named 'nobody'" in unknown.output


def test_a_token_never_reaches_the_logs(
    api: ApiClient, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "B" * 43
    with caplog.at_level(logging.DEBUG):
        api.created(TALK | {"id": "talk"})
        api.patch("talk", {"title": "Changed"})
        api.patch("talk", {"title": ""})
        api.client.post("/api/events", json=TALK, headers={"Authorization": f"Bearer {wrong}"})
        api.delete("talk")
    assert caplog.records  # the refused token was logged, without its value
    assert token not in caplog.text and wrong not in caplog.text
    assert hashlib.sha256(token.encode()).hexdigest() not in caplog.text
