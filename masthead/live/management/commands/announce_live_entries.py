"""Announce live entries whose scheduled time has come (run by the scheduler each pass)."""

from django.core.management.base import BaseCommand

from masthead.live.signals import announce_due


class Command(BaseCommand):
    help = "Refresh cached live pages whose scheduled entries are now due, or whose coverage started or ended."

    def handle(self, *args, **options):
        count = announce_due()
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} entries and pages announced")
