#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sums up meson's test logs of several build trees (and NAME=ok|failed extra checks), and exits
non-zero if any test failed."""
import json
import sys

passed = failed = skipped = 0
for tree in sys.argv[1:]:
    if "=" in tree:  # an extra check: name=ok|failed
        name, result = tree.split("=", 1)
        if result == "ok":
            passed += 1
        else:
            failed += 1
            print(f"FAILED: {name}")
        continue
    try:
        with open(f"{tree}/meson-logs/testlog.json", encoding="utf-8") as log:
            for line in log:
                # A run killed while meson wrote its log leaves a torn line: say so, do not crash.
                line = line.strip("\0 \n")
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    print(f"FAILED in {tree}: an unreadable line in meson's test log")
                    failed += 1
                    continue
                result = entry.get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                    print(f"FAILED in {tree}: {entry.get('name')} ({result})")
    except FileNotFoundError:
        print(f"FAILED: {tree} ran no tests")
        failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
