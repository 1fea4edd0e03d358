"""``timeline import`` of a generated file of N events (JSON or ICS), on SQLite or
PostgreSQL: events per second, first import (all added) and again (all unchanged), for
the whole command and for the import itself (the command's time less that of importing
an empty list into a fresh store of the same kind: interpreter start, imports, migration).

    python -m bench.importing [--events 10000] [--format json|ics] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

TAGS = ["summit", "policy", "model", "funding", "chips"]
TIMELINE = str(Path(sys.executable).with_name("timeline"))
ORGS = ["OpenAI", "DeepSeek", "European Commission", "Mistral AI", "Anthropic"]
#: Rounds of each import, of which the median counts (one process each: on a shared
#: machine, one run of 10,000 events varied from 1.5 to 2.3 s).
ROUNDS = 3


def events(n: int) -> list[dict[str, object]]:
    """``n`` valid events of the API's JSON: days, months, timed ones in zones, tags and
    organizations drawn from small sets, as a real timeline has them."""
    out: list[dict[str, object]] = []
    for i in range(n):
        year, month, day = 2000 + i % 25, 1 + i % 12, 1 + i % 28
        body: dict[str, object] = {
            "id": f"bench-{i}",
            "title": f"Event number {i}",
            "description": f"Generated event {i} for the import benchmark.",
            "tags": [TAGS[i % 5], TAGS[(i + 2) % 5]],
            "organizations": [ORGS[i % 5]],
        }
        if i % 3 == 0:
            body |= {"start": f"{year}-{month:02d}-{day:02d}T09:30:00", "timezone": "Europe/Berlin"}
        elif i % 3 == 1:
            body |= {"start": f"{year}-{month:02d}-{day:02d}"}
        else:
            body |= {"start": f"{year}-{month:02d}"}
        out.append(body)
    return out


def write_file(folder: Path, n: int, fmt: str, database: str) -> Path:
    path = folder / f"events-{n}.json"
    path.write_text(json.dumps(events(n)))
    if fmt == "json":
        return path
    # The ICS is our own export of those events (what a user moves between stores).
    env = os.environ | {"TIMELINE_DATABASE_URL": database, "TIMELINE_SEED_ON_START": "false"}
    subprocess.run([TIMELINE, "import", str(path)], env=env, check=False, capture_output=True)
    ics = folder / f"events-{n}.ics"
    subprocess.run([TIMELINE, "export", "-o", str(ics)], env=env, check=True, capture_output=True)
    return ics


def timed_import(path: Path, database: str) -> float:
    env = os.environ | {"TIMELINE_DATABASE_URL": database}
    began = time.perf_counter()
    done = subprocess.run(
        [TIMELINE, "import", str(path)], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - began
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    print(f"  {last}  ({elapsed:.2f} s)")
    return elapsed


def postgres_database(server: str) -> tuple[str, sa.Engine, str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), admin, schema


def measure(
    events_n: int, fmt: str, folder: Path, store: str, postgres: str | None = None
) -> dict[str, Any]:
    """Time ``timeline import`` of ``events_n`` generated events (``fmt`` json or ics) into
    a fresh store (``store`` sqlite or postgresql, then the server ``postgres``): seconds
    of an empty list into another fresh store (the command's fixed cost), of the first
    import (all added) and of the same file again (all unchanged), each the median of
    :data:`ROUNDS` rounds (fresh stores each), and events per second of the whole
    command and of the import itself (less the fixed cost)."""
    path = write_file(folder, events_n, fmt, f"sqlite:///{folder / f'src-{fmt}.db'}")
    empty = folder / "empty.json"
    empty.write_text("[]")
    schemas: list[tuple[sa.Engine, str]] = []

    def fresh(name: str) -> str:
        if store == "sqlite":
            return f"sqlite:///{folder / f'{name}-{uuid.uuid4().hex[:8]}.db'}"
        assert postgres is not None
        url, admin, schema = postgres_database(postgres)
        schemas.append((admin, schema))
        return url

    try:
        print(f"{store}, {events_n} events, {fmt}; an empty list first (the fixed cost):")
        fixeds, addeds, unchangeds = [], [], []
        for _ in range(ROUNDS):  # the three kinds in turn: the machine's moods hit each
            fixeds.append(timed_import(empty, fresh("empty")))
            target = fresh("bench")
            addeds.append(timed_import(path, target))
            unchangeds.append(timed_import(path, target))
        fixed, added = statistics.median(fixeds), statistics.median(addeds)
        unchanged = statistics.median(unchangeds)
    finally:
        for admin, schema in schemas:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    return {
        "events": events_n,
        "format": fmt,
        "store": store,
        "rounds": ROUNDS,
        "added_runs": addeds,
        "fixed_seconds": fixed,
        "added_seconds": added,
        "unchanged_seconds": unchanged,
        "added_per_second": events_n / added,
        "unchanged_per_second": events_n / unchanged,
        "added_itself_per_second": events_n / (added - fixed),
        "unchanged_itself_per_second": events_n / (unchanged - fixed),
    }


def run(events_n: int = 10_000, postgres: str | None = None) -> list[dict[str, Any]]:
    """The import section of ``python -m bench``: JSON and ICS into SQLite, JSON into
    PostgreSQL when ``postgres`` is given."""
    with tempfile.TemporaryDirectory(prefix="timeline-import-") as tmp:
        folder = Path(tmp)
        found = [
            measure(events_n, "json", folder, "sqlite"),
            measure(events_n, "ics", folder, "sqlite"),
        ]
        if postgres:
            found.append(measure(events_n, "json", folder, "postgresql", postgres))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--format", choices=["json", "ics"], default="json")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeline-import-") as tmp:
        stores = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
        for store, server in stores:
            m = measure(args.events, args.format, Path(tmp), store, server)
            print(
                f"  whole command: added {m['added_per_second']:,.0f} events/s, "
                f"unchanged {m['unchanged_per_second']:,.0f} events/s\n"
                f"  the import itself: added {m['added_itself_per_second']:,.0f} events/s, "
                f"unchanged {m['unchanged_itself_per_second']:,.0f} events/s"
            )


if __name__ == "__main__":
    main()
