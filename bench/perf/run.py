"""Article-page serving benchmark: all figures side by side in one run.

    .venv/bin/python bench/perf/run.py [--seconds 10] [--connections 8] [--surge-seconds 30]
    .venv/bin/python bench/perf/run.py --scale [--scale-sizes 1000,100000]
        [--scale-archive 100000=DIR/bench-100000.sqlite3]

Needs nginx, wrk and varnishd (`apt-get install -y nginx wrk varnish`) and granian
(`pip install granian`). It builds the demo newsroom in a temporary folder, then
measures, one after another on this machine, with `wrk -t2 -c<connections>`:

1. nginx serving the rendered article page as a static file (the machine's limit);
2. Varnish with deploy/varnish/masthead.vcl in front of Masthead, cache warm (1 and 2
   alternate --rounds times; each one's median run is kept), both without and with
   `Accept-Encoding: gzip` (nginx then sends a gzip copy made once, `gzip_static`);
3. for each server (gunicorn sync; gunicorn gthread; granian's WSGI interface, the
   default of `masthead serve`), with the same number of worker processes:
   a minimal WSGI app returning the same bytes (the Python floor), Masthead's article
   page with the full-page cache (anonymous reader, cache warm) and uncached
   (MASTHEAD_PAGE_CACHE=0), the latter also with one client at a time (the latency of
   one render, no queueing);
4. a surge: 200 concurrent clients for --surge-seconds against a story published a
   second earlier, through Masthead (granian, the default server, cache on, no proxy
   in front; Varnish's backend is the same server).

`--scale` instead builds synthetic archives (masthead/demo/archive.py) of each size
(or copies a prebuilt one: `--scale-archive 100000=DIR/bench-100000.sqlite3`)
and times, in-process and uncached (page cache off), the article, home, section, topic
and author pages and the publishing of a new story, wall and process CPU time, with
the growth ratio largest/smallest.

It prints requests per second, p50 and p99 latency and the ratios, and writes the
figures to bench/results/perf-<date>.json (perf-scale-<date>.json for --scale). Every
server listens on 127.0.0.1 only, and every load run is bounded in time.
"""

import argparse
import datetime as dt
import gzip
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
BIN = Path(PYTHON).parent
WORKERS = 3
THREADS = 4
SERVERS = ("gunicorn-sync", "gunicorn-gthread", "granian")
MAIN_SERVER = "granian"  # masthead serve's default: behind Varnish and for the surge


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


GZIP = {"Accept-Encoding": "gzip"}


def wrk(url: str, seconds: int, connections: int, threads: int = 2, headers=None) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            *[arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")],
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
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
        "connections": connections,
    }


def start(cmd: list[str], env: dict, log: Path, cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def server_command(kind: str, app: str, port: int) -> list[str]:
    """Return the command serving WSGI ``app`` ("module:callable") with ``kind``."""
    if kind == "granian":
        return [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(WORKERS),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            app,
        ]
    worker = (
        ["-k", "sync"] if kind == "gunicorn-sync" else ["-k", "gthread", "--threads", str(THREADS)]
    )
    # The options `masthead serve` gives gunicorn (masthead/cli.py).
    return [
        str(BIN / "gunicorn"),
        "--no-control-socket",
        "--preload",
        "-w",
        str(WORKERS),
        *worker,
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "-b",
        f"127.0.0.1:{port}",
        app,
    ]


def measure(
    results: dict, name: str, url: str, args, connections: int | None = None, headers=None
) -> None:
    connections = connections or args.connections
    wrk(url, 2, connections, headers=headers)  # warm up
    results[name] = wrk(url, args.seconds, connections, headers=headers)
    r = results[name]
    print(
        f"  {name:<34} {r['rps']:>9.0f} req/s  p50 {r['p50_ms']:>8.2f} ms  "
        f"p99 {r['p99_ms']:>8.2f} ms  errors {r['errors']}",
        flush=True,
    )


def bench_env(work: Path) -> dict:
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "MASTHEAD_PURGE_URL"}
    }
    return {
        **base_env,
        "MASTHEAD_DATA_DIR": str(work / "data"),
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": str(WORKERS),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "-m", "masthead.cli", "manage", *arguments], env=env, check=True)


def serving(args) -> None:
    for tool in ("nginx", "wrk", "varnishd"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y nginx wrk varnish")
    if not (BIN / "granian").exists():
        raise SystemExit("granian is missing: .venv/bin/pip install granian")

    work = Path(tempfile.mkdtemp(prefix="masthead-perf-"))
    work.chmod(0o755)  # nginx's workers run as another user and must read the page
    env = bench_env(work)
    prod = {**env, "DJANGO_SETTINGS_MODULE": "masthead.settings.production"}
    print("Building the demo newsroom ...", flush=True)
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo_content", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")

    processes: list[subprocess.Popen] = []
    results: dict[str, dict] = {}
    try:
        main_port = free_port()
        main = start(
            server_command(MAIN_SERVER, "masthead.wsgi:application", main_port),
            prod,
            work / "main.log",
        )
        processes.append(main)
        wait_for(f"http://127.0.0.1:{main_port}/")
        home = urllib.request.urlopen(f"http://127.0.0.1:{main_port}/news/").read().decode()
        article = re.search(r'card__headline"><a href="([^"]+)"', home).group(1)
        body = urllib.request.urlopen(f"http://127.0.0.1:{main_port}{article}").read()
        static = work / "static"
        static.mkdir()
        (static / "article.html").write_bytes(body)
        # What nginx sends a browser that accepts gzip (gzip_static), compressed once.
        (static / "article.html.gz").write_bytes(gzip.compress(body, compresslevel=6))
        (work / "floor.py").write_text(
            textwrap.dedent(f"""
            BODY = open({str(static / "article.html")!r}, 'rb').read()
            def app(environ, start_response):
                start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),
                                          ('Content-Length', str(len(BODY)))])
                return [BODY]
        """)
        )

        # 1, 2: nginx static and Varnish in front of Masthead, measured back to back.
        nginx_port, varnish_port = free_port(), free_port()
        (work / "nginx.conf").write_text(
            textwrap.dedent(f"""
            worker_processes 2; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
            events {{ worker_connections 1024; }}
            http {{ access_log off; default_type text/html;
                   server {{ listen 127.0.0.1:{nginx_port}; root {static}; gzip_static on; }} }}
        """)
        )
        vcl = (ROOT / "deploy" / "varnish" / "masthead.vcl").read_text()
        (work / "masthead.vcl").write_text(vcl.replace('"8000"', f'"{main_port}"'))
        processes.append(start(["nginx", "-c", str(work / "nginx.conf")], env, work / "nginx.log"))
        processes.append(
            start(
                [
                    "varnishd",
                    "-F",
                    "-n",
                    str(work / "varnish"),
                    "-a",
                    f"127.0.0.1:{varnish_port}",
                    "-f",
                    str(work / "masthead.vcl"),
                    "-s",
                    "malloc,64m",
                ],
                env,
                work / "varnish.log",
            )
        )
        wait_for(f"http://127.0.0.1:{nginx_port}/article.html")
        wait_for(f"http://127.0.0.1:{varnish_port}{article}")
        # Rates drift on a shared machine: alternate the two, keep each one's median run.
        # Plain bytes (as the Python targets below), and gzip as browsers ask for it:
        # Varnish keeps one gzip copy and unzips it for each client without gzip.
        pair = {
            "nginx static": (f"http://127.0.0.1:{nginx_port}/article.html", None),
            "varnish (masthead behind)": (f"http://127.0.0.1:{varnish_port}{article}", None),
            "nginx static, gzip": (f"http://127.0.0.1:{nginx_port}/article.html", GZIP),
            "varnish, gzip": (f"http://127.0.0.1:{varnish_port}{article}", GZIP),
        }
        runs: dict[str, list[dict]] = {name: [] for name in pair}
        for _ in range(args.rounds):
            for name, (url, headers) in pair.items():
                scratch: dict[str, dict] = {}
                measure(scratch, name, url, args, headers=headers)
                runs[name].append(scratch[name])
        for name, measured in runs.items():
            results[name] = sorted(measured, key=lambda r: r["rps"])[len(measured) // 2]
            results[name]["rounds_rps"] = [r["rps"] for r in measured]

        # 3: the same three Python targets under each server.
        for kind in SERVERS:
            ports = {name: free_port() for name in ("floor", "cached", "uncached")}
            group = [
                start(
                    server_command(kind, "floor:app", ports["floor"]),
                    env,
                    work / f"{kind}-floor.log",
                    cwd=work,
                ),
                start(
                    server_command(kind, "masthead.wsgi:application", ports["cached"]),
                    prod,
                    work / f"{kind}-cached.log",
                ),
                start(
                    server_command(kind, "masthead.wsgi:application", ports["uncached"]),
                    {**prod, "MASTHEAD_PAGE_CACHE": "0"},
                    work / f"{kind}-uncached.log",
                ),
            ]
            try:
                for port in ports.values():
                    wait_for(f"http://127.0.0.1:{port}/")
                measure(
                    results, f"{kind}: python floor", f"http://127.0.0.1:{ports['floor']}/", args
                )
                measure(
                    results,
                    f"{kind}: masthead cached",
                    f"http://127.0.0.1:{ports['cached']}{article}",
                    args,
                )
                uncached = f"http://127.0.0.1:{ports['uncached']}{article}"
                measure(results, f"{kind}: masthead uncached", uncached, args)
                measure(
                    results, f"{kind}: masthead uncached, 1 client", uncached, args, connections=1
                )
            finally:
                for process in group:
                    stop(process)

        # 4: the surge, against a story published a second earlier.
        manage(env, "shell", "-c", SURGE_PUBLISH)
        time.sleep(1)
        results["surge: 200 clients"] = wrk(
            f"http://127.0.0.1:{main_port}/news/surge-breaking-story/", args.surge_seconds, 200
        )
    finally:
        for process in processes:
            stop(process)

    report(results, body, args)
    shutil.rmtree(work, ignore_errors=True)


def report(results: dict, body: bytes, args) -> None:
    print(
        f"\nSame {len(body):,}-byte article page, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"{WORKERS} worker processes per server, {os.cpu_count()} cores (machine shared with "
        f"other jobs: compare within this run only):\n"
    )
    print(f"{'target':<36}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<36}{r['rps']:>9.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}{r['errors']:>8}")
    ratios = {
        "varnish / nginx static": results["varnish (masthead behind)"]["rps"]
        / results["nginx static"]["rps"],
        "varnish / nginx static, gzip": results["varnish, gzip"]["rps"]
        / results["nginx static, gzip"]["rps"],
    }
    for kind in SERVERS:
        floor = results[f"{kind}: python floor"]["rps"]
        ratios[f"{kind}: cached / floor"] = results[f"{kind}: masthead cached"]["rps"] / floor
        ratios[f"{kind}: uncached / floor"] = results[f"{kind}: masthead uncached"]["rps"] / floor
    base = "gunicorn-sync"
    for kind in SERVERS[1:]:
        for what in ("masthead cached", "masthead uncached"):
            ratios[f"{kind} / {base}: {what}"] = (
                results[f"{kind}: {what}"]["rps"] / results[f"{base}: {what}"]["rps"]
            )
    print("\nRatios (targets: cached / floor >= 0.80, varnish / nginx >= 0.90):")
    for name, value in ratios.items():
        print(f"  {name:<44}{value:>6.2f}")
    out = ROOT / "bench" / "results" / f"perf-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "command": recorded_command(),
                "bytes": len(body),
                "connections": args.connections,
                "seconds": args.seconds,
                "workers": WORKERS,
                "cores": os.cpu_count(),
                "results": results,
                "ratios": ratios,
            },
            indent=2,
        )
    )
    print(f"\nWritten to {out.relative_to(ROOT)}")


SURGE_PUBLISH = """
from masthead.articles.factories import ArticlePageFactory
from masthead.sections.models import SectionPage
news = SectionPage.objects.get(slug="news")
story = ArticlePageFactory(parent=news, live=False, slug="surge-breaking-story",
                           title="Breaking: the harbour bridge is closed", standfirst="Traffic is diverted.")
story.save_revision().publish()
"""

# Runs inside Django (settings from the environment) against one synthetic archive.
SCALE_TIMING = """
import json, statistics, sys, time
from django.test import Client
from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.people.models import Author
from masthead.sections.models import SectionPage, Topic

repeat = int(sys.argv[1])
section = SectionPage.objects.order_by("path").first()
stories = ArticlePage.objects.live().child_of(section).order_by("path")
article = stories[stories.count() // 2]
topic = Topic.objects.order_by("pk").first()
author = Author.objects.order_by("pk").first()
client = Client(HTTP_HOST="localhost")
urls = {
    "article": article.url,
    "home": "/",
    "section": section.url,
    "topic": topic.get_absolute_url(),
    "author": author.get_absolute_url(),
}

def timed(call):
    started, started_cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000, result

out = {}
for name, url in urls.items():
    client.get(url)
    wall, cpu = [], []
    for _ in range(repeat):
        ms, cpu_ms, response = timed(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        wall.append(ms)
        cpu.append(cpu_ms)
    out[name + "_ms"] = statistics.median(wall)
    out[name + "_cpu_ms"] = statistics.median(cpu)
wall, cpu = [], []
for n in range(max(3, repeat // 4)):
    story = ArticlePageFactory(parent=section, live=False, slug=f"scale-publish-{n}",
                               title=f"Scale check story number {n}", standfirst="A new story.")
    ms, cpu_ms, _ = timed(lambda: story.save_revision().publish())
    wall.append(ms)
    cpu.append(cpu_ms)
out["publish_ms"] = statistics.median(wall)
out["publish_cpu_ms"] = statistics.median(cpu)
out["stories"] = ArticlePage.objects.count()
print("RESULT " + json.dumps(out))
"""

SCALE_PAGES = ("article", "home", "section", "topic", "author", "publish")


def copy_archive(source: Path, data: Path) -> None:
    """Copy a prebuilt archive (and its write-ahead log, if any) into ``data``; never write to it."""
    data.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        src = Path(f"{source}{suffix}")
        if src.exists():
            subprocess.run(
                ["cp", "--reflink=auto", str(src), str(data / f"masthead.sqlite3{suffix}")],
                check=True,
            )


def recorded_command() -> str:
    """This run's command line, with archive paths (machine-specific) shown by file name only."""
    words = []
    for word in sys.argv[1:]:
        size, sep, path = word.partition("=")
        words.append(f"{size}=DIR/{Path(path).name}" if sep and "/" in path else word)
    return " ".join(["bench/perf/run.py", *words])


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def scale(args) -> None:
    sizes = [int(s) for s in args.scale_sizes.split(",")]
    archives = {}
    for item in args.scale_archive:
        size, _, path = item.partition("=")
        archives[int(size)] = Path(path)
        if not archives[int(size)].exists():
            raise SystemExit(f"No archive at {path}")
    rows = {}
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"masthead-scale-{size}-"))
        env = {**bench_env(work), "MASTHEAD_PAGE_CACHE": "0"}
        started = time.monotonic()
        if size in archives:
            print(f"Copying the prebuilt archive {archives[size]} ...", flush=True)
            copy_archive(archives[size], work / "data")
            manage(env, "migrate", "-v0")
        else:
            print(f"Building a synthetic archive of {size:,} stories ...", flush=True)
            manage(env, "migrate", "-v0")
            # With the search index, like the prebuilt archives: publishing updates it.
            manage(env, "generate_archive", str(size))
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"  ready in {time.monotonic() - started:.0f} s; timing ...", flush=True)
        (work / "timing.py").write_text(SCALE_TIMING)
        load_before = load_average()
        out = subprocess.run(
            [
                PYTHON,
                "-m",
                "masthead.cli",
                "manage",
                "shell",
                "-c",
                f"import sys; sys.argv=['x', '{args.scale_repeat}']; exec(open({str(work / 'timing.py')!r}).read())",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=3600,
        ).stdout
        rows[size] = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
        rows[size]["load_average"] = f"{load_before} -> {load_average()}"
        print(f"  {rows[size]}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    small, large = rows[sizes[0]], rows[sizes[-1]]
    print(
        f"\nUncached, in-process, median of {args.scale_repeat} (publish: of {max(3, args.scale_repeat // 4)});"
        " wall ms, then process CPU ms:\n"
    )
    header = "".join(f"{size:>12,}" for size in sizes)
    print(f"{'':<12}{header}{'growth':>9}   CPU{header}{'growth':>9}")
    growth = {}
    for page in SCALE_PAGES:
        wall, cpu = f"{page}_ms", f"{page}_cpu_ms"
        growth[wall] = large[wall] / small[wall]
        growth[cpu] = large[cpu] / small[cpu]
        print(
            f"{page:<12}"
            + "".join(f"{rows[s][wall]:>12.1f}" for s in sizes)
            + f"{growth[wall]:>8.2f}x   CPU"
            + "".join(f"{rows[s][cpu]:>12.1f}" for s in sizes)
            + f"{growth[cpu]:>8.2f}x"
        )
    out = ROOT / "bench" / "results" / f"perf-scale-{dt.date.today().isoformat()}.json"
    out.write_text(
        json.dumps(
            {
                "command": recorded_command(),
                "sizes": rows,
                "growth": growth,
            },
            indent=2,
        )
    )
    print(f"\nWritten to {out.relative_to(ROOT)} (target: growth < 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--surge-seconds", type=int, default=30)
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating nginx/Varnish runs (median kept)."
    )
    parser.add_argument(
        "--scale", action="store_true", help="Run the archive-scale timing instead."
    )
    parser.add_argument("--scale-sizes", default="1000,100000")
    parser.add_argument("--scale-repeat", type=int, default=20)
    parser.add_argument(
        "--scale-archive",
        action="append",
        default=[],
        metavar="SIZE=PATH",
        help="Use a copy of a prebuilt SQLite archive of SIZE stories (e.g. "
        "100000=DIR/bench-100000.sqlite3) instead of generating one.",
    )
    args = parser.parse_args()
    scale(args) if args.scale else serving(args)


if __name__ == "__main__":
    main()
