"""Which store can hold state that every worker process shares? Measured, not guessed.

Four processes at once, against each candidate store:
- each adds 1 to one counter ``--increments`` times (``add(key, 0)`` then ``incr``, the
  way Masthead counts sign-in failures and bumps its counters); lost increments are
  the shortfall from 4 x N;
- each tries to take ``--locks`` locks with ``add(key)`` (the scheduler's and the page
  cache's locks); a double lock is a key two processes both took;
- then one process times ``get`` of a small value (median, microseconds).

Candidates: Django's file cache, Django's database cache (SQLite, WAL), diskcache's
Django cache (masthead.core.state.SharedStateCache) and Redis (django-redis, needs a
server: ``--redis redis://127.0.0.1:6379/5``).

    .venv/bin/python bench/state/store.py --redis redis://127.0.0.1:6379/5

Results go in docs/performance.md ("Shared state").
"""

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

PROCESSES = 4


def candidates(folder: Path, redis_url: str | None) -> dict[str, dict]:
    stores = {
        "Django file cache": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder / "file"),
            "TIMEOUT": None,
        },
        "Django database cache (SQLite)": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
            "TIMEOUT": None,
        },
        "diskcache (SharedStateCache)": {
            "BACKEND": "masthead.core.state.SharedStateCache",
            "LOCATION": str(folder / "diskcache"),
            "TIMEOUT": None,
        },
    }
    if redis_url:
        stores["Redis (django-redis)"] = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "TIMEOUT": None,
            "KEY_PREFIX": "masthead-bench-state",
        }
    return stores


def configure(folder: Path, cache: dict) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            CACHES={"default": cache},
            DATABASES={
                "default": {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(folder / "db.sqlite3"),
                    "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
                }
            },
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()


def hammer(args) -> tuple[int, list[str]]:
    folder, cache, run, increments, locks = args
    configure(Path(folder), cache)
    from django.core.cache import cache as store

    errors = 0
    for _ in range(increments):
        try:
            store.add(f"{run}:count", 0)
            store.incr(f"{run}:count")
        except Exception:
            errors += 1
    taken = []
    for n in range(locks):
        try:
            if store.add(f"{run}:lock:{n}", 1):
                taken.append(f"{run}:lock:{n}")
        except Exception:
            errors += 1
    return errors, taken


def latency(args) -> float:
    folder, cache, run = args
    configure(Path(folder), cache)
    from django.core.cache import cache as store

    store.set(f"{run}:value", 12345)
    times = []
    for _ in range(2000):
        started = time.perf_counter()
        store.get(f"{run}:value")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def measure(name: str, cache: dict, folder: Path, increments: int, locks: int) -> dict:
    context = multiprocessing.get_context("spawn")
    run = f"run{time.time_ns()}"
    if "DatabaseCache" in cache["BACKEND"]:
        with context.Pool(1) as pool:
            pool.apply(_create_table, (str(folder), cache))
    with context.Pool(PROCESSES) as pool:
        results = pool.map(hammer, [(str(folder), cache, run, increments, locks)] * PROCESSES)
        final = pool.apply(_read, (str(folder), cache, f"{run}:count"))
        get_us = pool.apply(latency, ((str(folder), cache, run),))
    taken = [key for _, keys in results for key in keys]
    return {
        "store": name,
        "lost": PROCESSES * increments - int(final or 0),
        "double": len(taken) - len(set(taken)),
        "errors": sum(errors for errors, _ in results),
        "get_us": get_us,
    }


def _create_table(folder: str, cache: dict) -> None:
    configure(Path(folder), cache)
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)


def _read(folder: str, cache: dict, key: str):
    configure(Path(folder), cache)
    from django.core.cache import cache as store

    return store.get(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--increments", type=int, default=500)
    parser.add_argument("--locks", type=int, default=200)
    parser.add_argument("--redis", default=None, help="Redis URL of a database you may use.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masthead-bench-state-") as tmp:
        folder = Path(tmp)
        print(f"{PROCESSES} processes x {args.increments} increments and {args.locks} locks each\n")
        print("| store | lost increments | double locks | errors | get, median µs |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, cache in candidates(folder, args.redis).items():
            row = measure(name, cache, folder, args.increments, args.locks)
            print(
                f"| {row['store']} | {row['lost']:,} of {PROCESSES * args.increments:,} "
                f"| {row['double']} of {args.locks} | {row['errors']} | {row['get_us']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
