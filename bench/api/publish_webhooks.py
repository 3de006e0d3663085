"""What webhooks add to publishing: a story republished with 0 and with N endpoints.

    .venv/bin/python bench/api/publish_webhooks.py --data /tmp/api-bench [--rounds 30]
        [--endpoints 10]

On a copy of the archive (bench/api/run.py makes one), the same live story is published
again through a revision (as the admin's Publish button does) ``--rounds`` times with
no endpoint, then with ``--endpoints`` endpoints subscribed to every event. No worker
runs: what is measured is what the editor waits for (the delivery rows and their
queued tasks), not the sending. Prints p50/p95 wall and CPU milliseconds per publish
and the ratio.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--endpoints", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-publish-bench-"))
    shutil.copy(Path(args.data) / "masthead.sqlite3", work / "masthead.sqlite3")
    os.environ["MASTHEAD_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from masthead.articles.models import ArticlePage
    from masthead.webhooks.catalogue import EVENT_NAMES
    from masthead.webhooks.models import WebhookDelivery, WebhookEndpoint

    call_command("migrate", verbosity=0)
    story = ArticlePage.objects.live().order_by("-first_published_at").first()

    def run(label: str) -> dict:
        wall, cpu = [], []
        before = WebhookDelivery.objects.count()
        for _ in range(args.rounds + 3):
            started, started_cpu = time.perf_counter(), time.thread_time()
            story.save_revision().publish()
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        wall, cpu = wall[3:], cpu[3:]  # the first publishes warm caches
        row = {
            "label": label,
            "wall_p50": statistics.median(wall),
            "wall_p95": sorted(wall)[int(0.95 * len(wall))],
            "cpu_p50": statistics.median(cpu),
            "cpu_p95": sorted(cpu)[int(0.95 * len(cpu))],
            "deliveries": WebhookDelivery.objects.count() - before,
        }
        print(
            f"| {label} | {row['wall_p50']:.1f} | {row['wall_p95']:.1f} | "
            f"{row['cpu_p50']:.1f} | {row['cpu_p95']:.1f} | {row['deliveries']} |",
            flush=True,
        )
        return row

    print(f"load {os.getloadavg()[0]:.1f}; {args.rounds} publishes per row\n")
    print("| endpoints | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | deliveries queued |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    none = run("0")
    for n in range(args.endpoints):
        WebhookEndpoint.objects.create(
            name=f"Partner {n}",
            url=f"http://127.0.0.1:9/{n}",
            events=EVENT_NAMES,
            allow_private_address=True,
        )
    some = run(str(args.endpoints))
    print(
        f"\nCPU p50 with {args.endpoints} endpoints / without: "
        f"{some['cpu_p50'] / none['cpu_p50']:.2f}"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
