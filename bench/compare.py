#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two summaries of bench/summarize.py side by side: each figure at REV and in this tree, and
this tree's figure as a multiple of REV's (below 1 is better for every figure of the summary)."""
import re
import sys


def figures(path):
    """figure name -> (text of our value, number)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or cells[0] in ("figure", "") or cells[0].startswith("---"):
                continue
            m = re.search(r"-?[0-9][0-9,]*\.?[0-9]*", cells[1])
            if m:
                out[cells[0]] = (cells[1], float(m.group(0).replace(",", "")))
    return out


def main():
    rev, base_path, ours_path = sys.argv[1:4]
    base, ours = figures(base_path), figures(ours_path)
    print(f"| figure | {rev} | this tree | this tree ÷ {rev} |")
    print("|---|---:|---:|---:|")
    for name, (text, value) in ours.items():
        if name not in base:
            print(f"| {name} | — | {text} | new |")
            continue
        btext, bvalue = base[name]
        ratio = f"{value / bvalue:.2f}" if bvalue else "—"
        print(f"| {name} | {btext} | {text} | {ratio} |")


main()
