"""Article-page serving benchmark: all figures side by side in one run.

    .venv/bin/python bench/perf/run.py [--seconds 10] [--connections 8] [--surge-seconds 30]

Needs nginx and wrk (`apt-get install -y nginx wrk`). It builds the demo newsroom in a
temporary folder, then measures, one after another on this machine:

1. nginx serving the rendered article page as a static file (the machine's limit);
2. a minimal WSGI app returning the same bytes under gunicorn with Masthead's worker
   settings (the Python floor);
3. Masthead's article page with the full-page cache (anonymous reader, cache warm);
4. Masthead's article page uncached (MASTHEAD_PAGE_CACHE=0);
5. a surge: 200 concurrent clients for --surge-seconds against a story published a
   second earlier, through the cached server.

It prints requests per second, p50 and p99 latency and the ratios to the Python floor,
and writes the figures to bench/results/perf-<date>.json. Every server listens on
127.0.0.1 only, and every load run is bounded in time.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
WORKERS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def wrk(url: str, seconds: int, connections: int, threads: int = 2) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
        "requests": requests,
    }


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--surge-seconds", type=int, default=30)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y nginx wrk")

    work = Path(tempfile.mkdtemp(prefix="masthead-perf-"))
    work.chmod(0o755)  # nginx's workers run as another user and must read the page
    data = work / "data"
    base_env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env = {
        **base_env,
        "MASTHEAD_DATA_DIR": str(data),
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": str(WORKERS),
        "LOG_LEVEL": "WARNING",
    }
    print("Building the demo newsroom ...", flush=True)
    subprocess.run([PYTHON, "-m", "masthead.cli", "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [PYTHON, "-m", "masthead.cli", "manage", "seed_demo_content", "-v0"], env=env, check=True
    )

    processes = []
    results = {}
    try:
        cached_port, uncached_port = free_port(), free_port()
        cached = start(
            [PYTHON, "-m", "masthead.cli", "serve", "--port", str(cached_port)],
            env,
            work / "cached.log",
        )
        uncached = start(
            [PYTHON, "-m", "masthead.cli", "serve", "--port", str(uncached_port), "--no-scheduler"],
            {**env, "MASTHEAD_PAGE_CACHE": "0"},
            work / "uncached.log",
        )
        processes += [cached, uncached]
        wait_for(f"http://127.0.0.1:{cached_port}/")
        wait_for(f"http://127.0.0.1:{uncached_port}/")
        home = urllib.request.urlopen(f"http://127.0.0.1:{cached_port}/news/").read().decode()
        article = re.search(r'card__headline"><a href="([^"]+)"', home).group(1)
        body = urllib.request.urlopen(f"http://127.0.0.1:{cached_port}{article}").read()
        static = work / "static"
        static.mkdir()
        (static / "article.html").write_bytes(body)
        (work / "floor.py").write_text(
            textwrap.dedent(f"""
            BODY = open({str(static / "article.html")!r}, 'rb').read()
            def app(environ, start_response):
                start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),
                                          ('Content-Length', str(len(BODY)))])
                return [BODY]
        """)
        )
        nginx_port, floor_port = free_port(), free_port()
        (work / "nginx.conf").write_text(
            textwrap.dedent(f"""
            worker_processes 2; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
            events {{ worker_connections 1024; }}
            http {{ access_log off; default_type text/html;
                   server {{ listen 127.0.0.1:{nginx_port}; root {static}; }} }}
        """)
        )
        processes.append(start(["nginx", "-c", str(work / "nginx.conf")], env, work / "nginx.log"))
        processes.append(
            start(
                [
                    str(Path(PYTHON).with_name("gunicorn")),
                    "--no-control-socket",
                    "-w",
                    str(WORKERS),
                    "-b",
                    f"127.0.0.1:{floor_port}",
                    "--chdir",
                    str(work),
                    "floor:app",
                ],
                env,
                work / "floor.log",
            )
        )
        wait_for(f"http://127.0.0.1:{nginx_port}/article.html")
        wait_for(f"http://127.0.0.1:{floor_port}/")
        targets = {
            "nginx static": f"http://127.0.0.1:{nginx_port}/article.html",
            "python floor": f"http://127.0.0.1:{floor_port}/",
            "masthead cached": f"http://127.0.0.1:{cached_port}{article}",
            "masthead uncached": f"http://127.0.0.1:{uncached_port}{article}",
        }
        for name, url in targets.items():
            wrk(url, 2, args.connections)  # warm up
            results[name] = wrk(url, args.seconds, args.connections)
            print(f"  {name:<18} {results[name]['rps']:>9.0f} req/s", flush=True)

        # The surge: publish a story, then 200 readers at once a second later.
        subprocess.run(
            [PYTHON, "-m", "masthead.cli", "manage", "shell", "-c", SURGE_PUBLISH],
            env=env,
            check=True,
        )
        time.sleep(1)
        results["surge 200 clients"] = wrk(
            f"http://127.0.0.1:{cached_port}/news/surge-breaking-story/",
            args.surge_seconds,
            200,
            threads=2,
        )
    finally:
        for process in processes:
            stop(process)

    floor = results["python floor"]["rps"]
    print(
        f"\nSame {len(body):,}-byte article page, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"{WORKERS} gunicorn workers, {os.cpu_count()} cores:\n"
    )
    print(f"{'target':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'vs floor':>10}")
    for name, r in results.items():
        ratio = r["rps"] / floor if floor else 0
        print(
            f"{name:<20}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}{r['errors']:>8}{ratio:>10.2f}"
        )
    out = ROOT / "bench" / "results" / f"perf-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"bytes": len(body), "connections": args.connections, "results": results}, indent=2
        )
    )
    print(f"\nWritten to {out.relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)


SURGE_PUBLISH = """
from masthead.articles.factories import ArticlePageFactory
from masthead.sections.models import SectionPage
news = SectionPage.objects.get(slug="news")
story = ArticlePageFactory(parent=news, live=False, slug="surge-breaking-story",
                           title="Breaking: the harbour bridge is closed", standfirst="Traffic is diverted.")
story.save_revision().publish()
"""


if __name__ == "__main__":
    main()
