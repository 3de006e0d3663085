from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.background import worker


class Command(BaseCommand):
    help = "Run the background worker: newsletters, webhooks and other queued tasks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args, once=False, **options):
        worker.install_signal_handlers()
        done = worker.run(interval=settings.MASTHEAD_WORKER_INTERVAL, once=once)
        if options["verbosity"] > 1 or once:
            self.stdout.write(f"{done} task(s) run.")
