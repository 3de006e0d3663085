"""CPU time of one uncached render of the demo's article and home pages, in-process.

    MASTHEAD_DATA_DIR=<a data folder with the demo> .venv/bin/python bench/perf/render_cpu.py

Wall time on a shared machine mostly measures the other jobs; process CPU time is what
one render costs a worker. Median of 15 renders after one warm-up, page cache off.
"""

import os
import re
import statistics
import time

os.environ["MASTHEAD_PAGE_CACHE"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django

django.setup()

from django.test import Client  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    listing = client.get("/news/").content.decode()
    article = re.search(r'card__headline"><a href="([^"]+)"', listing).group(1)
    for name, url in (("article", article), ("home", "/")):
        client.get(url)
        wall, cpu = [], []
        for _ in range(15):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        print(
            f"{name:<8} median CPU {statistics.median(cpu):6.1f} ms   "
            f"median wall {statistics.median(wall):6.1f} ms"
        )


if __name__ == "__main__":
    main()
