"""Add a synthetic archive of published stories and (re)build the search index.

    masthead-manage generate_archive 100000 --seed 1
    python -m django generate_archive 1000 --no-index

See masthead.demo.archive for what is generated and how.
"""

from django.core.management.base import BaseCommand, CommandError

from masthead.demo.archive import MAX_STORIES, build_search_index, generate_archive


class Command(BaseCommand):
    help = "Add COUNT synthetic published stories (up to 100,000) and index them for search."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--days", type=int, default=3650, help="Spread over this many days.")
        parser.add_argument("--no-index", action="store_true", help="Skip the search index.")

    def handle(self, count, seed, days, no_index, verbosity, **options):
        if not 0 < count <= MAX_STORIES:
            raise CommandError(f"COUNT must be between 1 and {MAX_STORIES}.")
        progress = verbosity > 0
        made = generate_archive(count, seed=seed, days=days, progress=progress)
        self.stdout.write(f"Added {made} stories.")
        if not no_index:
            seconds = build_search_index(progress=progress)
            self.stdout.write(f"Indexed every story in {seconds:.1f} s.")
