"""Live surge: readers polling a live page's updates and reading the page while entries
are published, measured through granian alone and through Varnish in front.

    .venv/bin/python bench/live/surge.py [--seconds 120] [--pollers 200] [--readers 200]
        [--poll-every 10] [--read-every 10] [--publish-every 5] [--port 8500]

Builds a small newsroom with one live page in a temporary folder (embedded default:
SQLite and the shared file store), serves it with ``masthead serve`` (granian, 2 workers),
then runs the surge twice: straight to granian, and through Varnish with
deploy/varnish/masthead.vcl (bans sent on publish, ``MASTHEAD_PURGE_URL``). Entries are
published from this process through the ORM, as the admin's save does (same signals).

For each entry, the *stale window* is the time from the end of its save to the last
response (of any client) that still lacked it: how long until every client is served
it. Prints errors (must be 0), p50/p99 of both request kinds and p50/p95/max of the
stale windows; results go to bench/results/live-surge-*.json.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))  # tests.production.servers (the VCL edit)
WORKERS = 2
ENTRY_ID = re.compile(r'<article class="entry[^"]*" id="(entry-\d+)"')

SETUP = """
import datetime as dt
from django.utils import timezone
from masthead.demo import seed
from masthead.live.factories import LiveEntryFactory, LivePageFactory
home = seed.ensure_home()
sections = seed.ensure_sections(home)
page = LivePageFactory(parent=sections["news"], live=False, slug="live-surge", title="Live: surge")
page.save_revision().publish()
for n in range(10):
    LiveEntryFactory(page=page, published_at=timezone.now() - dt.timedelta(minutes=60 - n))
print("PAGE", page.pk, page.url)
"""


def start(cmd, env, log: Path, umask: int = -1) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        umask=umask,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(url: str, process=None, log: Path | None = None, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"The server stopped: {log.read_text()[-2000:] if log else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Surge:
    def __init__(self, base: str, page_id: int, page_url: str, args):
        self.base, self.page_id, self.page_url, self.args = base, page_id, page_url, args
        self.lock = threading.Lock()
        self.polls: list[tuple[float, float, frozenset]] = []  # (sent, latency, ids)
        self.reads: list[tuple[float, float, frozenset]] = []  # (sent, latency, ids)
        self.errors: list[str] = []
        self.outcomes: dict[str, int] = {}
        self.published: dict[str, float] = {}
        self.stop = threading.Event()

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            if response.status != 200:
                raise OSError(f"status {response.status}")
            # Who answered from a copy: Varnish (X-Proxy-Cache) or Masthead (X-Cache).
            outcome = response.headers.get("X-Proxy-Cache") or response.headers.get("X-Cache")
            with self.lock:
                self.outcomes[outcome or "none"] = self.outcomes.get(outcome or "none", 0) + 1
            return response.read()

    def poller(self) -> None:
        time.sleep(random.uniform(0, self.args.poll_every))
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                data = json.loads(self._get(f"/live/{self.page_id}/updates.json"))
                # Every visible entry (the entries carry only the newest 20 and the
                # recently changed: an older entry is still there).
                ids = frozenset(data.get("versions") or (e["id"] for e in data["entries"]))
                with self.lock:
                    self.polls.append((sent, time.monotonic() - sent, ids))
            except Exception as exc:
                with self.lock:
                    self.errors.append(f"poll: {exc}")
            self.stop.wait(self.args.poll_every)

    def reader(self) -> None:
        time.sleep(random.uniform(0, self.args.read_every))
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                html = self._get(self.page_url).decode()
                ids = frozenset(ENTRY_ID.findall(html))
                with self.lock:
                    self.reads.append((sent, time.monotonic() - sent, ids))
            except Exception as exc:
                with self.lock:
                    self.errors.append(f"read: {exc}")
            self.stop.wait(self.args.read_every)

    def publisher(self) -> None:
        from masthead.articles.factories import body_from_paragraphs
        from masthead.live.models import LiveEntry

        number = 0
        while not self.stop.wait(self.args.publish_every):
            number += 1
            entry = LiveEntry.objects.create(
                page_id=self.page_id,
                headline=f"Surge entry {number}",
                body=body_from_paragraphs([f"Entry {number} of the surge."]),
            )
            with self.lock:
                self.published[entry.anchor] = time.monotonic()

    def run(self) -> dict:
        threads = [threading.Thread(target=self.poller) for _ in range(self.args.pollers)]
        threads += [threading.Thread(target=self.reader) for _ in range(self.args.readers)]
        threads.append(threading.Thread(target=self.publisher))
        for thread in threads:
            thread.daemon = True
            thread.start()
        time.sleep(self.args.seconds)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=40)
        return self.summary()

    def summary(self) -> dict:
        windows, poll_windows, read_windows = [], [], []
        for anchor, done in self.published.items():
            # A request sent after the save ended whose answer still lacked the entry
            # was stale; the entry reached every client after the last such request.
            stale_polls = [
                sent - done for sent, _lat, ids in self.polls if sent > done and anchor not in ids
            ]
            stale_reads = [
                sent - done for sent, _lat, ids in self.reads if sent > done and anchor not in ids
            ]
            poll_windows.append(max(stale_polls, default=0.0))
            read_windows.append(max(stale_reads, default=0.0))
            windows.append(max(poll_windows[-1], read_windows[-1]))
        poll_lat = [lat for _s, lat, _ids in self.polls]
        read_lat = [lat for _s, lat, _ids in self.reads]
        return {
            "requests": len(self.polls) + len(self.reads),
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
            "polls": len(self.polls),
            "poll_p50_ms": percentile(poll_lat, 0.5) * 1000,
            "poll_p99_ms": percentile(poll_lat, 0.99) * 1000,
            "reads": len(self.reads),
            "read_p50_ms": percentile(read_lat, 0.5) * 1000,
            "read_p99_ms": percentile(read_lat, 0.99) * 1000,
            "entries": len(windows),
            "stale_p50_s": percentile(windows, 0.5),
            "stale_p95_s": percentile(windows, 0.95),
            "stale_max_s": max(windows, default=float("nan")),
            "stale_mean_s": statistics.fmean(windows) if windows else float("nan"),
            "stale_polls_p95_s": percentile(poll_windows, 0.95),
            "stale_reads_p95_s": percentile(read_windows, 0.95),
            "load_average": os.getloadavg(),
            "cache_outcomes": dict(self.outcomes),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--poll-every", type=float, default=10)
    parser.add_argument("--read-every", type=float, default=10)
    parser.add_argument("--publish-every", type=float, default=5)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--skip-varnish", action="store_true")
    parser.add_argument("--work", help="reuse the newsroom a run with --keep left here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    # A run stopped from outside (timeout, Ctrl-C) still stops its servers (finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    # --work: a folder a stopped run left (--keep): its newsroom is reused, not rebuilt.
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="masthead-live-surge-"))
    varnish_port, app_port = args.port + 1, args.port
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "MASTHEAD_DATA_DIR": str(work / "data"),
        "SECRET_KEY": "bench-" + "x" * 50,
        # news.example.org: the host the shipped VCL's health probe asks for.
        "ALLOWED_HOSTS": "127.0.0.1,localhost,news.example.org",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "masthead.settings.production",
        "MASTHEAD_PURGE_URL": f"http://127.0.0.1:{varnish_port}",
        # The public address `masthead serve` checks (it answers news.example.org).
        "MASTHEAD_BASE_URL": "http://news.example.org",
        "MASTHEAD_PROXY_SSL_HEADER": "off",
    }
    # `masthead serve` refuses a data folder others can read.
    os.umask(0o077)
    manage = [sys.executable, "-m", "masthead.cli", "manage"]
    built = work / "page.txt"
    if not built.exists():
        print("Building a newsroom with one live page ...", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        out = subprocess.run(
            [*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
        ).stdout
        built.write_text(next(line for line in out.splitlines() if line.startswith("PAGE")))
    _tag, page_id, page_url = built.read_text().split()
    os.environ.update(env)
    import django

    django.setup()

    processes, results = [], {}
    try:
        # `masthead serve`, as a newsroom runs it: granian, its request threads, the
        # scheduler (scheduled entries) and the background worker.
        server = start(
            [
                sys.executable,
                "-m",
                "masthead.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(app_port),
                "--workers",
                str(WORKERS),
            ],
            env,
            work / "serve.log",
        )
        processes.append(server)
        wait_for(f"http://127.0.0.1:{app_port}{page_url}", server, work / "serve.log")
        targets = [("granian", f"http://127.0.0.1:{app_port}")]
        if not args.skip_varnish and shutil.which("varnishd"):
            # The shipped VCL with its one first backend on granian's port, its probe
            # and everything else as shipped (the same edit as the Varnish tests).
            from tests.production.servers import vcl_for

            work.chmod(0o755)  # varnishd reads the VCL after dropping privileges
            (work / "masthead.vcl").write_text(vcl_for([app_port], "5s"))
            (work / "masthead.vcl").chmod(0o644)
            varnish = start(
                [
                    "varnishd",
                    "-F",
                    "-f",
                    str(work / "masthead.vcl"),
                    "-a",
                    f"127.0.0.1:{varnish_port}",
                    "-n",
                    str(work / "varnish"),
                    "-s",
                    "malloc,64m",
                ],
                env,
                work / "varnish.log",
                umask=0o022,  # its compiler user must read what varnishd writes
            )
            processes.append(varnish)
            wait_for(f"http://127.0.0.1:{varnish_port}{page_url}")
            targets.append(("varnish", f"http://127.0.0.1:{varnish_port}"))
        for name, base in targets:
            print(f"Load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(
                f"Surge through {name}: {args.pollers} pollers, {args.readers} readers, "
                f"an entry every {args.publish_every} s, {args.seconds} s ...",
                flush=True,
            )
            results[name] = Surge(base, int(page_id), page_url, args).run()
            r = results[name]
            print(
                f"  errors {r['errors']}  polls {r['polls']} p50 {r['poll_p50_ms']:.1f} ms "
                f"p99 {r['poll_p99_ms']:.1f} ms  reads {r['reads']} p50 {r['read_p50_ms']:.1f} ms "
                f"p99 {r['read_p99_ms']:.1f} ms  entries {r['entries']}  stale window "
                f"p50 {r['stale_p50_s']:.2f} s p95 {r['stale_p95_s']:.2f} s max {r['stale_max_s']:.2f} s"
                f" (polls p95 {r['stale_polls_p95_s']:.2f} s, reads p95 {r['stale_reads_p95_s']:.2f} s)"
                f"  load average {' '.join(f'{x:.2f}' for x in r['load_average'])}"
                f"  answers {r['cache_outcomes']}",
                flush=True,
            )
    finally:
        for process in reversed(processes):
            stop(process)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"live-surge-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results}, indent=1))
    print(f"Results: {path}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
