"""Time and memory to build and queue an issue, and the send rate to a local SMTP server.

    .venv/bin/python bench/newsletters/run.py                       # SQLite
    .venv/bin/python bench/newsletters/run.py --database-url postgres://postgres@127.0.0.1:5432/postgres

One process, one fresh database (a scratch PostgreSQL database is created and dropped).
For each list size an issue is published to a list of that many confirmed subscribers;
the time and the peak Python memory (tracemalloc) of ``start_send`` (render the issue,
queue one delivery per subscriber) are printed side by side, so the ratio between sizes
shows whether the cost grows with the list. Then ``--send`` messages go to an aiosmtpd
server in this process through the worker's own ``drain`` (one SMTP connection).
Target (issue #18): 100,000 queued in under 60 s, memory flat in the number of subscribers.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "imports"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--send", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    drop = None
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="newsletters-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        from run import scratch_database

        os.environ["DATABASE_URL"], drop = scratch_database(args.database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    try:
        run(sizes, args.send)
    finally:
        if drop:
            drop()


def _subscribers(newsletter, count: int, prefix: str) -> None:
    from django.utils import timezone

    from masthead.newsletters.models import Subscriber, Subscription

    now = timezone.now()
    chunk = 5000
    for start in range(0, count, chunk):
        people = Subscriber.objects.bulk_create(
            Subscriber(email=f"{prefix}{n}@example.org")
            for n in range(start, min(count, start + chunk))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=p, newsletter=newsletter, requested_at=now, confirmed_at=now)
            for p in people
        )


def run(sizes: list[int], send_count: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Site

    from masthead.newsletters.models import Issue, Newsletter
    from masthead.newsletters.sending import start_send
    from masthead.sections.factories import make_test_site

    call_command("migrate", interactive=False, verbosity=0)
    make_test_site(title="Bench Ledger")
    site = Site.objects.get(is_default_site=True)
    print(f"database: {connection.vendor}")
    print(f"{'subscribers':>12} {'queue s':>8} {'per 1k ms':>10} {'peak MB':>8}")
    for size in sizes:
        newsletter = Newsletter.objects.create(site=site, name=f"List {size}", slug=f"l{size}")
        _subscribers(newsletter, size, f"s{size}-")
        issue = Issue.objects.create(newsletter=newsletter, subject=f"Issue {size}", live=False)
        tracemalloc.start()
        started = time.perf_counter()
        send = start_send(issue)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if send.total != size:
            raise SystemExit(f"queued {send.total} of {size}")
        print(
            f"{size:>12,} {elapsed:>8.2f} {1000 * elapsed / size * 1000:>10.2f} {peak / 2**20:>8.2f}"
        )
    if send_count:
        # Side by side in one run: the queue's SMTP path (recorded before the final DATA
        # line, masthead/newsletters/mailer.py) and Django's own SMTP backend.
        # Twice each, alternating, as the machine's load drifts.
        for round_ in (1, 2):
            send_rate(site, send_count, stock=False, round_=round_)
            send_rate(site, send_count, stock=True, round_=round_)


def send_rate(site, count: int, stock: bool, round_: int = 1) -> None:
    import subprocess

    from django.conf import settings

    from masthead.background import set_worker_id
    from masthead.background.worker import _register, new_worker_id
    from masthead.newsletters import sending
    from masthead.newsletters.models import Delivery, Issue, Newsletter
    from masthead.newsletters.sending import drain, start_send
    from masthead.newsletters.tests import smtp

    # The server runs in its own process (aiosmtpd's Sink), as a local MTA would.
    port = smtp.free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    time.sleep(2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        label = f"{'stock' if stock else 'recorded'}-{round_}"
        newsletter = Newsletter.objects.create(site=site, name=f"Rate {label}", slug=f"r-{label}")
        _subscribers(newsletter, count, f"rate-{label}-")
        issue = Issue.objects.create(newsletter=newsletter, subject="Send rate", live=False)
        send = start_send(issue)
        worker_id = new_worker_id()
        _register(worker_id, 1)
        set_worker_id(worker_id)
        chosen = sending._connection
        if stock:
            from django.core.mail import get_connection

            sending._connection = get_connection
        try:
            started = time.perf_counter()
            outcome = drain(send, worker_id, seconds=3600)
            elapsed = time.perf_counter() - started
        finally:
            sending._connection = chosen
    finally:
        server.terminate()
        server.wait()
    sent = Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count()
    if outcome != "done" or sent != count:
        raise SystemExit(f"{outcome}: {sent} of {count} sent")
    backend = "Django's SMTP backend" if stock else "recorded before the final line"
    print(
        f"{backend}: sent {count:,} to a local SMTP server in {elapsed:.1f} s: "
        f"{count / elapsed:.0f} messages/s"
    )


if __name__ == "__main__":
    main()
