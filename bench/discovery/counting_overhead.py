"""Article page throughput with and without view counting, side by side in one run.

Run from the repository root:

    .venv/bin/python bench/discovery/counting_overhead.py [--rounds 8] [--per-round 40]

Builds the demo newsroom in a scratch SQLite file (WAL, as in production), then
alternates the two modes request by request so machine noise hits both alike:

- without: ``DISCOVERY_COUNT_VIEWS = False`` (no pixel in the page, nothing counted);
- with: the page as readers get it, plus the pixel request it triggers, each request
  from a new reader (new address), so every one is counted.

Requests go through Django's full WSGI stack in-process (test client), one at a time.
Reports pages per second for each mode and the overhead of counting.
"""

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path


def setup() -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="masthead-bench-counting-"))
    os.environ["MASTHEAD_DATA_DIR"] = str(folder)
    os.environ["MASTHEAD_TEST_DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.test"
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from masthead.articles.models import ArticlePage
    from masthead.demo.seed import seed

    def quiet(done, total, label):
        if done == total:
            print(f"  {label}: {total}", flush=True)

    print("Building the demo newsroom ...", flush=True)
    seed(quiet)
    return [p.url for p in ArticlePage.objects.live().public().order_by("-pk")[:10]]


def main() -> None:
    parser = argparse.ArgumentParser(description="Counting overhead on article pages.")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=40)
    args = parser.parse_args()
    urls = setup()
    from django.test import Client, override_settings

    from masthead.discovery.models import ArticleView

    pixel = re.compile(r'src="(/discovery/seen/[^"]+\.gif)"')
    agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
    reader = 0

    def page_without(i: int) -> float:
        client = Client(HTTP_USER_AGENT=agent)
        started = time.perf_counter()
        with override_settings(DISCOVERY_COUNT_VIEWS=False):
            html = client.get(urls[i % len(urls)]).content.decode()
        elapsed = time.perf_counter() - started
        if pixel.search(html):
            raise SystemExit("The pixel was rendered with counting off.")
        return elapsed

    def page_with(i: int) -> float:
        nonlocal reader
        reader += 1
        client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=f"10.{reader // 250}.{reader % 250}.1")
        started = time.perf_counter()
        html = client.get(urls[i % len(urls)]).content.decode()
        status = client.get(pixel.search(html).group(1)).status_code
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit("The pixel request failed.")
        return elapsed

    for i in range(len(urls)):  # warm caches and renditions for both modes
        page_without(i)
        page_with(i)
    counted_before = sum(ArticleView.objects.values_list("views", flat=True))
    off, on = [], []
    for _ in range(args.rounds):
        # Alternate request by request, so load from other processes hits both alike.
        round_off = round_on = 0.0
        for i in range(args.per_round):
            round_off += page_without(i)
            round_on += page_with(i)
        off.append(round_off)
        on.append(round_on)
    counted = sum(ArticleView.objects.values_list("views", flat=True)) - counted_before
    n = args.per_round
    total_off, total_on = n * len(off) / sum(off), n * len(on) / sum(on)
    print(f"rounds={args.rounds} pages/round={n}; views counted in measured rounds: {counted}")
    print(f"without counting: {total_off:7.2f} pages/s")
    print(f"with counting:    {total_on:7.2f} pages/s (page + pixel request)")
    print(
        f"throughput ratio with/without: {total_on / total_off:.3f}; "
        f"overhead {100 * (1 - total_on / total_off):.1f}%"
    )
    ratios = sorted(b / a for a, b in zip(on, off, strict=True))
    print(f"per-round ratios, sorted: {', '.join(f'{r:.3f}' for r in ratios)}")


if __name__ == "__main__":
    main()
