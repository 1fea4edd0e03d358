"""Desk forms sent several times at once (a double click, a reload while it loads), to a
real ``timeline serve``, on SQLite and on PostgreSQL: a new event is made once and each
copy is answered with it; of copies of one edit, one saves and the others are told the
event changed meanwhile (412); of copies of one deletion, one deletes and the others find
it gone (410). Never a 500 or a 503."""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar

from tests.live import create_account, live_server
from tests.web.desk import PASSWORD

_HIDDEN = re.compile(r'<input type="hidden" name="(csrf_token|key|sequence)" value="([^"]*)"')


class _Stay(urllib.request.HTTPRedirectHandler):
    """Answers a redirect with its own status (303), not the page it leads to."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class _Desk:
    """A signed-in editor's browser on a live server at ``url``."""

    url: str
    opener: urllib.request.OpenerDirector
    output: str = ""

    def hidden(self, path: str) -> dict[str, str]:
        """The hidden fields (CSRF token, key, sequence) of the form at ``path``."""
        with self.opener.open(self.url + path, timeout=10) as page:
            text = page.read().decode()
        return {name: html.unescape(value) for name, value in _HIDDEN.findall(text)}

    def send(self, path: str, form: dict[str, str]) -> str:
        """POST ``form`` to ``path``; return its status and Location (``303 /desk/...``)."""
        data = urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.url + path, data=data, timeout=60) as response:
                return f"{response.status}"
        except urllib.error.HTTPError as error:
            return f"{error.code} {error.headers.get('Location', '')}".strip()

    def at_once(self, path: str, form: dict[str, str], n: int) -> Counter[str]:
        """POST ``form`` to ``path`` ``n`` times at once; count the answers."""
        start = threading.Barrier(n)

        def send(_: int) -> str:
            start.wait()
            return self.send(path, form)

        with ThreadPoolExecutor(n) as pool:
            return Counter(pool.map(send, range(n)))

    def stored(self) -> list[dict[str, object]]:
        """The default timeline's events, through the API."""
        with urllib.request.urlopen(self.url + "/api/events", timeout=10) as response:
            events: list[dict[str, object]] = json.loads(response.read())["events"]
            return events


@contextmanager
def _signed_in(database_url: str) -> Iterator[_Desk]:
    create_account(database_url, "editor", PASSWORD, "--timeline", "main")
    env = {"TIMELINE_SEED_ON_START": "false", "TIMELINE_SECRET_KEY": "k" * 48}
    with live_server(database_url, env=env) as server:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _Stay()
        )
        desk = _Desk(server.url, opener)
        form = {"name": "editor", "password": PASSWORD} | desk.hidden("/desk/sign-in")
        assert desk.send("/desk/sign-in", form).startswith("303")
        try:
            yield desk
        finally:
            desk.output = server.output


EVENT = {"timeline": "main", "language": "en", "title_en": "Sent at once", "start": "2025-06-01"}
EDIT = "/desk/events/2025-06-01-sent-at-once/edit"


def test_a_new_event_form_sent_at_once_makes_one_event(database_url: str) -> None:
    with _signed_in(database_url) as desk:
        fields = desk.hidden("/desk/events/new?timeline=main")
        assert set(fields) == {"csrf_token", "key"}
        answers = desk.at_once("/desk/events/new", fields | EVENT, 8)
        stored = [event["id"] for event in desk.stored()]
    assert answers == {f"303 {EDIT}?saved=1": 8}, (answers, desk.output)
    assert stored == ["2025-06-01-sent-at-once"]


def test_an_edit_or_a_deletion_sent_at_once_is_made_once(database_url: str) -> None:
    with _signed_in(database_url) as desk:
        made = desk.send("/desk/events/new", desk.hidden("/desk/events/new") | EVENT)
        assert made == f"303 {EDIT}?saved=1"
        fields = desk.hidden(EDIT)
        assert fields["sequence"] == "0"
        edit = fields | EVENT | {"title_en": "Edited at once"}
        edited = desk.at_once(EDIT, edit, 12)
        (event,) = desk.stored()
        assert (event["title"], event["sequence"]) == ("Edited at once", 1)
        delete = {"csrf_token": fields["csrf_token"]}
        deleted = desk.at_once("/desk/events/2025-06-01-sent-at-once/delete", delete, 8)
        assert desk.stored() == []
    home = "303 /desk/?deleted=2025-06-01-sent-at-once"
    assert edited == {f"303 {EDIT}?saved=1": 1, "412": 11}, (edited, desk.output)
    assert deleted == {home: 1, "410": 7}, (deleted, desk.output)
