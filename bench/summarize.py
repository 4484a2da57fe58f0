#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the tables the benchmarks printed (bench/run-all.sh) and prints one table: each figure,
ours beside the baseline measured in the same run, and the ratio."""
import re
import sys


def rows(path):
    """The Markdown table rows of a file, as lists of cells."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("|") and not line.startswith("|--") and not line.startswith("|:"):
                out.append([c.strip() for c in line.strip("|").split("|")])
    return out


def find(table, first):
    """The row whose first cell is @first, or starts with it."""
    for r in table:
        if r and r[0] == first:
            return r
    for r in table:
        if r and r[0].startswith(first):
            return r
    raise SystemExit(f"summarize: no row starting with {first!r}")


def num(text):
    m = re.search(r"-?[0-9][0-9,]*\.?[0-9]*", text)
    if not m:
        raise SystemExit(f"summarize: no number in {text!r}")
    return float(m.group(0).replace(",", ""))


def main():
    d = sys.argv[1]
    lines = []

    def add(what, ours, theirs, unit, baseline, how="faster"):
        """how: "faster" (baseline ÷ ours), or "of" (ours ÷ baseline, e.g. of the floor)."""
        if how == "faster":
            ratio = f"{theirs / ours:.1f}× faster" if ours <= theirs else f"{ours / theirs:.1f}× slower"
        elif how == "fewer":
            ratio = f"{theirs / ours:.1f}× fewer"
        elif how == "less":
            ratio = f"{theirs / ours:.1f}× less"
        else:
            ratio = f"{ours / theirs:.2f}× {how}"
        def fmt(v):
            return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"

        u = f" {unit}" if unit else ""
        lines.append(f"| {what} | {fmt(ours)}{u} | {fmt(theirs)}{u} ({baseline}) | {ratio} |")

    parse = rows(f"{d}/parse.md")
    r = find(parse, "10")
    add("Parse a 10-job response, per job", num(r[2]), num(r[4]), "ns",
        "Python json.loads + one object per job")
    r = find(parse, "1000")
    add("Parse a 1,000-job response, per job", num(r[2]), num(r[4]), "ns",
        "Python json.loads + one object per job")

    client = rows(f"{d}/client.md")
    python = find(client, "Python")
    c8 = [r for r in client if r[0].startswith("DrsClient") and r[1] == "8"][0]
    add("Refresh 1,000 tasks (100 batches, 50 ms latency), concurrency 8", num(c8[2]),
        num(python[2]), "s", "sequential Python urllib script")
    add("…the same, against its latency floor ⌈100/8⌉ × 50 ms", num(c8[2]), num(c8[3]), "s",
        "latency floor", how="the floor")

    monitor = rows(f"{d}/monitor.md")
    r = find(monitor, "Requests per hour, 1,000 jobs of which 900")
    add("Requests per hour, 1,000 tasks of which 900 finished", num(r[1]), num(r[2]), "",
        "poll everything every interval", how="fewer")
    r = find(monitor, "Memory per job")
    add("Memory per task (RSS growth over 100,000)", num(r[1]), num(r[2]), "B",
        "bare GListStore of the same objects", how="the baseline")
    r = find(monitor, "10,000-job refresh applied")
    add("Apply a 10,000-task refresh to the store", num(r[1]), num(r[2]), "ms",
        "rebuild the store")

    window = rows(f"{d}/window.md")
    r = find(window, "10000")
    add("Longest main-loop stall in a 10,000-task refresh", num(r[5]), num(r[9]), "ms",
        "rebuilding the rows")
    add("A 10,000-task refresh to pixels (app's work + paint)", num(r[3]) + num(r[4]),
        num(r[7]) + num(r[8]), "ms", "rebuilding the rows")
    start = find(window, "first frame: 10000")
    for first, label in (("first frame: empty, as GTK", "painted as GTK 4.8 chooses"),
                         ("first frame: empty, as the app", "painted as the app chooses")):
        base = find(window, first)
        add("Start-up to first frame, 10,000 tasks (median of the starts)", num(start[1]),
            num(base[1]), "ms", f"an empty libadwaita window, {label} ({base[-1]})",
            how="the empty window")

    exporter = rows(f"{d}/exporter.md")
    for n, label in (("1000", "1,000"), ("10000", "10,000")):
        r = find(exporter, n)
        add(f"Scrape /metrics, {label} tasks, refreshes running (p50)", num(r[1]), num(r[5]), "ms",
            "plain GString loop rendering the same families", how="the baseline")
    r = find(exporter, "DRS requests per hour")
    add("DRS requests per hour, 1,000 tasks (900 finished), scraped every 15 s", num(r[1]),
        num(r[2]), "", "query every task on every scrape", how="fewer")

    try:
        background = rows(f"{d}/background.md")
    except FileNotFoundError:  # an older run, before this benchmark
        background = None
    if background:
        window = find(background, "window open")
        for first, label in (("window closed", "window closed"), ("no window", "no window ever")):
            r = find(background, first)
            add(f"CPU, 1,000 tasks watched, {label}", num(r[3]), num(window[3]), "% of a core",
                "the window open", how="less")
            add(f"RSS, 1,000 tasks watched, {label}", num(r[4]), num(window[4]), "MB",
                "the window open", how="less")

    print("| figure | DRS Monitor | baseline (same run) | ratio |")
    print("|---|---:|---:|---:|")
    for line in lines:
        print(line)


main()
