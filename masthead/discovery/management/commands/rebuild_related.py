from django.core.management.base import BaseCommand

from masthead.discovery.related import rebuild_all


class Command(BaseCommand):
    help = "Recompute the related-story index and every story's related list."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"Read {done}/{total} stories")

        count = rebuild_all(progress)
        self.stdout.write(self.style.SUCCESS(f"Related lists rebuilt for {count} stories."))
