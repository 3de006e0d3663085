"""Query latency on an existing database: a quick check between full benchmark runs.

    DATABASE_URL=sqlite:////tmp/archive.sqlite3 DJANGO_SETTINGS_MODULE=masthead.settings.base \
        .venv/bin/python bench/search/latency.py LABEL

Build the database first with ``python -m django migrate`` and
``python -m django generate_archive N``. Runs 14 reader queries (names, places,
phrases, common words, misspellings, a query matching nothing) three times through
``masthead.search.services.search`` after one warm-up pass, and prints p50/p95 of this
process's CPU time and of wall-clock time. Run it with two versions of the code (e.g.
``PYTHONPATH=/path/to/other/checkout``) against the same database to compare them.
"""

import statistics
import sys
import time

import django

QUERIES = [
    "Irina Valek",
    "Marevia",
    "Kolvenia pipeline contract",
    '"water treaty"',
    '"border talks" Dastan',
    "border talks",
    "officials",
    "prices risen sharply",
    "Sarvan Cooperation Council",
    "Harbour Workers Union strike",
    "Irina Valeck",
    "pipelin contrakt",
    "ferry service Serel",
    "zzzzqqq",
]


def main() -> None:
    django.setup()
    from masthead.search import services, suggest

    suggest.vocabulary()
    for query in QUERIES:
        services.search(query)
    cpu, wall = [], []
    for _ in range(3):
        for query in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            services.search(query)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
    cpu.sort()
    wall.sort()

    def p95(values: list[float]) -> float:
        return values[int(0.95 * (len(values) - 1))]

    label = sys.argv[1] if len(sys.argv) > 1 else ""
    print(
        f"{label} cpu p50 {statistics.median(cpu):.1f} p95 {p95(cpu):.1f} | "
        f"wall p50 {statistics.median(wall):.1f} p95 {p95(wall):.1f} (ms)"
    )


if __name__ == "__main__":
    main()
