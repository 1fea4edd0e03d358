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
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

TAGS = ["summit", "policy", "model", "funding", "chips"]
TIMELINE = str(Path(sys.executable).with_name("timeline"))
ORGS = ["OpenAI", "DeepSeek", "European Commission", "Mistral AI", "Anthropic"]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--format", choices=["json", "ics"], default="json")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeline-import-") as tmp:
        folder = Path(tmp)
        path = write_file(folder, args.events, args.format, f"sqlite:///{folder / 'src.db'}")
        targets = [("SQLite", f"sqlite:///{folder / 'bench.db'}", None)]
        if args.postgres:
            url, admin, schema = postgres_database(args.postgres)
            targets.append(("PostgreSQL", url, (admin, schema)))
        empty = folder / "empty.json"
        empty.write_text("[]")
        for name, url, cleanup in targets:
            print(f"{name}, {args.events} events, {args.format}:")
            if cleanup:
                base_url, base_admin, base_schema = postgres_database(args.postgres)
            else:
                base_url = f"sqlite:///{folder / 'empty.db'}"
            print("  an empty list, into a fresh store (the command's fixed cost):")
            fixed = timed_import(empty, base_url)
            first = timed_import(path, url)
            again = timed_import(path, url)
            print(
                f"  whole command: added {args.events / first:,.0f} events/s, "
                f"unchanged {args.events / again:,.0f} events/s"
            )
            print(
                f"  the import itself: added {args.events / (first - fixed):,.0f} events/s, "
                f"unchanged {args.events / (again - fixed):,.0f} events/s"
            )
            if cleanup:
                admin, schema = cleanup
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                with base_admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{base_schema}" CASCADE')


if __name__ == "__main__":
    main()
