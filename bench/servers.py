"""Subprocesses serving HTTP on 127.0.0.1: ``timeline serve`` and the ceiling."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.stores import WORK_DIR, server_env

TIMELINE = Path(sys.executable).with_name("timeline")
ROOT = Path(__file__).resolve().parent.parent
THREADS = 8


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(url: str, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers (any status); raise TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def _process(args: list[str], env: dict[str, str] | None, log: str, ready: str) -> Iterator[int]:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with (WORK_DIR / log).open("wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_ready(ready)
            yield proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def timeline_server(url: str, port: int, threads: int = THREADS) -> Iterator[int]:
    """Run ``timeline serve`` over the database ``url`` on ``port``; yield its pid."""
    args = [str(TIMELINE), "serve", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--threads", str(threads)]
    with _process(
        args, server_env(url, port), f"serve-{port}.log", f"http://127.0.0.1:{port}/healthz"
    ) as pid:
        yield pid


@contextmanager
def ceiling_server(
    directory: Path, port: int, threads: int = THREADS, flask: bool = False
) -> Iterator[int]:
    """Run :mod:`bench.ceiling` over ``directory`` on ``port``; yield its pid."""
    args = [sys.executable, "-m", "bench.ceiling", str(directory), "--port", str(port)]
    args += ["--threads", str(threads)] + (["--flask"] if flask else [])
    with _process(args, None, f"ceiling-{port}.log", f"http://127.0.0.1:{port}/304") as pid:
        yield pid
