"""Capacity under load on PostgreSQL: errors, p99 and database connections (issue #23).

    .venv/bin/python bench/perf/capacity.py [--clients 50,200] [--seconds 15]
        [--proxy-seconds 30] [--workers 2] [--threads 4]
        [--redis-url redis://127.0.0.1:6379/5] [--json OUT.json]

Needs PostgreSQL (``MASTHEAD_PRODUCTION_PG``, default postgres://postgres@127.0.0.1:5432/
postgres: a superuser that may create a role and a database), Redis, wrk and varnishd.
It creates a database of its own (``masthead_prodbench_*``, as its own role, like a real
site), builds the demo newsroom in it, and measures with ``wrk -t2 -c<clients>``, for each
number of clients, three addresses:

- ``search``: ``/search/?q=harbour`` (never cached: every request queries the database);
- ``story (uncached)``: a story with a tracking parameter, which the page cache and
  Varnish pass through, so the app renders it every time;
- ``home``: ``/`` (Masthead's page cache; Varnish's copy in the second part).

1. **Directly against one server**: `masthead serve --workers W --threads T` (scheduler and
   background worker on, as docs/deployment.md sets up the first server);
2. **Through Varnish** (deploy/varnish/masthead.vcl as shipped, probe every 5 s) in front
   of two such servers (the second `--no-scheduler`), the second server stopped and
   started again while each run is under way (a deploy), and waited for until the probe
   calls it healthy before the next run.

For each run it prints requests per second, p50 and p99 latency, the answers by status
and wrk's socket errors ("errors" counts both: every answer that is not 2xx or 3xx, and
every connection that failed or timed out after 30 s), the database's peak session
count (pg_stat_activity for the bench database, sampled every 50 ms) beside
``max_connections``, the Tracebacks in the servers' logs, and the load average before
and after (the machine may be shared: compare runs of one invocation, not across days).
The database, its role and the Redis keys are removed afterwards.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.production.servers import (  # noqa: E402 - after the path above
    HOST,
    ConnectionSampler,
    Database,
    Varnish,
    app_server,
    masthead,
    new_database,
    production_env,
    request,
)

# wrk counts answers by status across its threads (its summary only says "Non-2xx").
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 500 and not failure then
    failure = string.gsub(string.sub(body or "", 1, 300), "%s+", " ")
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %d %d\\n", status, count))
    end
    local failure = thread:get("failure")
    if failure then io.write("FAILURE " .. failure .. "\\n") end
  end
end
"""

STORY = """
from masthead.articles.models import ArticlePage
story = ArticlePage.objects.live().public().order_by("-first_published_at").first()
print("STORY", story.url)
"""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wrk_command(url: str, seconds: int, clients: int, script: Path) -> list[str]:
    return [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(script),
        "-H",
        f"Host: {HOST}",
        "-H",
        "X-Forwarded-Proto: https",
        url,
    ]


def parse_wrk(out: str) -> dict:
    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if match is None:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    statuses: dict[str, int] = {}
    for status, count in re.findall(r"^STATUS (\d+) (\d+)$", out, re.M):
        statuses[status] = statuses.get(status, 0) + int(count)
    socket_errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        socket_errors = dict(zip(socket_errors, (int(x) for x in m.groups()), strict=True))
    bad_answers = sum(n for s, n in statuses.items() if not 200 <= int(s) < 400)
    failure = re.search(r"^FAILURE (.*)$", out, re.M)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "statuses": statuses,
        "socket_errors": socket_errors,
        "errors": bad_answers + sum(socket_errors.values()),
        "first_failure_body": failure.group(1)[:300] if failure else None,
    }


def check_answers(base: str, paths: dict) -> None:
    """Stop unless every address answers 200 (a redirect or error would measure nothing)."""
    for label, path in paths.items():
        answer = request(base + path)
        if answer.status != 200:
            raise SystemExit(f"{label} {base}{path} answered {answer.status}")


class ProbeSampler(threading.Thread):
    """Ask varnishadm every half second which backends its probe calls sick; add up how
    long each was, and how long none was healthy (when Varnish can only answer 503)."""

    def __init__(self, varnish: Varnish, every: float = 0.5):
        super().__init__(daemon=True)
        self.varnish, self.every = varnish, every
        self.sick: dict[str, float] = {}
        self.none_healthy = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            verdicts = self.varnish.backends()
            for name, verdict in verdicts.items():
                if verdict == "sick":
                    self.sick[name] = self.sick.get(name, 0.0) + self.every
            if verdicts and "healthy" not in verdicts.values():
                self.none_healthy += self.every

    def stop(self) -> dict:
        self._stop_event.set()
        self.join(10)
        return {
            "probe_sick_s": {k: round(v, 1) for k, v in sorted(self.sick.items())},
            "no_healthy_backend_s": round(self.none_healthy, 1),
        }


def settle(url: str, seconds: float = 180) -> float:
    """Wait until ``url`` answers within a second; return how long that took.

    A server keeps working through the requests of clients that went away (WSGI cannot
    cancel them): after a run at 200 clients it may have a minute of them queued, which
    the next run would otherwise measure.
    """
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        asked = time.monotonic()
        try:
            if request(url, timeout=30).status == 200 and time.monotonic() - asked < 1.0:
                break
        except OSError:
            pass
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def tracebacks(apps) -> int:
    return sum(app.output().count("Traceback") for app in apps if app)


def run(
    label: str,
    url: str,
    seconds: int,
    clients: int,
    database: Database,
    script: Path,
    apps: list,
    during=None,
    varnish: Varnish | None = None,
) -> dict:
    """One wrk run with the connection sampler (and, through Varnish, the probe's
    verdicts); ``during()`` runs while wrk does."""
    settled = settle(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/")
    before_tracebacks = tracebacks(apps)
    load_before = load_average()
    sampler = ConnectionSampler(database)
    sampler.start()
    probes = ProbeSampler(varnish) if varnish else None
    if probes:
        probes.start()
    wrk = subprocess.Popen(
        wrk_command(url, seconds, clients, script),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    extra = during() if during else {}
    out, _ = wrk.communicate(timeout=seconds + 120)
    peak = sampler.stop()
    if probes:
        extra = {**extra, **probes.stop()}
    if wrk.returncode != 0:
        raise SystemExit(f"wrk failed:\n{out}")
    result = {
        "label": label,
        "clients": clients,
        "url": url,
        **parse_wrk(out),
        "peak_connections": peak,
        "tracebacks": tracebacks(apps) - before_tracebacks,
        "load_before": load_before,
        "load_after": load_average(),
        "settled_s": settled,
        **extra,
    }
    print(
        f"  {label:<18} c={clients:<4} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>8.1f} ms"
        f"  p99 {result['p99_ms']:>8.1f} ms  errors {result['errors']:<4}"
        f" statuses {result['statuses']}  peak db connections {peak}"
        f"  load {load_before} -> {result['load_after']}"
        + (f"  restart {extra}" if extra else "")
        + (f"\n    first failure: {result['first_failure_body']}" if result["errors"] else ""),
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--seconds", type=int, default=15, help="Each run against one server.")
    parser.add_argument(
        "--proxy-seconds", type=int, default=30, help="Each run through Varnish (with a restart)."
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--json", type=Path, default=None, help="Write the figures here.")
    parser.add_argument(
        "--parts", default="direct,varnish", help="Which parts to run (direct, varnish)."
    )
    parser.add_argument(
        "--newsroom",
        choices=("demo", "small"),
        default="demo",
        help="The demo newsroom, or the fault tests' twelve stories (quicker to build).",
    )
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    for tool in ("wrk", "varnishd", "varnishadm"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y wrk varnish")

    work = Path(tempfile.mkdtemp(prefix="masthead-capacity-"))
    script = work / "statuses.lua"
    script.write_text(STATUS_SCRIPT)
    prefix = f"capacity-{uuid.uuid4().hex[:8]}"
    database = new_database("masthead_prodbench")
    max_connections = Database.max_connections()
    env = production_env(
        work / "data",
        database,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=prefix,
        WEB_CONCURRENCY=str(args.workers),
    )
    server_args = ["--workers", str(args.workers), "--threads", str(args.threads)]
    apps: list = []
    varnish = None
    results: dict = {
        "command": "bench/perf/capacity.py " + " ".join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "max_connections": max_connections,
        "workers": args.workers,
        "threads": args.threads,
        "direct": [],
        "varnish": [],
    }
    try:
        print(f"Building the demo newsroom in {database.name} ...", flush=True)
        masthead(env, "manage", "migrate", "--verbosity", "0", timeout=900)
        if args.newsroom == "demo":
            masthead(env, "manage", "seed_demo_content", "--verbosity", "0", timeout=1800)
        else:
            from tests.production.conftest import SITE

            masthead(env, "manage", "shell", "-c", SITE)
        story = re.search(r"^STORY (\S+)$", masthead(env, "manage", "shell", "-c", STORY), re.M)
        paths = {
            "search": "/search/?q=harbour",
            "story (uncached)": story.group(1) + "?utm_source=bench",
            "home": "/",
        }

        app1, port1 = app_server(env, work, name="app1", args=server_args)
        apps.append(app1)
        banner = re.search(r"Database connections: .*", app1.output())
        results["capacity_line"] = banner.group(0) if banner else None
        print(f"max_connections {max_connections}; {results['capacity_line']}", flush=True)
        base = f"http://127.0.0.1:{port1}"
        check_answers(base, paths)

        print(f"1. One server ({args.workers} workers x {args.threads} threads)", flush=True)
        for n in clients if "direct" in args.parts else ():
            for label, path in paths.items():
                results["direct"].append(
                    run(label, base + path, args.seconds, n, database, script, apps)
                )

        app2, port2 = app_server(env, work, name="app2", args=[*server_args, "--no-scheduler"])
        apps.append(app2)
        varnish = Varnish([port1, port2], work, probe_interval="5s").start()
        both_healthy = {"app1": "healthy", "app2": "healthy"}
        varnish.wait_for_backends(both_healthy, seconds=120)
        check_answers(varnish.url, paths)

        def restart_second() -> dict:
            time.sleep(max(2, args.proxy_seconds // 6))
            stopping = time.monotonic()
            apps[1].stop()
            down = time.monotonic() - stopping
            time.sleep(2)
            process, _ = app_server(
                env, work, port=port2, name="app2", args=[*server_args, "--no-scheduler"]
            )
            apps[1] = process
            return {
                "restart_stop_s": round(down, 1),
                "restart_down_s": round(time.monotonic() - stopping, 1),
            }

        print(
            "2. Varnish in front of two servers, the second restarted during each run",
            flush=True,
        )
        for n in clients if "varnish" in args.parts else ():
            for label, path in paths.items():
                results["varnish"].append(
                    run(
                        label,
                        varnish.url + path,
                        args.proxy_seconds,
                        n,
                        database,
                        script,
                        apps,
                        during=restart_second,
                        varnish=varnish,
                    )
                )
                varnish.wait_for_backends(both_healthy, seconds=120)
    finally:
        if varnish:
            varnish.stop()
        for app in apps:
            app.stop()
        database.drop()
        try:
            import redis

            client = redis.Redis.from_url(args.redis_url, socket_connect_timeout=2)
            for key in client.scan_iter(f"{prefix}*"):
                client.delete(key)
        except Exception as exc:  # cleanup: say so, keep the results
            print(f"Could not remove the Redis keys {prefix}*: {exc}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
