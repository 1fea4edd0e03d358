"""Peak memory of ``timeline export --format ics``, cold (no stored parts) and warm
(parts stored by the cold run): the command's own peak RSS by GNU time, and the peak of
the proportional set size (PSS, shared pages divided among the processes sharing them)
summed over the command and its worker process, sampled from /proc every 0.25 s."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.load import bulk_load
from bench.servers import TIMELINE
from bench.stores import WORK_DIR, server_env, sqlite_store

GNU_TIME = Path("/usr/bin/time")


def _count(path: Path, needle: bytes = b"BEGIN:VEVENT\r\n") -> int:
    """Count ``needle`` in the file at ``path``, reading it in pieces."""
    count, tail = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            data = tail + block
            count += data.count(needle)
            tail = data[-(len(needle) - 1) :]  # too short to hold a whole needle
    return count


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, and theirs (Linux's /proc children lists)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [p for child in children for p in (int(child), *_descendants(int(child)))]


def _rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of ``pid`` in KiB, (0, 0) once it is gone."""
    sizes = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Pss", "Rss"):
                sizes[name] = int(rest.split()[0])
    except (OSError, ValueError):
        return 0, 0
    return sizes.get("Pss", 0), sizes.get("Rss", 0)


def export_rss(url: str) -> dict[str, Any]:
    """Run ``timeline export --format ics`` over ``url`` (output to a file, not ``-o``:
    see docs/benchmarks.md); return its peak RSS (MiB, GNU time: the command's process),
    the peak of the PSS and of the RSS summed over its processes (MiB, sampled), how
    many processes it ran, wall seconds, bytes and VEVENTs."""
    out = WORK_DIR / "export.ics"
    args = [str(GNU_TIME), "-v", str(TIMELINE), "export", "--format", "ics"]
    peak_pss = peak_rss_sum = processes = 0
    began = time.perf_counter()
    with out.open("wb") as handle:
        proc = subprocess.Popen(
            args, env=server_env(url, 8000), stdout=handle, stderr=subprocess.PIPE, text=True
        )
        while proc.poll() is None:
            pids = _descendants(proc.pid)  # the command, then its worker
            sizes = [_rollup(pid) for pid in pids]
            peak_pss = max(peak_pss, sum(pss for pss, _ in sizes))
            peak_rss_sum = max(peak_rss_sum, sum(rss for _, rss in sizes))
            processes = max(processes, len(pids))
            time.sleep(0.25)
        stderr = proc.stderr.read() if proc.stderr else ""
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"export failed: {stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    assert match, stderr
    try:
        return {
            "peak_rss_mib": int(match[1]) / 1024,
            "peak_pss_sum_mib": peak_pss / 1024,
            "peak_rss_sum_mib": peak_rss_sum / 1024,
            "processes": processes,
            "seconds": seconds,
            "bytes": out.stat().st_size,
            "vevents": _count(out),
        }
    finally:
        out.unlink()


def run(sizes: list[int], seed: int = 1) -> dict[str, Any]:
    """Measure cold and warm exports of each of ``sizes`` events (bulk-loaded SQLite)."""
    results: dict[str, Any] = {}
    for size in sizes:
        bench_store = sqlite_store(f"memory-{size}")
        try:
            load_seconds = bulk_load(bench_store.url, size, seed=seed)
            loaded_bytes = bench_store.size_bytes()
            cold = export_rss(bench_store.url)
            warm = export_rss(bench_store.url)
            results[str(size)] = {
                "load_seconds": load_seconds,
                "db_bytes_loaded": loaded_bytes,
                "db_bytes_with_parts": bench_store.size_bytes(),
                "cold": cold,
                "warm": warm,
            }
        finally:
            bench_store.drop()
    return results
