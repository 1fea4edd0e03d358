"""``timeline serve`` as a newcomer runs it: links on the port it serves, "listening" said
only once bound, a base URL without a scheme refused, the example ID_DOMAIN warned about."""

from __future__ import annotations

import select
import socket
import subprocess
import urllib.request

import pytest
from lxml import html as lxml_html

from tests.live import cli_environment, free_port, live_server, timeline_command
from timeline.cli import served_base_url


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        text: str = response.read().decode()
        return text


def test_links_follow_the_port_served_when_base_url_is_not_set(database_url: str) -> None:
    with live_server(database_url, base_url=False) as server:
        page = lxml_html.fromstring(_get(server.url + "/"))
        rss = _get(server.url + "/feed.rss")
    host = server.url.removeprefix("http://")
    assert page.xpath('//a[@id="subscribe-webcal"]/@href') == [f"webcal://{host}/calendar.ics"]
    assert page.xpath('//a[@id="download-ics"]/@href') == [f"{server.url}/calendar.ics"]
    assert f"<link>{server.url}</link>" in rss or f"<link>{server.url}/</link>" in rss
    lines = server.output.splitlines()
    assert f"listening on {server.url}/ (links use BASE_URL {server.url})" in lines
    # The example ID_DOMAIN is warned about, once the server is bound.
    warning = [line for line in lines if line.startswith("warning: ID_DOMAIN")]
    assert warning == [
        "warning: ID_DOMAIN is the example timeline.example.org: every UID and guid is built on "
        "it, so set TIMELINE_ID_DOMAIN once, for good, before publishing"
    ]


def test_an_explicit_base_url_and_id_domain_are_kept(database_url: str) -> None:
    env = {"TIMELINE_BASE_URL": "https://events.example.org", "TIMELINE_ID_DOMAIN": "news.test"}
    with live_server(database_url, base_url=False, env=env) as server:
        page = lxml_html.fromstring(_get(server.url + "/"))
    assert page.xpath('//a[@id="download-ics"]/@href') == [
        "https://events.example.org/calendar.ics"
    ]
    assert "warning" not in server.output
    assert "(links use BASE_URL https://events.example.org)" in server.output


def test_a_port_in_use_is_one_error_line_and_no_listening(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*timeline_command(), "serve", "--port", str(port)],
            env=cli_environment(database_url) | {"TIMELINE_SEED_ON_START": "false"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert "listening" not in done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "Address already in use" in line


def test_a_base_url_without_a_scheme_is_refused_at_start(database_url: str) -> None:
    done = subprocess.run(
        [*timeline_command(), "serve", "--port", str(free_port())],
        env=cli_environment(database_url) | {"TIMELINE_BASE_URL": "127.0.0.1:8001"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr.strip()) == (
        1,
        "",
        "Error: configuration: setting BASE_URL must be an absolute http or https URL such as "
        "https://events.example.org, not '127.0.0.1:8001'",
    )


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8001, "http://127.0.0.1:8001"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000"),
        ("::", 8000, "http://[::1]:8000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("localhost", 8080, "http://localhost:8080"),
    ],
)
def test_served_base_url(host: str, port: int, url: str) -> None:
    assert served_base_url(host, port) == url


def _status_line(sock: socket.socket) -> str:
    received = b""
    while b"\r\n" not in received:
        data = sock.recv(4096)
        if not data:
            break
        received += data
    return received.split(b"\r\n")[0].decode()


def test_an_upload_over_max_content_length_is_cut_off_as_it_arrives(database_url: str) -> None:
    # Waitress used to read up to 1 GiB of a chunked body into a temporary file before
    # the app answered 401: a few anonymous uploads could fill the disk.
    env = {"TIMELINE_SEED_ON_START": "false"}
    mib = 1024 * 1024
    chunk = b"%x\r\n" % mib + b" " * mib + b"\r\n"
    with live_server(database_url, env=env) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(
                b"POST /api/events HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            sent = 0
            for _ in range(64):  # at most 64 MiB
                if select.select([sock], [], [], 0.05)[0]:
                    break  # the server has answered
                try:
                    sock.sendall(chunk)
                except OSError:  # it has closed the connection
                    break
                sent += 1
            else:
                sock.sendall(b"0\r\n\r\n")
            status = _status_line(sock)
        # Over MAX_CONTENT_LENGTH (128 KiB) announced: refused before any byte of it.
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                b"POST /api/events HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                b"Content-Type: application/json\r\nContent-Length: 419430400\r\n\r\n"
            )
            announced = _status_line(sock)
    assert status.startswith("HTTP/1.1 413 "), (status, sent)
    assert sent < 16
    assert announced.startswith("HTTP/1.1 413 ")
