"""The "extraction" section of docs/benchmarks.md, and its targets (issues 17 and 19)."""

from __future__ import annotations

from typing import Any

from bench.targets import Check


def checks(results: dict[str, Any]) -> list[Check]:
    """The targets of issue 19 on the development set, and issue 17's linear /api/extract."""
    section = results.get("extraction")
    names = [
        ("certain gold events found", ">= 90%"),
        ("non-event candidates per article", "<= 1 on average"),
        ("wrong dates", "0"),
        ("crashes", "0"),
        ("characters per second", ">= 100,000"),
        ("/api/extract, 1 MB against 100 KB of hostile text", "<= 15x the time (linear)"),
    ]
    if section is None:
        return [Check(f"extraction: {n}", t, "not run", None) for n, t in names]
    total = section["total"]
    found = total["found"] / total["certain"]
    per_article = total["non_events"] / total["articles"]
    speed = section["characters_per_second"]
    hostile = section["hostile"]
    small, large = hostile["100000"], hostile["1000000"]
    growth = large["seconds"] / small["seconds"]
    measured = [
        (f"{total['found']} of {total['certain']} ({found:.0%})", found >= 0.9),
        (f"{total['non_events']} in {total['articles']} ({per_article:.2f})", per_article <= 1),
        (str(total["wrong"]), total["wrong"] == 0),
        (str(total["crashes"]), total["crashes"] == 0),
        (f"{speed:,}", speed >= 100_000),
        (
            f"{growth:.1f}x ({small['seconds']:.2f} s, {large['seconds']:.2f} s; "
            f"status {small['status']}, {large['status']})",
            growth <= 15 and small["status"] == large["status"] == 200,
        ),
    ]
    return [
        Check(f"extraction: {name}", target, text, passed)
        for (name, target), (text, passed) in zip(names, measured, strict=True)
    ]


def lines(results: dict[str, Any]) -> list[str]:
    """The section's Markdown: per article and in all, the source article, the hostile
    input, and the dates alone beside HeidelTime and jionlp."""
    section = results.get("extraction")
    if section is None:
        return ["Not run."]
    out = [
        "On the development set `../shared/articles` (30 real reports, zh, zh-Hant, en; read"
        " from there), each article's publication date given. *Found*: certain gold events"
        " with a candidate of the same start and precision; *non-events*: candidates whose"
        " start and precision match no gold event; *wrong*: candidates on a gold event's"
        " expression whose dates do not lie within the gold's.",
        "",
        "| article | found | candidates | non-events | wrong | crashes | characters | ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = list(section["articles"].items()) + [("**all**", section["total"])]
    for name, s in rows:
        out.append(
            f"| {name} | {s['found']}/{s['certain']} | {s['candidates']} | {s['non_events']} |"
            f" {s['wrong']} | {s['crashes']} | {s['characters']:,} | {1000 * s['seconds']:.1f} |"
        )
    source = section["source_article"]
    out += [
        "",
        f"Speed: {section['characters_per_second']:,} characters per second over the 30"
        " articles (best of 5 rounds).",
        "",
        "The seeds' source article: "
        + "; ".join(f"{label}, {s['found']} of {s['of']} events" for label, s in source.items())
        + ".",
        "",
        '`POST /api/extract` of `"A"*40 + ", " + "Feb 1, "*n` (issue 17):',
        "",
        "| characters | status | seconds | characters/s |",
        "|---|---|---|---|",
    ]
    for h in section["hostile"].values():
        out.append(
            f"| {h['characters']:,} | {h['status']} | {h['seconds']:.2f} |"
            f" {h['characters_per_second']:,} |"
        )
    peers = section["peers"]
    out += [
        "",
        "Dates alone: the share of certain gold event dates that a tagger finds (an expression"
        " over the gold expression valued the gold start, to its precision).",
        "",
        "| tagger | English | Chinese |",
        "|---|---|---|",
    ]
    for name, parts in peers.items():
        cells = []
        for part in ("en", "zh"):
            figure = parts.get(part)
            cells.append(
                f"{figure['found']}/{figure['of']} ({figure['share']:.0%})" if figure else ""
            )
        out.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return out + _timelines(section.get("timelines"))


def _timelines(figures: dict[str, Any] | None) -> list[str]:
    """The ranking measured as a date F1 against gold timelines (bench/timelines.py)."""
    if not figures:
        return []
    out = [
        "",
        "The ranking of merged candidates, a measure of our own after Timeline17's date F1"
        " (`bench/timelines.py` says what it measures and what not): on each corpus of"
        " SemEval-2015 Task 4 (30 English Wikinews reports, gold timelines of its entities),"
        " the k days at the top of the ranking against the k days of the gold timelines'"
        " dated events; beside it, the first k days in the reports' order and every"
        " candidate's day. Not comparable with published Timeline17 scores.",
        "",
        "| corpus | gold days | candidates | top k ranked: right, F1 | first k in order: F1"
        " | every candidate: P, R, F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, c in figures["corpora"].items():
        top, first, every = c["top_k_ranked"], c["first_k_in_order"], c["every_candidate"]
        out.append(
            f"| {name} | {c['gold_days']} | {c['candidates']} | {top['right']}, {top['f1']:.3f}"
            f" | {first['f1']:.3f} | {every['precision']:.3f}, {every['recall']:.3f},"
            f" {every['f1']:.3f} |"
        )
    out += ["", f"Mean F1 of the top k: {figures['mean_f1_top_k']:.3f}."]
    return out
