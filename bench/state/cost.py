"""What the shared store costs a reader: cached hit and uncached article page, before
(commit b67bb07: counters in per-worker memory and a file cache) and after (diskcache
shared store, change beacon), side by side in one run, as ratios to the Python floor.

    .venv/bin/python bench/state/cost.py [--seconds 10] [--connections 8] [--before b67bb07]

Needs wrk and granian. The "before" code is checked out into a temporary git worktree
and served from there (PYTHONPATH), with the same demo newsroom seeded by each version
into its own data folder; the same granian settings and worker count serve both, and
one minimal WSGI app with the same bytes gives the floor. Target: cached / floor >= 0.80
for the "after" code.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "perf"))

from run import (  # noqa: E402
    PYTHON,
    bench_env,
    free_port,
    server_command,
    start,
    stop,
    wait_for,
    wrk,
)


def checkout(commit: str, folder: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(folder), commit],
        check=True,
        capture_output=True,
    )
    return folder


def prepare(code: Path, work: Path) -> dict:
    env = {**bench_env(work), "PYTHONPATH": str(code)}

    def manage(*arguments: str) -> None:
        subprocess.run(
            [PYTHON, "-m", "masthead.cli", "manage", *arguments], env=env, cwd=code, check=True
        )

    manage("migrate", "-v0")
    manage("seed_demo_content", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    return {**env, "DJANGO_SETTINGS_MODULE": "masthead.settings.production"}


def run(args) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    top = Path(tempfile.mkdtemp(prefix="masthead-state-cost-"))
    before_code = checkout(args.before, top / "before-code")
    variants = {"before": before_code, "after": ROOT}
    envs, processes, results = {}, [], {}
    try:
        for name, code in variants.items():
            print(f"Building the demo newsroom with the {name} code ...", flush=True)
            envs[name] = prepare(code, top / name)
        ports = {}
        for name, code in variants.items():
            for mode, extra in (("cached", {}), ("uncached", {"MASTHEAD_PAGE_CACHE": "0"})):
                port = ports[(name, mode)] = free_port()
                processes.append(
                    start(
                        server_command("granian", "masthead.wsgi:application", port),
                        {**envs[name], **extra},
                        top / f"{name}-{mode}.log",
                        cwd=code,
                    )
                )
        for port in ports.values():
            wait_for(f"http://127.0.0.1:{port}/")
        listing = urllib.request.urlopen(
            f"http://127.0.0.1:{ports[('after', 'cached')]}/news/"
        ).read()
        article = re.search(rb'card__headline"><a href="([^"]+)"', listing).group(1).decode()
        body = urllib.request.urlopen(
            f"http://127.0.0.1:{ports[('after', 'cached')]}{article}"
        ).read()
        (top / "page.html").write_bytes(body)
        (top / "floor.py").write_text(
            textwrap.dedent(f"""
            BODY = open({str(top / "page.html")!r}, 'rb').read()
            def app(environ, start_response):
                start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),
                                          ('Content-Length', str(len(BODY)))])
                return [BODY]
            """)
        )
        floor_port = free_port()
        processes.append(
            start(
                server_command("granian", "floor:app", floor_port),
                bench_env(top),
                top / "floor.log",
                cwd=top,
            )
        )
        wait_for(f"http://127.0.0.1:{floor_port}/")
        targets = {"python floor": f"http://127.0.0.1:{floor_port}/"}
        for (name, mode), port in ports.items():
            targets[f"{name}: {mode}"] = f"http://127.0.0.1:{port}{article}"
        for _round in range(args.rounds):
            for label, url in targets.items():
                wrk(url, 2, args.connections)  # warm up
                measured = wrk(url, args.seconds, args.connections)
                results.setdefault(label, []).append(measured)
                print(
                    f"  {label:<18} {measured['rps']:>9.0f} req/s  p50 "
                    f"{measured['p50_ms']:>7.2f} ms  errors {measured['errors']}",
                    flush=True,
                )
    finally:
        for process in processes:
            stop(process)
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_code)],
            capture_output=True,
        )
        shutil.rmtree(top, ignore_errors=True)
    return {
        label: sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        for label, runs in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds", type=int, default=3, help="Each target this many times; median kept."
    )
    parser.add_argument("--before", default="b67bb07", help="Commit of the code before.")
    args = parser.parse_args()
    results = run(args)
    floor = results["python floor"]["rps"]
    print(
        f"\nMedian of {args.rounds} rounds, wrk -t2 -c{args.connections} -d{args.seconds}s, granian, 3 workers:\n"
    )
    print("| page | before req/s | after req/s | after / before | after / floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for mode in ("cached", "uncached"):
        before, after = results[f"before: {mode}"]["rps"], results[f"after: {mode}"]["rps"]
        print(
            f"| {mode} article | {before:,.0f} | {after:,.0f} | {after / before:.2f} | {after / floor:.2f} |"
        )
    print(f"| python floor | | {floor:,.0f} | | 1.00 |")


if __name__ == "__main__":
    main()
