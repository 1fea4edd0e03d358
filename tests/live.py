"""A real ``timeline serve`` process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """A running server: its base URL and process; once stopped, what it printed (stdout
    and stderr together)."""

    url: str
    process: subprocess.Popen[bytes]
    output: str = ""


def timeline_command() -> list[str]:
    """The ``timeline`` console script of this environment."""
    script = Path(sys.executable).with_name("timeline")
    return [str(script)] if script.exists() else [shutil.which("timeline") or "timeline"]


def cli_environment(database_url: str) -> dict[str, str]:
    """The environment of a ``timeline`` command on ``database_url``."""
    environ = os.environ | {"TIMELINE_DATABASE_URL": database_url}
    for name in ("TIMELINE_CONFIG", "TIMELINE_BASE_URL", "TIMELINE_ID_DOMAIN"):
        environ.pop(name, None)
    return environ


def create_token(database_url: str, name: str, *options: str) -> str:
    """Create a write token with ``timeline token create NAME [OPTIONS]`` (``--admin``,
    ``--timeline SLUG``) and return it."""
    done = subprocess.run(
        [*timeline_command(), "token", "create", name, *options],
        env=cli_environment(database_url),
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout.strip()


def create_account(database_url: str, name: str, password: str, *rights: str) -> None:
    """Create the desk account ``name`` with ``timeline user create NAME RIGHTS...``
    (``--admin``, ``--timeline SLUG``), ``password`` given on standard input."""
    subprocess.run(
        [*timeline_command(), "user", "create", name, *rights],
        env=cli_environment(database_url),
        input=password + "\n",
        capture_output=True,
        check=True,
        text=True,
    )


@contextmanager
def live_server(
    database_url: str, *, env: dict[str, str] | None = None, base_url: bool = True
) -> Iterator[LiveServer]:
    """Run ``timeline serve`` on ``database_url`` until the block ends (with
    TIMELINE_BASE_URL set to its address unless not ``base_url``); wait (at most 30 s)
    until ``/healthz`` answers 200. Raises RuntimeError if it never does."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environ = cli_environment(database_url) | ({"TIMELINE_BASE_URL": url} if base_url else {})
    environ |= env or {}
    process = subprocess.Popen(
        [*timeline_command(), "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"timeline serve exited: {output}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("timeline serve did not answer /healthz within 30 s")
            time.sleep(0.1)
        server = LiveServer(url=url, process=process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            if "server" in locals():
                server.output = process.stdout.read().decode()
            process.stdout.close()
