"""Helpers of the desk's tests: accounts made through the store, and a test client that
signs in and posts forms with their CSRF token, as a browser does."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from timeline.http import db
from timeline.store import accounts
from timeline.store.engine import begin_write
from timeline.store.timelines import default_timeline

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_account(
    app: Flask, name: str = "editor", *, admin: bool = False, timelines: tuple[str, ...] = ()
) -> None:
    """Create the account ``name`` with :data:`PASSWORD` (an editor of the default
    timeline unless ``admin`` or ``timelines`` say otherwise)."""
    with app.app_context():
        session = db.get_session()
        if not admin and not timelines:
            timelines = (default_timeline(session).slug,)
        begin_write(session)
        accounts.create_account(session, name, PASSWORD, admin=admin, timelines=timelines)
        session.commit()


def csrf_token(page: TestResponse) -> str:
    """The CSRF token of the first form of ``page``."""
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found is not None, "no CSRF token on the page"
    return html.unescape(found.group(1))


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, Any]) -> TestResponse:
    """GET ``page``, then POST ``data`` to ``action`` with the page's CSRF token."""
    token = csrf_token(client.get(page))
    return client.post(action, data={"csrf_token": token, **data})


def sign_in(client: FlaskClient, name: str = "editor", password: str = PASSWORD) -> TestResponse:
    """Sign in through the form; returns the answer to the POST."""
    return post_form(client, "/desk/sign-in", "/desk/sign-in", {"name": name, "password": password})


def hidden_fields(form: str) -> dict[str, list[str]]:
    """The hidden inputs and the hidden article text of one form's HTML."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(html.unescape(value))
    text = re.search(r'<textarea name="text" hidden>(.*?)</textarea>', form, re.S)
    if text:
        fields["text"] = [html.unescape(text.group(1))]
    return fields


def form_fields(form: str) -> dict[str, list[str]]:
    """Every value one form's HTML would send: hidden fields, text inputs, textareas,
    selected options and checked boxes."""
    fields = hidden_fields(form)
    for name, value in re.findall(
        r'<input id="[^"]*" name="([^"]+)" type="text" value="([^"]*)"', form
    ):
        fields[name] = [html.unescape(value)]
    for name, value in re.findall(
        r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        fields[name] = [html.unescape(value)]
    for name, options in re.findall(
        r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', form, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        if chosen:
            fields[name] = [chosen.group(1)]
    for name in re.findall(r'<input id="[^"]*" name="([^"]+)" type="checkbox" checked>', form):
        fields[name] = ["on"]
    return fields


def candidate_forms(page: str) -> list[str]:
    """The HTML of each candidate's accept-or-reject form on a review page."""
    return re.findall(
        r'<form class="event-form" method="post" action="/desk/review/candidate".*?</form>',
        page,
        re.S,
    )
