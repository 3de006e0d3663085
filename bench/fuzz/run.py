"""Run the fuzzing tests longer than CI does, and count what they sent.

    .venv/bin/python bench/fuzz/run.py --examples 20            # 20x CI's budget
    .venv/bin/python bench/fuzz/run.py --examples 50 --random   # new draws each run
    .venv/bin/python bench/fuzz/run.py --only public --examples 100

CI runs tests/test_fuzz_*.py with a fixed budget (6 examples per public pattern and
role, 1 per admin pattern and role, each as reader, contributor and editor,
derandomized: 2,439 requests to 448 patterns on 2026-12-06, `--examples 1`). This runs the
same tests with ``MASTHEAD_FUZZ_EXAMPLES`` times as many, optionally with fresh random
draws (``--random``), and prints pytest's summary; a failure prints hypothesis's
smallest failing request and how to replay it. Bad input that reached code trusting it
(answered 400 by masthead.core.bad_request) is listed from the log afterwards.
"""

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "public": ["tests/test_fuzz_public.py"],
    "admin": ["tests/test_fuzz_admin_pages.py", "tests/test_fuzz_admin_other.py"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10, help="multiple of CI's budget")
    parser.add_argument("--random", action="store_true", help="fresh random draws")
    parser.add_argument("--only", choices=sorted(FILES), help="public or admin patterns only")
    # One process: pytest's log file is written by each worker and would be overwritten.
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist processes")
    args = parser.parse_args()
    files = FILES[args.only] if args.only else [f for group in FILES.values() for f in group]
    env = {**os.environ, "MASTHEAD_FUZZ_EXAMPLES": str(args.examples)}
    if args.random:
        env["MASTHEAD_FUZZ_RANDOM"] = "1"
    log = ROOT / "bench" / "results" / "fuzz-bad-requests.log.tmp"
    log.parent.mkdir(parents=True, exist_ok=True)
    tally = ROOT / "bench" / "results" / "fuzz-tally.tmp"
    tally.unlink(missing_ok=True)
    env["MASTHEAD_FUZZ_TALLY"] = str(tally)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        "-m",
        "slow",
        "-n",
        str(args.workers),
        "--dist",
        "loadfile",
        "-o",
        "log_level=WARNING",
        "--log-file",
        str(log),
        *files,
    ]
    print(" ".join(command[1:]), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    minutes = (time.monotonic() - started) / 60
    bad = [line for line in log.read_text().splitlines() if "Bad request" in line]
    rows = [line.split("\t") for line in tally.read_text().splitlines()] if tally.exists() else []
    by_class = Counter(f"{row[2][0]}xx" for row in rows)
    by_role = Counter(row[0] for row in rows)
    print(f"{len(rows)} requests in {minutes:.1f} min")
    print("answers: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
    print("roles: " + ", ".join(f"{k} {v}" for k, v in sorted(by_role.items())))
    print(f"{len(bad)} answered 400 by the bad-request net (details in {log})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
