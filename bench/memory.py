"""Peak memory (RSS) of ``timeline export --format ics``, cold (no stored parts) and
warm (parts stored by the cold run), measured by GNU time in a subprocess."""

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


def export_rss(url: str) -> dict[str, Any]:
    """Run ``timeline export --format ics`` over ``url`` (output to a file, not ``-o``:
    see docs/benchmarks.md); return peak RSS (MiB), wall seconds, bytes and VEVENTs."""
    out = WORK_DIR / "export.ics"
    args = [str(GNU_TIME), "-v", str(TIMELINE), "export", "--format", "ics"]
    began = time.perf_counter()
    with out.open("wb") as handle:
        proc = subprocess.run(
            args, env=server_env(url, 8000), stdout=handle, stderr=subprocess.PIPE, text=True
        )
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"export failed: {proc.stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert match, proc.stderr
    try:
        return {
            "peak_rss_mib": int(match[1]) / 1024,
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
