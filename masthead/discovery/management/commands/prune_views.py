from django.core.management.base import BaseCommand

from masthead.discovery.counter import prune


class Command(BaseCommand):
    help = "Delete reader digests and salts of past days, and daily view counts past retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-days", type=int, default=400, help="Days of daily counts to keep."
        )

    def handle(self, *args, keep_days: int, **options):
        if keep_days < 31:
            self.stderr.write("Keep at least 31 days: the 30-day ranking needs them.")
            raise SystemExit(2)
        deleted = prune(keep_days)
        self.stdout.write(
            "Deleted {digests} reader digests, {salts} old salts and {daily_counts} daily counts.".format(
                **deleted
            )
        )
