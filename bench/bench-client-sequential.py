#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The naive baseline of bench-client: one refresh of every id in IDS_FILE, batch after batch of
ten, with nothing but urllib (a new connection per request, one request at a time).

    bench-client-sequential.py BASE_URL PROJECT_ID TOKEN IDS_FILE [RUNS]

Prints the wall time of each run in seconds, one a line.
"""
import json
import sys
import time
import urllib.request


def refresh(url, token, ids):
    for start in range(0, len(ids), 10):
        body = json.dumps({"jobs": ids[start:start + 10]}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "X-Auth-Token": token,
            "X-Language": "en-us",
        })
        with urllib.request.urlopen(request, timeout=30) as response:
            results = json.load(response)["results"]
            by_id = {r["job_id"]: r for r in results}
            assert len(by_id) == len(ids[start:start + 10])


def main():
    base, project, token, ids_file = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    with open(ids_file) as f:
        ids = [line.strip() for line in f if line.strip()]
    url = f"{base}/v3/{project}/jobs/batch-progress"
    for _ in range(runs):
        start = time.monotonic()
        refresh(url, token, ids)
        print(f"{time.monotonic() - start:.4f}", flush=True)


if __name__ == "__main__":
    main()
