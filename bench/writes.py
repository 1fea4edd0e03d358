"""Concurrent writers: 16 clients POSTing new events to ``timeline serve`` for 30 s, on
SQLite and on PostgreSQL; then a count proving that every 201 is in the store.

Contract used (the JSON API): ``POST /api/events`` with ``Authorization: Bearer <token>``
(from ``timeline token create NAME``) and a JSON body ``{"title": ..., "start":
"YYYY-MM-DD"}`` answers ``201`` with ``Location: .../api/events/<id>``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import sqlalchemy as sa

from bench.load import bulk_load
from bench.servers import THREADS, TIMELINE, free_port, timeline_server
from bench.stores import WORK_DIR, Store, postgres_store, server_env, sqlite_store
from timeline.store.engine import make_engine

LOCKED = "database is locked"


@dataclass
class Tally:
    """What one client saw."""

    latencies: list[float] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    locked: int = 0


def create_token(url: str) -> str:
    """Create a write token with ``timeline token create`` over ``url``; return it."""
    proc = subprocess.run(
        [str(TIMELINE), "token", "create", f"bench-{time.time_ns()}"],
        env=server_env(url, 8000),
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip().splitlines()[-1]


class _Response(NamedTuple):
    status: int
    location: str
    payload: bytes
    closes: bool


def _read_response(reader: BinaryIO) -> _Response:
    """Read one HTTP/1.1 response from ``reader``: its status, ``Location``, body (by its
    ``Content-Length``, which every answer of ``POST /api/events`` has) and whether the
    server closes the connection after it. Raises OSError when the connection ends and
    ValueError for what this client does not read (no Content-Length)."""
    status_line = reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split(b" ", 2)[1])
    length, location, closes = None, "", False
    while (line := reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"location":
            location = value.strip().decode()
        elif name == b"connection":
            closes = value.strip().lower() == b"close"
    if length is None:
        raise ValueError(f"a {status} without Content-Length")
    payload = reader.read(length)
    if len(payload) < length:
        raise ConnectionError("the server closed the connection in a body")
    return _Response(status, location, payload, closes)


def _client(port: int, token: str, number: int, stop: float, tally: Tally) -> None:
    """POST new events until ``stop`` (monotonic), one keep-alive connection.

    A plain HTTP/1.1 client on its socket (the request's head built once, the response
    read for its status, Content-Length, Location and Connection only): the 16 clients
    share the machine's cores with the servers and PostgreSQL, and http.client's own
    parsing cost them about 0.2 ms of CPU per request."""
    head = (
        f"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        "Content-Length: "
    ).encode()
    sock: socket.socket | None = None
    reader: BinaryIO | None = None
    i = 0
    while time.monotonic() < stop:
        if sock is None or reader is None:
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = sock.makefile("rb")
        i += 1
        body = json.dumps(
            {
                "title": f"Bench write {number} {i} 写入 🚀",
                "start": f"2025-{1 + i % 12:02d}-{1 + number:02d}",
                "tags": ["bench", "并发"],
            }
        ).encode()
        began = time.perf_counter()
        try:
            sock.sendall(b"%s%d\r\n\r\n%s" % (head, len(body), body))
            response = _read_response(reader)
        except (OSError, ValueError) as error:
            tally.errors.append(repr(error))
            reader.close()
            sock.close()
            sock = reader = None
            continue
        tally.latencies.append(time.perf_counter() - began)
        tally.statuses[response.status] = tally.statuses.get(response.status, 0) + 1
        if response.status == 201:
            tally.created.append(response.location.rsplit("/", 1)[-1])
        elif LOCKED.encode() in response.payload:
            tally.locked += 1
        if response.closes:
            reader.close()
            sock.close()
            sock = reader = None
    if sock is not None and reader is not None:
        reader.close()
        sock.close()


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system, seconds) the process ``pid`` has used (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds() -> float:
    """Return the CPU time (user + system, seconds) that this machine's PostgreSQL has
    used: every ``postgres`` process, with what its ended children used (Linux)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    """Return the CPU time (user + system, seconds) this process has used: the clients'."""
    times = os.times()
    return times.user + times.system


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def _stored(url: str, ids: list[str]) -> int:
    """Return how many of ``ids`` are events in the store."""
    from timeline.store.models import Event

    engine = make_engine(url)
    found = 0
    try:
        with engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found += conn.scalar(sa.select(sa.func.count()).where(Event.id.in_(chunk))) or 0
    finally:
        engine.dispose()
    return found


def run_one(
    bench_store: Store, clients: int = 16, seconds: float = 30.0, processes: int = 1
) -> dict[str, Any]:
    """Run ``clients`` writers for ``seconds`` against ``processes`` servers over
    ``bench_store`` (client n writes to server n mod ``processes``, as a load balancer
    would spread them)."""
    token = create_token(bench_store.url)
    url_is_postgres = bench_store.url.startswith("postgresql")
    ports = [free_port() for _ in range(processes)]
    tallies = [Tally() for _ in range(clients)]
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as servers:
        pids = [servers.enter_context(timeline_server(bench_store.url, port)) for port in ports]
        cpu_before = sum(_cpu_seconds(pid) for pid in pids)
        postgres_before, clients_before = _postgres_cpu_seconds(), _own_cpu_seconds()
        stop = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=_client, args=(ports[n % processes], token, n, stop, tallies[n])
            )
            for n in range(clients)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        cpu = sum(_cpu_seconds(pid) for pid in pids) - cpu_before
        database_cpu = _postgres_cpu_seconds() - postgres_before
        clients_cpu = _own_cpu_seconds() - clients_before
    load_after = os.getloadavg()[0]
    log = "".join((WORK_DIR / f"serve-{port}.log").read_text(errors="replace") for port in ports)
    latencies = [x for t in tallies for x in t.latencies]
    created = [i for t in tallies for i in t.created]
    statuses: dict[str, int] = {}
    for t in tallies:
        for status, count in t.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    stored = _stored(bench_store.url, created)
    return {
        "clients": clients,
        "processes": processes,
        "threads": THREADS,
        # The machine's load average (1 min) before and after: it is shared.
        "load_before": load_before,
        "load_after": load_after,
        "seconds": elapsed,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "created_201": len(created),
        "created_per_s": len(created) / elapsed,
        "p50_ms": _percentile(latencies, 50) * 1000 if latencies else None,
        "p99_ms": _percentile(latencies, 99) * 1000 if latencies else None,
        "statuses": statuses,
        "status_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "client_errors": sum(len(t.errors) for t in tallies),
        "database_locked": sum(t.locked for t in tallies) + log.count(LOCKED),
        "distinct_ids": len(set(created)),
        "found_in_store": stored,
        "lost": len(set(created)) - stored,
        # The server processes' CPU time (user + system) per request: with the GIL, one
        # process cannot answer more than about 1000 / this requests per second.
        "server_cpu_ms_per_request": cpu / len(latencies) * 1000 if latencies else None,
        # PostgreSQL's processes and the 16 client threads (this process) share the
        # same cores: the CPU per request of all three is what the machine must give.
        "postgres_cpu_ms_per_request": (
            database_cpu / len(latencies) * 1000 if latencies and url_is_postgres else None
        ),
        "clients_cpu_ms_per_request": clients_cpu / len(latencies) * 1000 if latencies else None,
    }


def run(
    backends: tuple[str, ...] = ("sqlite", "postgresql"),
    seconds: float = 30.0,
    preload: int = 0,
    processes: int = 1,
) -> dict[str, Any]:
    """Run the writers on each backend, on a store holding ``preload`` events, through
    ``processes`` servers."""
    results: dict[str, Any] = {}
    for backend in backends:
        name = f"writes-{backend}"
        bench_store = sqlite_store(name) if backend == "sqlite" else postgres_store("writes")
        try:
            if preload:
                bulk_load(bench_store.url, preload)
            found = run_one(bench_store, seconds=seconds, processes=processes)
            results[backend] = found | {"preload": preload}
        finally:
            bench_store.drop()
    return results
