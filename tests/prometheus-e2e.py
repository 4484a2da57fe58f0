#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole chain on loopback (issue 16), TAP output for meson:

drs-simulator (a scenario on a driven clock) → drs-progress --serve --all-jobs → a real
Prometheus (temporary storage, 1 s scrape and evaluation, the alert rules of
examples/prometheus/drs-alerts.yml with test-sized thresholds) → a real Alertmanager → a webhook
receiver in this script.

  1. Prometheus scrapes the exporter (in OpenMetrics, which it asks for) and the target is up.
  2. A short delay spike is seen by Prometheus, makes the delay alert pending, never firing.
  3. A task failing in the simulator makes DrsTaskFailed reach the webhook.
  4. A delay spike held over the threshold makes DrsTaskDelayHigh reach the webhook.

Usage: prometheus-e2e.py DRS_SIMULATOR DRS_PROGRESS EXAMPLES_DIR
Skips (TAP "1..0 # SKIP") only when prometheus, promtool or alertmanager is not installed
(Debian packages prometheus and prometheus-alertmanager; build-aux/deps.sh test installs them).
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

try:
    import yaml
except ImportError:  # checked in main(): the test skips, saying so
    yaml = None

TOKEN = "e2e-token"
DELAY_ID = "e2e00000-0000-4000-8000-00000000de1a"
FAIL_ID = "e2e00000-0000-4000-8000-0000000fa11d"
CALM_ID = "e2e00000-0000-4000-8000-0000000ca1a0"
DEADLINE_S = 60

# Test-sized alert parameters: each shipped value is replaced in the shipped rule, and each
# replacement must happen exactly once, so the rules under test are the rules we ship.
TEST_SIZED = {
    "DrsTaskDelayHigh": {
        "for": ("5m", "8s"),
        "expr": [(">= 300", ">= 30"), ("offset 10m", "offset 5s")],
    },
    "DrsTaskFailed": {"for": (None, None), "expr": []},
}

# Delay task: the simulator's clock is driven, so each phase lasts as long as the test wants.
# 0–100 s calm (1 s), 100–200 s a spike (60 s), 200–300 s calm, 300–400 s a spike, then calm.
SCENARIO = {
    "jobs": [
        {
            "id": DELAY_ID,
            "name": "e2e-delay",
            "scenario": "sync",
            "task_mode": "INCR_TRANS",
            "phases": [
                {"status": "INCRE_TRANSFER_STARTED", "duration": 100, "progress": 100,
                 "delay": {"base_ms": 1000, "jitter_ms": 0}},
                {"status": "INCRE_TRANSFER_STARTED", "duration": 100,
                 "delay": {"base_ms": 60000, "jitter_ms": 0}},
                {"status": "INCRE_TRANSFER_STARTED", "duration": 100,
                 "delay": {"base_ms": 1000, "jitter_ms": 0}},
                {"status": "INCRE_TRANSFER_STARTED", "duration": 100,
                 "delay": {"base_ms": 60000, "jitter_ms": 0}},
                {"status": "INCRE_TRANSFER_STARTED",
                 "delay": {"base_ms": 1000, "jitter_ms": 0}},
            ],
        },
        {
            "id": FAIL_ID,
            "name": "e2e-fails",
            "phases": [
                {"status": "FULL_TRANSFER_STARTED", "duration": 350, "progress": [0, 50]},
                {"status": "FULL_TRANSFER_FAILED", "error_code": "DRS.M03005",
                 "error_msg": "The full migration failed."},
            ],
        },
        {
            "id": CALM_ID,
            "name": "e2e-calm",
            "phases": [{"status": "INCRE_TRANSFER_STARTED", "progress": 100,
                        "delay": {"base_ms": 500, "jitter_ms": 0}}],
        },
    ]
}

results = []


def ok(passed, what):
    results.append(passed)
    print(f"{'ok' if passed else 'not ok'} {len(results)} - {what}", flush=True)
    if not passed:
        raise SystemExit(1)


def note(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(method, url, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read().decode()


def wait_for(what, check, deadline_s=DEADLINE_S, every_s=0.25):
    """Polls check() until it returns something true, with a deadline."""
    end = time.monotonic() + deadline_s
    last_error = None
    while time.monotonic() < end:
        try:
            value = check()
            if value:
                return value
        except (OSError, ValueError, KeyError) as e:
            last_error = e
        threading.Event().wait(every_s)
    note(f"gave up waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))
    return None


class Stack:
    def __init__(self, sim_exe, progress_exe, examples):
        self.sim_exe, self.progress_exe, self.examples = sim_exe, progress_exe, examples
        self.tmp = tempfile.mkdtemp(prefix="drs-prom-e2e-")
        self.procs = []
        self.alerts = []
        self.alert_event = threading.Condition()

    # Processes ---------------------------------------------------------------------------------

    def spawn(self, name, argv, env=None, first_line=False):
        log = open(os.path.join(self.tmp, name + ".log"), "w")
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE if first_line else log,
                                stderr=log, env=env, text=True)
        self.procs.append((name, proc, log))
        if first_line:
            line = proc.stdout.readline().strip()
            if not line:
                raise RuntimeError(f"{name} printed no URL; see {log.name}")
            return proc, line
        return proc, None

    def stop(self):
        for name, proc, log in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
            if proc.stdout:
                proc.stdout.close()
        if hasattr(self, "webhook"):
            self.webhook.shutdown()
            self.webhook.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def dump_logs(self):
        for name, _, log in self.procs:
            log.flush()
            try:
                with open(log.name) as f:
                    tail = f.read()[-3000:]
                note(f"--- {name} ---\n{tail}")
            except OSError:
                pass

    # The parts ---------------------------------------------------------------------------------

    def start_simulator(self):
        path = os.path.join(self.tmp, "scenario.json")
        with open(path, "w") as f:
            json.dump(SCENARIO, f)
        _, self.sim_url = self.spawn("simulator", [self.sim_exe, "--port", "0", "--seed", "1",
                                                   "--scenario", path, "--token", TOKEN],
                                     first_line=True)
        fetch("POST", self.sim_url + "/_sim/clock", {"manual": True})
        note(f"simulator at {self.sim_url}")

    def advance_simulator(self, seconds):
        fetch("POST", self.sim_url + "/_sim/clock", {"advance_ms": int(seconds * 1000)})

    def start_exporter(self):
        env = dict(os.environ, DRS_AUTH_TOKEN=TOKEN)
        for k in ("DRS_DOMAIN", "DRS_USER", "DRS_PASSWORD", "DRS_AK", "DRS_SK"):
            env.pop(k, None)
        _, self.metrics_url = self.spawn(
            "exporter",
            [self.progress_exe, "--serve", "127.0.0.1:0", "--endpoint", self.sim_url,
             "--project-id", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "--all-jobs", "--interval", "1",
             "--budget", "600", "--list-interval", "10", "--account", "e2e"],
            env=env, first_line=True)
        note(f"exporter at {self.metrics_url}")

    def start_webhook(self):
        stack = self

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.end_headers()
                payload = json.loads(body)
                with stack.alert_event:
                    for alert in payload.get("alerts", []):
                        stack.alerts.append((alert.get("status"), alert.get("labels", {})))
                    stack.alert_event.notify_all()

            def log_message(self, *args):
                pass

        self.webhook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=self.webhook.serve_forever, daemon=True).start()
        self.webhook_url = f"http://127.0.0.1:{self.webhook.server_address[1]}/hook"

    def start_alertmanager(self, binary):
        port = free_port()
        config = {
            "route": {"receiver": "test", "group_by": ["alertname", "job_id"],
                      "group_wait": "1s", "group_interval": "1s", "repeat_interval": "1h"},
            "receivers": [{"name": "test", "webhook_configs": [
                {"url": self.webhook_url, "send_resolved": False}]}],
        }
        path = os.path.join(self.tmp, "alertmanager.yml")
        with open(path, "w") as f:
            yaml.safe_dump(config, f)
        os.makedirs(os.path.join(self.tmp, "am-data"))
        self.spawn("alertmanager", [binary, f"--config.file={path}",
                                    f"--storage.path={self.tmp}/am-data",
                                    f"--web.listen-address=127.0.0.1:{port}",
                                    "--cluster.listen-address="])
        self.am = f"127.0.0.1:{port}"
        return wait_for("Alertmanager ready",
                        lambda: fetch("GET", f"http://{self.am}/-/ready")[0] == 200)

    def test_sized_rules(self):
        with open(os.path.join(self.examples, "drs-alerts.yml")) as f:
            rules = yaml.safe_load(f)
        done = set()
        for group in rules["groups"]:
            for rule in group["rules"]:
                sized = TEST_SIZED.get(rule.get("alert"))
                if sized is None:
                    continue
                old_for, new_for = sized["for"]
                if old_for is not None:
                    assert rule.get("for") == old_for, (rule["alert"], rule.get("for"))
                    rule["for"] = new_for
                else:
                    assert "for" not in rule, rule["alert"]
                for old, new in sized["expr"]:
                    assert rule["expr"].count(old) == 1, (rule["alert"], old, rule["expr"])
                    rule["expr"] = rule["expr"].replace(old, new)
                done.add(rule["alert"])
        assert done == set(TEST_SIZED), done
        path = os.path.join(self.tmp, "drs-alerts.yml")
        with open(path, "w") as f:
            yaml.safe_dump(rules, f)
        return path

    def start_prometheus(self, binary, rules):
        port = free_port()
        target = urllib.parse.urlsplit(self.metrics_url).netloc
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s",
                       "scrape_timeout": "900ms"},
            "rule_files": [rules],
            "alerting": {"alertmanagers": [{"static_configs": [{"targets": [self.am]}]}]},
            "scrape_configs": [{"job_name": "drs", "static_configs": [{"targets": [target]}]}],
        }
        path = os.path.join(self.tmp, "prometheus.yml")
        with open(path, "w") as f:
            yaml.safe_dump(config, f)
        self.spawn("prometheus", [binary, f"--config.file={path}",
                                  f"--storage.tsdb.path={self.tmp}/prom-data",
                                  f"--web.listen-address=127.0.0.1:{port}"])
        self.prom = f"http://127.0.0.1:{port}"
        return wait_for("Prometheus ready",
                        lambda: fetch("GET", f"{self.prom}/-/ready")[0] == 200)

    # Queries -----------------------------------------------------------------------------------

    def query(self, expr):
        url = f"{self.prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        _, body = fetch("GET", url)
        data = json.loads(body)
        if data.get("status") != "success":
            raise ValueError(body)
        return data["data"]["result"]

    def value(self, expr):
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def webhook_alerts(self, name, job_id):
        with self.alert_event:
            return [labels for status, labels in self.alerts
                    if status == "firing" and labels.get("alertname") == name
                    and labels.get("job_id") == job_id]

    def wait_webhook(self, name, job_id, deadline_s=DEADLINE_S):
        end = time.monotonic() + deadline_s
        with self.alert_event:
            while not self.webhook_alerts(name, job_id):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.alert_event.wait(left)
        return True


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    if yaml is None:
        print("1..0 # SKIP python3-yaml is not installed (build-aux/deps.sh installs it)")
        return 0
    prometheus = shutil.which("prometheus")
    promtool = shutil.which("promtool")
    alertmanager = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    if not (prometheus and promtool and alertmanager):
        print("1..0 # SKIP prometheus, promtool or alertmanager is not installed (Debian packages "
              "prometheus and prometheus-alertmanager; build-aux/deps.sh test installs them)")
        return 0

    print("1..9", flush=True)
    stack = Stack(*sys.argv[1:])
    started = time.monotonic()
    try:
        rules = stack.test_sized_rules()
        check = subprocess.run([promtool, "check", "rules", rules], capture_output=True, text=True)
        note(check.stdout + check.stderr)
        ok(check.returncode == 0, "the test-sized copy of examples/prometheus/drs-alerts.yml is valid")

        stack.start_simulator()
        stack.start_exporter()
        stack.start_webhook()
        ok(stack.start_alertmanager(alertmanager) is not None, "Alertmanager is ready")
        ok(stack.start_prometheus(prometheus, rules) is not None, "Prometheus is ready")

        # 1. Scraped, in OpenMetrics, every task discovered, values there.
        up = wait_for("the exporter up with the delay task's values", lambda: stack.value(
            f'drs_task_incremental_delay_seconds{{job_id="{DELAY_ID}"}} offset 5s'))
        targets = json.loads(fetch("GET", stack.prom + "/api/v1/targets")[1])["data"]["activeTargets"]
        note(json.dumps([{k: t.get(k) for k in ("health", "lastError", "scrapeUrl")} for t in targets]))
        ok(up is not None and stack.value('up{job="drs"}') == 1 and targets[0]["lastError"] == ""
           and stack.value('count(drs_task_info{account="e2e"})') == 3
           and stack.value('drs_exporter_scrapes_total{format="openmetrics"}') > 0
           and stack.value('drs_exporter_scrapes_total{format="text"}') == 0,
           "Prometheus scrapes the exporter in OpenMetrics (3 tasks discovered, delay known for 5 s)")

        # 2. A short spike: seen above the threshold, the alert pending, then gone, never firing.
        stack.advance_simulator(150)
        seen = wait_for("the short spike in Prometheus", lambda: (stack.value(
            f'drs_task_incremental_delay_seconds{{job_id="{DELAY_ID}"}}') or 0) >= 30)
        pending = wait_for("the delay alert pending", lambda: stack.query(
            f'ALERTS{{alertname="DrsTaskDelayHigh",alertstate="pending",job_id="{DELAY_ID}"}}'),
            deadline_s=10)
        stack.advance_simulator(100)
        gone = wait_for("the short spike over", lambda: (stack.value(
            f'drs_task_incremental_delay_seconds{{job_id="{DELAY_ID}"}}') or 99) < 30)
        # Once the expression is false the pending alert is dropped: it can no longer fire.
        dropped = wait_for("the pending delay alert dropped", lambda: not stack.query(
            f'ALERTS{{alertname="DrsTaskDelayHigh",job_id="{DELAY_ID}"}}'))
        fired = stack.query('max_over_time(ALERTS{alertname="DrsTaskDelayHigh",'
                            'alertstate="firing"}[5m])')
        ok(seen and pending and gone and dropped and not fired and
           not stack.webhook_alerts("DrsTaskDelayHigh", DELAY_ID),
           "a short delay spike makes DrsTaskDelayHigh pending, never firing")

        # 3 and 4. The task fails and the delay spikes again, this time held.
        stack.advance_simulator(100)
        ok(stack.wait_webhook("DrsTaskFailed", FAIL_ID),
           "a task failing in the simulator: DrsTaskFailed reaches the webhook")
        failed = stack.query(f'drs_task_info{{job_id="{FAIL_ID}"}}')
        note(json.dumps(failed))
        ok(failed and failed[0]["metric"].get("status") == "FULL_TRANSFER_FAILED"
           and failed[0]["metric"].get("error_code") == "DRS.M03005",
           "drs_task_info says the status and the error code of the failed task")
        ok(stack.wait_webhook("DrsTaskDelayHigh", DELAY_ID),
           "a delay spike held over the threshold: DrsTaskDelayHigh reaches the webhook")
        ok(not stack.webhook_alerts("DrsTaskDelayHigh", CALM_ID)
           and not stack.webhook_alerts("DrsTaskFailed", DELAY_ID)
           and not stack.webhook_alerts("DrsTaskFailed", CALM_ID),
           "no alert for the tasks that did nothing wrong")
        note(f"ran {time.monotonic() - started:.1f} s")
    except SystemExit:
        stack.dump_logs()
        raise
    except Exception as e:  # noqa: BLE001 - report it as a TAP failure, with the logs
        ok(False, f"unexpected {type(e).__name__}: {e}")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
