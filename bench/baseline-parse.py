#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The scripted client's cost: json.loads plus one small object per job, on the same bytes.

Usage: baseline-parse.py FILE RUNS  → prints the median seconds per parse."""
import json
import statistics
import sys
import time


class Job:
    __slots__ = ("job_id", "progress", "delay", "status", "mode", "process_time", "remaining")

    def __init__(self, r):
        self.job_id = r.get("job_id")
        self.progress = num(r.get("progress"))
        self.delay = num(r.get("incre_trans_delay"))
        self.status = r.get("transfer_status")
        self.mode = r.get("task_mode")
        self.process_time = num(r.get("process_time"))
        self.remaining = num(r.get("remaining_time"))


def num(v):
    try:
        return float(str(v).rstrip("%"))
    except (TypeError, ValueError):
        return None


def main():
    data = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2])
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        jobs = [Job(r) for r in json.loads(data)["results"]]
        times.append(time.perf_counter() - t0)
        assert jobs
    print(f"{statistics.median(times):.9f}")


main()
