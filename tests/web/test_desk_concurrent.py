"""One desk form sent several times at once (a double click, a reload while it loads),
to a real ``timeline serve``: each copy is answered with the one event it made, never a
503, on SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

from tests.live import create_account, live_server
from tests.web.desk import PASSWORD

_HIDDEN = re.compile(r'<input type="hidden" name="(csrf_token|key)" value="([^"]*)"')


class _Stay(urllib.request.HTTPRedirectHandler):
    """Answers a redirect with its own status (303), not the page it leads to."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _hidden(opener: urllib.request.OpenerDirector, url: str) -> dict[str, str]:
    with opener.open(url, timeout=10) as page:
        text = page.read().decode()
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(text)}


def _send(opener: urllib.request.OpenerDirector, url: str, form: dict[str, str]) -> str:
    """POST ``form``; return its status and Location, as ``303 /desk/...``."""
    data = urllib.parse.urlencode(form).encode()
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return f"{response.status}"
    except urllib.error.HTTPError as error:
        return f"{error.code} {error.headers.get('Location', '')}".strip()


def test_a_new_event_form_sent_at_once_makes_one_event(database_url: str) -> None:
    create_account(database_url, "editor", PASSWORD, "--timeline", "main")
    env = {"TIMELINE_SEED_ON_START": "false", "TIMELINE_SECRET_KEY": "k" * 48}
    with live_server(database_url, env=env) as server:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _Stay()
        )
        sign_in = _hidden(opener, server.url + "/desk/sign-in")
        form = {"name": "editor", "password": PASSWORD} | sign_in
        assert _send(opener, server.url + "/desk/sign-in", form).startswith("303")
        fields = _hidden(opener, server.url + "/desk/events/new?timeline=main")
        assert set(fields) == {"csrf_token", "key"}
        form = fields | {
            "timeline": "main",
            "language": "en",
            "title_en": "Sent at once",
            "start": "2025-06-01",
        }
        start = threading.Barrier(8)

        def send(_: int) -> str:
            start.wait()
            return _send(opener, server.url + "/desk/events/new", form)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, range(8)))
        with urllib.request.urlopen(server.url + "/api/events", timeout=10) as response:
            stored = [event["id"] for event in json.loads(response.read())["events"]]
    target = "303 /desk/events/2025-06-01-sent-at-once/edit?saved=1"
    assert Counter(answers) == {target: 8}, (answers, server.output)
    assert stored == ["2025-06-01-sent-at-once"]
