"""The benchmark's command line: run the sections, save the results as JSON under
bench/results/, and regenerate docs/benchmarks.md and docs/render-time.png.

``python -m bench`` runs everything at the full sizes (about an hour, most of it the
1,000,000-event export); ``--quick`` renders 1,000 and 10,000 events only and measures
export memory at 10,000; ``--only`` picks sections; ``--report FILE`` only rewrites the
documents from a results file. Results written outside bench/results/ (``--output
/tmp/x.json``) leave the documents alone. A run of some sections into a new file of
the day under bench/results/ starts from the newest record there, so that the documents
keep the figures of the sections it does not run (:func:`starting_results`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.machine import code_version, describe
from bench.resultfiles import RESULTS, SECTIONS, starting_results
from bench.targets import evaluate, verdict


def _sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--sizes", type=_sizes, help="render sizes (default 1k,10k,100k)")
    parser.add_argument("--memory-sizes", type=_sizes, help="default 10k,100k,1M")
    parser.add_argument("--reps", type=int, help="rounds per render size (default 5; 3 >10k)")
    parser.add_argument("--http-seconds", type=int, default=5)
    parser.add_argument("--http-rounds", type=int, default=3)
    parser.add_argument("--writes-seconds", type=float, default=30.0)
    parser.add_argument(
        "--writes-preload", type=int, help="also write on SQLite holding this many events"
    )
    parser.add_argument("--page-sizes", type=_sizes, help="default 10k,100k")
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument("--output", type=Path, help="results file (merged into if it exists)")
    parser.add_argument("--report", type=Path, help="only rewrite the docs from this file")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    if args.memory_sizes is None:
        args.memory_sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    if args.page_sizes is None:
        args.page_sizes = [10_000] if args.quick else [10_000, 100_000]
    if args.writes_preload is None:
        args.writes_preload = 0 if args.quick else 100_000
    if args.quick:
        args.writes_seconds = min(args.writes_seconds, 10.0)
    args.only = SECTIONS if args.only is None else tuple(args.only.split(","))
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}")
    return args


def _save(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


def _section(name: str, args: argparse.Namespace, results: dict[str, Any]) -> None:
    if name == "render":
        from bench import render

        for size in args.sizes:
            reps = args.reps or (5 if size <= 10_000 else 3)
            print(f"render: {size:,} events, {reps} rounds", flush=True)
            results.setdefault("render", {})[str(size)] = render.run(size, reps)
    elif name == "http":
        from bench import throughput

        print("http: wrk against timeline serve and the ceiling", flush=True)
        results["http"] = throughput.run(seconds=args.http_seconds, rounds=args.http_rounds)
    elif name == "memory":
        from bench import memory

        for size in args.memory_sizes:
            print(f"memory: export of {size:,} events", flush=True)
            results.setdefault("memory", {}).update(memory.run([size]))
    elif name == "writes":
        from bench import writes

        print("writes: 16 clients on SQLite and PostgreSQL", flush=True)
        found = writes.run(seconds=args.writes_seconds)
        if args.writes_preload:
            preloaded = writes.run(("sqlite",), args.writes_seconds, args.writes_preload)
            found[f"sqlite, {args.writes_preload:,} events"] = preloaded["sqlite"]
        # Two server processes on one PostgreSQL (docs/deployment.md): one per core.
        doubled = writes.run(("postgresql",), args.writes_seconds, processes=2)
        found["postgresql, 2 processes"] = doubled["postgresql"]
        results["writes"] = found
    elif name == "import":
        from bench import importing
        from bench.stores import POSTGRES

        print("import: 10,000 events, JSON and ICS on SQLite, JSON on PostgreSQL", flush=True)
        results["import"] = importing.run(postgres=POSTGRES)
    elif name == "coldcal":
        from bench import coldcal

        sizes = [size for size in args.sizes if size >= 10_000] or args.sizes
        print(f"coldcal: first GET /calendar.ics after timeline import of {sizes}", flush=True)
        results.setdefault("coldcal", {}).update(coldcal.run(sizes))
    elif name == "page":
        from bench import page

        print("page: GET / beside GET /feed.rss, and bursts on timeline serve", flush=True)
        results["page"] = page.run(args.page_sizes)
    elif name == "dates":
        from bench import dates

        print("dates: the scanner and its peers on ../shared/corpora, and its speed", flush=True)
        results["dates"] = dates.run()
    elif name == "extraction":
        from bench import extraction, extraction_peers, timelines

        print("extraction: the 30 articles of ../shared/articles, peers, hostile input", flush=True)
        results["extraction"] = extraction.run()
        results["extraction"]["peers"] = extraction_peers.run(extraction.gold_articles())
        results["extraction"]["timelines"] = timelines.run()


def main(argv: list[str] | None = None) -> None:
    """Run the selected sections, save the results, rewrite the docs, print the targets."""
    args = parse_args(argv)
    if args.report is not None:
        results = json.loads(args.report.read_text())
        print(report.write(results, args.report))
        return
    today = dt.date.today().isoformat()
    path = args.output or RESULTS / (f"{today}-quick.json" if args.quick else f"{today}.json")
    results = starting_results(path, args.only)
    # Only the repository's own record rewrites the docs: a trial run's --output elsewhere
    # leaves docs/benchmarks.md and docs/render-time.png alone.
    recorded = path.resolve().parent == RESULTS
    results.update(
        date=today,
        command="python -m bench" + (" --quick" if args.quick else ""),
        machine=describe(),
    )
    if set(args.only) - {"dates", "extraction", "import"}:  # those load no store in bulk
        from bench.load import verify_bulk

        # The bulk loader must write what create_event writes, or the figures mean nothing.
        if not verify_bulk():
            sys.exit("bench/load.py no longer writes the rows create_event writes: fix it first")
    invoked = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    for name in args.only:
        began = time.perf_counter()
        code = code_version()
        _section(name, args, results)
        results.setdefault("runs", []).append(
            {
                "invoked": invoked.strip(),
                "section": name,
                "seconds": time.perf_counter() - began,
                "code": code,
                "machine": report.machine_line(results["machine"]),
            }
        )
        _save(results, path)
        if recorded:
            report.write(results, path)
    docs = (
        report.write(results, path) if recorded else "not rewritten (results not in bench/results/)"
    )
    print(f"results: {path}\ndocs: {docs}")
    for check in evaluate(results):
        print(f"{verdict(check.passed):8} {check.name}: {check.measured} ({check.target})")
