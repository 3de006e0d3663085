"""Soak: minutes of mixed reading and publishing against `masthead serve`.

    .venv/bin/python bench/soak/run.py [--minutes 5] [--data DIR] [--port 8400]
        [--readers 4] [--publish-every 3] [--workers 2] [--redis-url URL]

Serves the demo newsroom in DIR (seeded first if empty) with gunicorn, reads every
kind of public page from several client threads, and edits and republishes a story
through Wagtail's revisions every few seconds (now and then unpublishing and
republishing one). Every 10 s it records the resident memory (RSS) of each server
process. It prints errors (must be zero) and checks the memory bound: after the
warm-up, the servers' total RSS may grow by at most ``--bound`` (20%) over its
first post-warm-up sample. Results go to bench/results/soak-*.json and an SVG chart.
Exit status 1 when there was an error or the bound was broken.
"""

import argparse
import json
import os
import random
import signal
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


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children(current))
    return tree


def server_env(args) -> dict:
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(args.data),
        "SECRET_KEY": "soak-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "masthead.settings.production",
    }
    env.pop("DATABASE_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def prepare(args) -> None:
    if (args.data / "masthead.sqlite3").exists():
        return
    print(f"Seeding the demo newsroom into {args.data} (a minute or two) ...", flush=True)
    env = {**server_env(args), "DJANGO_SETTINGS_MODULE": "masthead.settings.demo"}
    for command in (["migrate", "-v0"], ["seed_demo_content", "-v0"]):
        subprocess.run(
            [sys.executable, "-m", "masthead.cli", "manage", *command], env=env, check=True
        )


def public_urls(base: str) -> list[str]:
    """Return the paths the readers cycle through, read from the sitemaps and home page."""
    import re

    paths = {
        "/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=harbour",
        "/search/?q=border+talks",
        "/search/?q=elections&page=2",
    }
    for sitemap in (
        "/sitemap-stories.xml",
        "/sitemap-pages.xml",
        "/sitemap-topics.xml",
        "/sitemap-authors.xml",
    ):
        try:
            body = urllib.request.urlopen(base + sitemap, timeout=30).read().decode()
        except urllib.error.URLError:
            continue
        for loc in re.findall(r"<loc>([^<]+)</loc>", body):
            paths.add("/" + loc.split("/", 3)[3])
    return sorted(paths)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors: list[str] = []
        self.publishes = 0
        self.publish_errors: list[str] = []

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(message)
            else:
                self.errors.append("...")
                del self.errors[50:-1]


def reader(base: str, paths: list[str], stats: Stats, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        path = rng.choice(paths)
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except Exception as exc:
            stats.error(f"{path}: {exc.__class__.__name__}: {exc}")
            continue
        with stats.lock:
            stats.requests += 1
        # Unpublished stories may 404 for a moment: only those are allowed to.
        if status != 200 and not (status == 404 and path.count("/") >= 3):
            stats.error(f"{path}: HTTP {status}")


def publisher(args, stats: Stats, stop: threading.Event) -> None:
    """Edit and republish stories through Wagtail's revisions, as the admin does."""
    os.environ.update(server_env(args))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    import django

    django.setup()
    from django.db import close_old_connections

    from masthead.articles.models import ArticlePage

    rng = random.Random(7)
    ids = list(ArticlePage.objects.live().values_list("pk", flat=True))
    while not stop.wait(args.publish_every):
        close_old_connections()
        try:
            story = ArticlePage.objects.get(pk=rng.choice(ids)).get_latest_revision_as_object()
            round_ = stats.publishes + 1
            if round_ % 10 == 0:
                story.unpublish()
                story.save_revision().publish()
            else:
                base = story.standfirst.split(" [update ")[0]
                story.standfirst = f"{base} [update {round_}]"
                story.save_revision().publish()
            with stats.lock:
                stats.publishes += 1
        except Exception as exc:
            stats.publish_errors.append(f"{exc.__class__.__name__}: {exc}")


def svg_chart(samples: list[dict], warmup: float, bound: float, path: Path) -> None:
    width, height, left, bottom = 720, 260, 60, 36
    plot_w, plot_h = width - left - 12, height - bottom - 16
    end = max(s["t"] for s in samples) or 1

    def x(t):
        return round(left + plot_w * t / end, 1)

    def y(v):
        return round(16 + plot_h * (1 - v / peak), 1)

    base = next((s["total_mb"] for s in samples if s["t"] >= warmup), samples[0]["total_mb"])
    limit = base * (1 + bound)
    peak = max(max(s["total_mb"] for s in samples), limit) * 1.1
    line = " ".join(f"{x(s['t'])},{y(s['total_mb'])}" for s in samples)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>Server memory (total RSS, MB) during the soak</title>",
        f'<rect x="{left}" y="16" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#999"/>',
        f'<line x1="{x(warmup)}" y1="16" x2="{x(warmup)}" y2="{16 + plot_h}" stroke="#bbb" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{x(warmup) + 3}" y="28" fill="#666">warm-up ends</text>',
        f'<line x1="{left}" y1="{y(limit)}" x2="{left + plot_w}" y2="{y(limit)}" stroke="#c0392b" '
        'stroke-dasharray="6 3"/>',
        f'<text x="{left + 4}" y="{y(limit) - 4}" fill="#c0392b">bound: +{bound:.0%} '
        f"({limit:.0f} MB)</text>",
        f'<polyline points="{line}" fill="none" stroke="#2f6690" stroke-width="2"/>',
    ]
    for i in range(5):
        value = peak * i / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4}" text-anchor="end">{value:.0f}</text>'
        )
    for i in range(6):
        t = end * i / 5
        parts.append(f'<text x="{x(t)}" y="{height - 18}" text-anchor="middle">{t:.0f}s</text>')
    parts.append(
        f'<text x="{left}" y="{height - 4}">seconds; y: total RSS of the server '
        "processes in MB</text></svg>"
    )
    path.write_text("\n".join(parts) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "masthead-soak")
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--publish-every", type=float, default=3.0)
    parser.add_argument(
        "--warmup", type=float, default=60.0, help="Seconds before the bound applies."
    )
    parser.add_argument("--bound", type=float, default=0.20)
    parser.add_argument("--redis-url", default="", help="Share the page cache across workers.")
    args = parser.parse_args()
    args.data = args.data.resolve()
    args.data.mkdir(parents=True, exist_ok=True)
    prepare(args)

    base = f"http://127.0.0.1:{args.port}"
    log = open(args.data / "soak-server.log", "w")  # noqa: SIM115 - closed at the end
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--no-scheduler",
        ],
        env=server_env(args),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stats, stop = Stats(), threading.Event()
    samples: list[dict] = []
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(1)
        else:
            raise SystemExit("The server did not start; see soak-server.log")
        paths = public_urls(base)
        print(
            f"Soak: {args.minutes} min, {len(paths)} paths, {args.readers} readers, "
            f"a publish every {args.publish_every}s, {args.workers} workers",
            flush=True,
        )
        threads = [
            threading.Thread(target=reader, args=(base, paths, stats, stop, i), daemon=True)
            for i in range(args.readers)
        ]
        threads.append(threading.Thread(target=publisher, args=(args, stats, stop), daemon=True))
        for thread in threads:
            thread.start()
        started = time.monotonic()
        duration = args.minutes * 60
        while True:
            elapsed = time.monotonic() - started
            tree = process_tree(server.pid)
            per = {pid: rss_kb(pid) for pid in tree}
            total = sum(per.values()) / 1024
            samples.append(
                {
                    "t": round(elapsed, 1),
                    "total_mb": round(total, 1),
                    "processes": len(per),
                    "requests": stats.requests,
                    "publishes": stats.publishes,
                    "errors": len(stats.errors),
                }
            )
            print(
                f"  {elapsed:5.0f}s  RSS {total:6.1f} MB in {len(per)} processes  "
                f"{stats.requests} requests  {stats.publishes} publishes  "
                f"{len(stats.errors) + len(stats.publish_errors)} errors",
                flush=True,
            )
            if elapsed >= duration:
                break
            time.sleep(min(10, duration - elapsed + 0.01))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()

    after = [s for s in samples if s["t"] >= args.warmup]
    baseline = after[0]["total_mb"] if after else samples[0]["total_mb"]
    peak_after = max(s["total_mb"] for s in after) if after else baseline
    growth = (peak_after - baseline) / baseline
    within = growth <= args.bound
    errors = stats.errors + stats.publish_errors
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    chart = RESULTS / f"soak-{stamp}.svg"
    svg_chart(samples, args.warmup, args.bound, chart)
    summary = {
        "command": " ".join(sys.argv),
        "minutes": args.minutes,
        "readers": args.readers,
        "workers": args.workers,
        "requests": stats.requests,
        "publishes": stats.publishes,
        "errors": errors,
        "baseline_mb": baseline,
        "peak_after_warmup_mb": peak_after,
        "growth": round(growth, 4),
        "bound": args.bound,
        "within_bound": within,
        "samples": samples,
    }
    (RESULTS / f"soak-{stamp}.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"\n{stats.requests} requests, {stats.publishes} publishes, {len(errors)} errors")
    for line in errors[:10]:
        print(f"  error: {line}")
    print(
        f"Memory after warm-up: {baseline:.1f} MB -> peak {peak_after:.1f} MB "
        f"({growth:+.1%}; bound +{args.bound:.0%}): {'PASS' if within else 'FAIL'}"
    )
    print(f"Chart: {chart.relative_to(ROOT)}")
    return 0 if within and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
