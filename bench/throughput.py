"""HTTP throughput with wrk: the calendar served by ``timeline serve`` against the ceiling
(trivial routes returning the same bytes, and a trivial 304), rounds interleaved."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import statistics
import subprocess
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

from bench.load import bulk_load
from bench.servers import THREADS, ceiling_server, free_port, timeline_server
from bench.stores import WORK_DIR, sqlite_store

WRK = shutil.which("wrk") or "/usr/bin/wrk"
#: Headers the calendar is served with that the ceiling repeats.
KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Vary")


def wrk(
    url: str, headers: dict[str, str], seconds: int, threads: int = 2, connections: int = 8
) -> dict[str, Any]:
    """Run wrk against ``url``; return requests/s, latency percentiles (ms) and counts."""
    args = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    assert match, text
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(out: str) -> dict[str, Any]:
    """Parse wrk's report: Requests/sec, the latency distribution, errors and non-2xx/3xx."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    assert rps and total, out
    latency = {f"p{p}": _ms(v) for p, v in re.findall(r"\n\s+(50|99)%\s+(\S+)", out)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps[1]),
        "requests": int(total[1]),
        "latency_ms": latency,
        "non_2xx_3xx": int(bad[1]) if bad else 0,
        "socket_errors": errors[1] if errors else "",
    }


def _fetch(url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as response:
        return response.status, response.headers, response.read()


def _save_bytes(port: int, directory: Path) -> str:
    """Fetch the calendar (identity and gzip) from ``timeline serve``, write them and the
    headers for the ceiling into ``directory``; return the ETag of the gzip coding (each
    coding has its own, RFC 9110 §8.8.3.3; the 304 case polls with gzip)."""
    url = f"http://127.0.0.1:{port}/calendar.ics"
    _, headers, identity = _fetch(url, {})
    _, gz_headers, gzipped = _fetch(url, {"Accept-Encoding": "gzip"})
    assert gz_headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(gzipped) == identity
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "identity").write_bytes(identity)
    (directory / "gzip").write_bytes(gzipped)
    kept = {k: headers[k] for k in KEPT_HEADERS if headers.get(k) is not None}
    (directory / "headers.json").write_text(json.dumps(kept))
    etag: str = gz_headers["ETag"]  # waitress spells it "Etag": the lookup ignores case
    _expect_304(url, {"If-None-Match": etag, "Accept-Encoding": "gzip"})
    return etag


def _expect_304(url: str, headers: dict[str, str]) -> None:
    """Raise AssertionError unless ``url`` answers 304 to ``headers``: otherwise the 304
    case would silently measure full responses."""
    try:
        status, _, _ = _fetch(url, headers)
    except urllib.error.HTTPError as error:  # urllib treats 304 as an error
        status = error.code
    assert status == 304, f"{url} answered {status}, not 304, to {headers}"


def run(size: int = 10_000, seconds: int = 5, rounds: int = 3, seed: int = 1) -> dict[str, Any]:
    """Measure GET /calendar.ics (identity, gzip, 304) on ``size`` events against the
    ceiling, ``rounds`` interleaved rounds of ``seconds`` each; return medians."""
    bench_store = sqlite_store(f"http-{size}")
    directory = WORK_DIR / f"ceiling-{size}"
    try:
        bulk_load(bench_store.url, size, seed=seed)
        ours_port, plain_port, flask_port = free_port(), free_port(), free_port()
        with timeline_server(bench_store.url, ours_port):
            etag = _save_bytes(ours_port, directory)
            with (
                ceiling_server(directory, plain_port),
                ceiling_server(directory, flask_port, flask=True),
            ):
                results = _rounds(ours_port, plain_port, flask_port, etag, seconds, rounds)
        sizes = {
            "identity": (directory / "identity").stat().st_size,
            "gzip": (directory / "gzip").stat().st_size,
        }
    finally:
        bench_store.drop()
        shutil.rmtree(directory, ignore_errors=True)
    return {
        "size": size,
        "seconds": seconds,
        "rounds": rounds,
        "threads": THREADS,
        "wrk": "-t2 -c8",
        "bytes": sizes,
        "cases": results,
    }


def _rounds(
    ours: int, plain: int, flask: int, etag: str, seconds: int, rounds: int
) -> dict[str, Any]:
    cases = {
        "identity": ("/calendar.ics", "/identity", {}),
        "gzip": ("/calendar.ics", "/gzip", {"Accept-Encoding": "gzip"}),
        "304": ("/calendar.ics", "/304", {"If-None-Match": etag, "Accept-Encoding": "gzip"}),
    }
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        case: {"ours": [], "ceiling": [], "flask": []} for case in cases
    }
    for r in range(rounds):
        for case, (path, trivial, headers) in cases.items():
            targets = [
                ("ours", f"http://127.0.0.1:{ours}{path}"),
                ("ceiling", f"http://127.0.0.1:{plain}{trivial}"),
                ("flask", f"http://127.0.0.1:{flask}{trivial}"),
            ]
            if r % 2:  # alternate who goes first
                targets.reverse()
            for name, url in targets:
                runs[case][name].append(wrk(url, headers, seconds))
    return {
        case: {
            name: {
                "rps": statistics.median(x["rps"] for x in results),
                "p99_ms": statistics.median(x["latency_ms"].get("p99", 0.0) for x in results),
                "non_2xx_3xx": sum(x["non_2xx_3xx"] for x in results),
                "socket_errors": [x["socket_errors"] for x in results if x["socket_errors"]],
                "runs": [x["rps"] for x in results],
            }
            for name, results in by_name.items()
        }
        for case, by_name in runs.items()
    }
