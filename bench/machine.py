"""A description of the machine and the software the benchmark ran on."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.stores import POSTGRES
from timeline.store.engine import make_engine

LIBRARIES = (
    "icalendar",
    "feedgen",
    "lxml",
    "flask",
    "werkzeug",
    "waitress",
    "sqlalchemy",
    "psycopg",
    "django",
    "django-ical",
    "matplotlib",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _postgres_version() -> str | None:
    try:
        engine = make_engine(POSTGRES)
        with engine.connect() as conn:
            version = conn.scalar(sa.text("SHOW server_version"))
        engine.dispose()
        return str(version)
    except sa.exc.SQLAlchemyError:
        return None


def _wrk_version() -> str:
    try:
        proc = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    except FileNotFoundError:  # only the http section needs it
        return "not installed"
    return (proc.stdout or proc.stderr).splitlines()[0] if (proc.stdout or proc.stderr) else "?"


def code_version() -> dict[str, Any]:
    """Return the commit the benchmark ran on and the files under timeline/, feeds/ and
    migrations/ that differed from it (read-only git commands)."""
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return proc.stdout.rstrip("\n")

    changed = git("status", "--porcelain", "--", "timeline", "feeds", "migrations")
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted": [line[3:] for line in changed.splitlines()],
    }


def describe() -> dict[str, Any]:
    """Return CPU count and model, memory, kernel, Python, SQLite, PostgreSQL, wrk and
    library versions."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "wrk": _wrk_version(),
        "libraries": versions,
    }
