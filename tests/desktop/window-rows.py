#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a screenshot of the DRS Monitor window and tells what the task table shows.

Prints "rows=N selected=M":
  rows      how many rows the table shows: the longest run of evenly spaced row separators
            across the left half of the window (a table of tasks draws one between every two rows; the welcome and the
            empty pages draw none).
  selected  how many pixel lines are tinted like a selected row (light and clearly blue-ish
            across most of the left half); 0 when no row is selected.

With a second screenshot of the same window taken earlier, also prints "changed=P": the percentage
of pixels of the right third (where the details of the selected task appear) that differ.

Usage: window-rows.py SCREENSHOT.png [EARLIER.png]   (needs ImageMagick's `convert`)
"""

import subprocess
import sys
from collections import Counter


def read_ppm(path):
    data = subprocess.run(["convert", path, "-alpha", "off", "-depth", "8", "ppm:-"],
                          check=True, capture_output=True).stdout
    # P6 <w> <h> <max> then RGB bytes
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    assert fields[0] == b"P6", fields[0]
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos:pos + width * height * 3]


def main():
    width, height, rgb = read_ppm(sys.argv[1])
    # The left half: the table starts at the left edge, a details pane may share the width.
    x0, x1 = width // 50, width // 2
    span = x1 - x0
    modes = []
    tinted_lines = 0
    for y in range(height):
        line = rgb[(y * width + x0) * 3:(y * width + x1) * 3]
        grays = Counter()
        tinted = 0
        for i in range(0, len(line), 3):
            r, g, b = line[i], line[i + 1], line[i + 2]
            grays[(r + g + b) // 3] += 1
            if min(r, g, b) >= 170 and b - r >= 6:
                tinted += 1
        value, count = grays.most_common(1)[0]
        modes.append(value if count >= 0.85 * span else None)
        if tinted >= 0.5 * span:
            tinted_lines += 1

    # A separator: a uniform line whose value differs a little from the uniform lines around it.
    separators = []
    for y in range(2, height - 2):
        m = modes[y]
        if m is None:
            continue
        around = [modes[j] for j in (y - 2, y - 1, y + 1, y + 2) if modes[j] is not None]
        if around and all(3 <= abs(m - a) <= 80 for a in around):
            separators.append(y)

    best = 0
    gaps = Counter(b - a for a, b in zip(separators, separators[1:]) if 20 <= b - a <= 120)
    for gap, _ in gaps.most_common(3):
        run = 1
        for a, b in zip(separators, separators[1:]):
            if abs((b - a) - gap) <= 1:
                run += 1
                best = max(best, run)
            else:
                run = 1
    result = f"rows={best} selected={tinted_lines}"
    if len(sys.argv) > 2:
        result += f" changed={changed_percent(width, height, rgb, sys.argv[2])}"
    print(result)


def changed_percent(width, height, rgb, earlier):
    w, h, old = read_ppm(earlier)
    if (w, h) != (width, height):
        return 100
    x0 = width - width // 3
    changed = total = 0
    for y in range(height):
        base = (y * width + x0) * 3
        end = (y * width + width) * 3
        for i in range(base, end, 3):
            total += 1
            if max(abs(rgb[i + k] - old[i + k]) for k in range(3)) > 24:
                changed += 1
    return changed * 100 // max(total, 1)


if __name__ == "__main__":
    main()
