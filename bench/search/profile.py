"""Where a reader search spends its time: each query of the benchmark mix, phase by phase.

    DATABASE_URL=sqlite:////tmp/search-bench/bench-100000.sqlite3 \
    DJANGO_SETTINGS_MODULE=masthead.settings.base .venv/bin/python bench/search/profile.py

Runs the mix of ``bench/search/run.py`` through ``masthead.search.services.search``
(after one warm-up pass) and prints, per query, wall and CPU milliseconds of the whole
search and the wall (or, with ``--cpu``, CPU) milliseconds of each phase: the newest-first candidate walk, the
full ranking or the candidate ranking, the did-you-mean check, loading the page of
stories (``_load``, snippets included), and the number of SQL queries. ``--rounds N``
repeats the timed pass (per query, the median is printed).
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))

PHASES = ("_newest_candidates", "_rank_exact", "_rank_candidates", "suggest", "_load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cpu", action="store_true", help="time the phases in CPU time rather than wall time"
    )
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from run import query_mix, run_options

    from masthead.search import services, suggest

    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time if args.cpu else time.perf_counter

    def timed(name, function):
        def wrapper(*a, **k):
            t = clock()
            try:
                return function(*a, **k)
            finally:
                spent[name] += (clock() - t) * 1000

        return wrapper

    for name in PHASES:
        if name == "suggest":
            suggest.suggest = timed(name, suggest.suggest)
        else:
            setattr(services, name, timed(name, getattr(services, name)))

    mix = query_mix(args.seed)
    suggest.vocabulary()
    rows = defaultdict(list)
    for round_ in range(args.rounds + 1):
        for query, options in mix:
            filters, sort = run_options(options)
            spent.clear()
            with CaptureQueriesContext(connection) as queries:
                t, c = time.perf_counter(), time.process_time()
                services.search(query, filters, sort=sort)
                wall = (time.perf_counter() - t) * 1000
                cpu = (time.process_time() - c) * 1000
            if round_:
                rows[(query, str(options))].append(
                    (wall, cpu, *(spent.get(p, 0.0) for p in PHASES), len(queries))
                )
    header = ["query", "wall", "cpu", "walk", "exact", "cand", "suggest", "load", "sql"]
    print(" | ".join(header))
    for (query, options), values in rows.items():
        med = [statistics.median(column) for column in zip(*values, strict=True)]
        label = (query[:32] + (" " + options if options != "{}" else ""))[:60]
        print(label, "|", " | ".join(f"{v:.1f}" for v in med[:-1]), "|", int(med[-1]))
    with open("/proc/loadavg") as f:
        print("load", f.read().split()[0])


if __name__ == "__main__":
    main()
