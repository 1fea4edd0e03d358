"""The figures issues 5, 12, 17, 18, 19 and 23 ask for, checked against a results document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.timing import ratio


@dataclass(frozen=True)
class Check:
    """One target: what it asks, what was measured, and whether it is met (None: not run)."""

    name: str
    target: str
    measured: str
    passed: bool | None


def _render(results: dict[str, Any]) -> list[Check]:
    cases = results.get("render", {}).get("10000", {}).get("cases")
    checks = []
    for case, label, goal in (
        ("ours-restart", "10,000-event calendar, first request after a restart", 20.0),
        ("ours-changed", "10,000-event calendar, after a one-event change", 100.0),
    ):
        if cases is None:
            checks.append(Check(label, f">= {goal:.0f}x faster than django-ical", "not run", None))
            continue
        x = ratio(cases["django-ical"]["median"], cases[case]["median"])
        assert x is not None
        checks.append(
            Check(label, f">= {goal:.0f}x faster than django-ical", f"{x:.1f}x", x >= goal)
        )
    return checks


def _http(results: dict[str, Any]) -> list[Check]:
    cases = results.get("http", {}).get("cases")
    checks = []
    for case, label in (
        ("identity", "warm GET /calendar.ics, identity"),
        ("gzip", "warm GET /calendar.ics, gzip"),
        ("304", "GET /calendar.ics answered 304"),
    ):
        goal = ">= 80% of the trivial route's requests/s"
        if cases is None:
            checks.append(Check(label, goal, "not run", None))
            continue
        share = cases[case]["ours"]["rps"] / cases[case]["ceiling"]["rps"]
        checks.append(Check(label, goal, f"{share:.0%}", share >= 0.8))
    return checks


def footprint(measured: dict[str, Any]) -> float:
    """The memory (MiB) an export took: the peak of its processes' PSS summed (the command
    and its worker; shared pages counted once), or its peak RSS where that was not
    measured (one process) or is larger."""
    return float(max(measured["peak_rss_mib"], measured.get("peak_pss_sum_mib", 0.0)))


def _memory(results: dict[str, Any]) -> list[Check]:
    memory = results.get("memory", {})
    checks = []
    for state in ("cold", "warm"):
        million = memory.get("1000000", {}).get(state)
        label = f"export --format ics of 1,000,000 events, {state}"
        if million is None:
            checks.append(Check(label, "< 200 MiB peak (PSS of its processes)", "not run", None))
        else:
            mib = footprint(million)
            goal = "< 200 MiB peak (PSS of its processes)"
            checks.append(Check(label, goal, f"{mib:.0f} MiB", mib < 200))
        small, large = memory.get("10000", {}).get(state), memory.get("100000", {}).get(state)
        label = f"export --format ics of 100,000 vs 10,000 events, {state}"
        if small is None or large is None:
            checks.append(Check(label, "<= 1.5x peak memory", "not run", None))
        else:
            x = footprint(large) / footprint(small)
            checks.append(Check(label, "<= 1.5x peak memory", f"{x:.2f}x", x <= 1.5))
    return checks


def _writes(results: dict[str, Any]) -> list[Check]:
    writes = results.get("writes", {})
    checks = []
    for backend, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        run = writes.get(backend)
        name = f"16 writers for 30 s, {label}"
        goal = "0 5xx, 0 'database is locked', 0 lost"
        if run is None:
            checks.append(Check(name, goal, "not run", None))
            continue
        bad = (run["status_5xx"], run["database_locked"], run["lost"])
        measured = f"{bad[0]} 5xx, {bad[1]} locked, {bad[2]} lost of {run['created_201']} 201s"
        others = {s: n for s, n in run["statuses"].items() if s != "201"}
        if others or run["client_errors"]:
            refused = ", ".join(f"{n} × {s}" for s, n in sorted(others.items()))
            measured += f" (also {refused or 'no other status'};"
            measured += f" {run['client_errors']} client errors)"
        checks.append(Check(name, goal, measured, bad == (0, 0, 0) and run["created_201"] > 0))
    # The target is for the deployment docs/deployment.md describes, one process per
    # core: 2 on this machine. The run through one process stays in the table as a
    # reference; with the GIL it answers at most 1000 / its server CPU (ms) a second.
    for key in ("postgresql, 2 processes",):
        run = writes.get(key)
        name = f"16 writers, {key.replace('postgresql', 'PostgreSQL')} (one per core): speed"
        goal = ">= 500 requests/s, p99 < 200 ms, 0 lost"
        if run is None:
            checks.append(Check(name, goal, "not run", None))
            continue
        measured = f"{run['rps']:.0f} requests/s, p99 {run['p99_ms']:.0f} ms, {run['lost']} lost"
        reached = run["rps"] >= 500 and run["p99_ms"] < 200 and run["lost"] == 0
        checks.append(Check(name, goal, measured, reached))
    return checks


def _import(results: dict[str, Any]) -> list[Check]:
    name = "timeline import of 10,000 events (JSON), SQLite"
    goal = ">= 5,000 events/s added (the import itself, less the command's start)"
    runs = [r for r in results.get("import", []) if (r["store"], r["format"]) == ("sqlite", "json")]
    if not runs:
        return [Check(name, goal, "not run", None)]
    rate = runs[0]["added_itself_per_second"]
    whole = runs[0]["added_per_second"]
    measured = f"{rate:,.0f} events/s (whole command {whole:,.0f})"
    return [Check(name, goal, measured, rate >= 5_000)]


def _issue23(results: dict[str, Any]) -> list[Check]:
    """Issue 23: VEVENTs rendered 10x faster than django-ical, no cold calendar after an
    import, 100,000 events with one changed, and the cold export of 1,000,000."""
    render = results.get("render", {})
    checks = []
    for size in ("10000", "100000"):
        name = f"feeds.render_ical of {int(size):,} events in memory"
        goal = ">= 10x faster than django-ical on the same events"
        cases = render.get(size, {}).get("cases")
        if cases is None or "ours-render-ical" not in cases:
            checks.append(Check(name, goal, "not run", None))
            continue
        x = ratio(cases["django-ical"]["median"], cases["ours-render-ical"]["median"])
        assert x is not None
        checks.append(Check(name, goal, f"{x:.1f}x", x >= 10))
    coldcal = results.get("coldcal", {})
    for size in ("10000", "100000"):
        name = f"first GET /calendar.ics after timeline import of {int(size):,} events"
        goal = "every part stored by the import; faster than django-ical"
        found = coldcal.get(size)
        if found is None:
            checks.append(Check(name, goal, "not run", None))
            continue
        first = found["cases"]["first-get"]["median"]
        peer = found["cases"]["django-ical"]["median"]
        stored = found["parts_after_import"]
        measured = (
            f"{first * 1000:,.0f} ms, django-ical {peer * 1000:,.0f} ms;"
            f" {stored:,} of {found['size']:,} parts stored by the import"
        )
        checks.append(Check(name, goal, measured, stored == found["size"] and first < peer))
    name = "100,000 events, one changed: the next GET /calendar.ics"
    cases = render.get("100000", {}).get("cases")
    if cases is None:
        checks.append(Check(name, "<= 200 ms", "not run", None))
    else:
        changed = cases["ours-changed"]["median"]
        checks.append(Check(name, "<= 200 ms", f"{changed * 1000:,.0f} ms", changed <= 0.2))
    million = results.get("memory", {}).get("1000000", {}).get("cold")
    name = "export --format ics of 1,000,000 events, cold: time"
    if million is None:
        checks.append(Check(name, "<= 120 s (at < 200 MiB)", "not run", None))
    else:
        seconds, rss = million["seconds"], footprint(million)
        measured = f"{seconds:,.0f} s at {rss:.0f} MiB"
        checks.append(
            Check(name, "<= 120 s (at < 200 MiB)", measured, seconds <= 120 and rss < 200)
        )
    return checks


def _page(results: dict[str, Any]) -> list[Check]:
    page = results.get("page", {}).get("100000")
    fast = "GET / at 100,000 events, not cached, against GET /feed.rss"
    fast_goal = "<= 1.5x the feed's time (as fast as the feed)"
    burst = "16 parallel GET / on timeline serve, 100,000 events"
    burst_goal = "/healthz < 100 ms"
    if page is None:
        return [Check(fast, fast_goal, "not run", None), Check(burst, burst_goal, "not run", None)]
    x = page["cases"]["page"]["median"] / page["cases"]["feed"]["median"]
    worst = max(page["bursts"]["same"]["healthz_ms"])
    return [
        Check(fast, fast_goal, f"{x:.2f}x", x <= 1.5),
        Check(burst, burst_goal, f"at most {worst:.0f} ms", worst < 100),
    ]


#: The corpora of the dates section, their label, and the peers run on them.
DATE_CORPORA = (
    ("rt-zh", "Recognizers-Text DateTime, Chinese"),
    ("rt-en", "Recognizers-Text DateTime, English"),
    ("jionlp", "JioNLP's time parser cases"),
)


def _dates(results: dict[str, Any]) -> list[Check]:
    dates = results.get("dates")
    names = ["TempEval-3 platinum, DATE", "scanner speed on news text"]
    names += [label for _, label in DATE_CORPORA]
    if dates is None:
        return [Check(n, "see issue 18", "not run", None) for n in names]
    te3 = dates["te3"]
    ours, heideltime = te3["ours"]["value_f1"], te3["heideltime"]["value_f1"]
    checks = [
        Check(
            names[0],
            "value F1 >= 0.90, ahead of HeidelTime",
            f"value F1 {ours:.3f} (HeidelTime {heideltime:.3f})",
            ours >= 0.90 and ours > heideltime,
        ),
        Check(
            names[1],
            ">= 500 KB/s",
            f"{dates['speed']['plain']['kb_per_second']:,} KB/s",
            dates["speed"]["plain"]["kb_per_second"] >= 500,
        ),
    ]
    for key, label in DATE_CORPORA:
        found = dates[key]
        ours_share = found["ours"]["right_or_on_purpose_share"]
        as_corpus = found["ours"]["right_share"]
        best_peer = max(found[p]["right_share"] for p in found if p != "ours")
        wrong = found["ours"]["wrong_unambiguous"]
        checks.append(
            Check(
                label,
                ">= 90% right (those read on purpose included), 0 wrong on unambiguous"
                " cases, ahead of every peer as the corpus reads",
                f"{ours_share:.0%} right with those read on purpose ({as_corpus:.0%} as the"
                f" corpus reads; best peer {best_peer:.0%}), {wrong} wrong on unambiguous cases",
                ours_share >= 0.9 and wrong == 0 and as_corpus > best_peer,
            )
        )
    return checks


def evaluate(results: dict[str, Any]) -> list[Check]:
    """Return every target of the issues (5, 12 for import, 17 for the page, 18 for
    dates, 19 for extraction) with its measurement in ``results``."""
    from bench.extraction_report import checks as extraction

    checks = _render(results) + _http(results) + _memory(results) + _writes(results)
    checks += _import(results) + _page(results) + _dates(results) + extraction(results)
    return checks + _issue23(results)


def verdict(passed: bool | None) -> str:
    """Return ``PASS``, ``FAIL`` or ``not run``."""
    return {True: "PASS", False: "FAIL", None: "not run"}[passed]
