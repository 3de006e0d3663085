from django.core.management.base import BaseCommand

from masthead.demo.seed import seed, text_progress


class Command(BaseCommand):
    help = "Create the demo newsroom (idempotent: a second run adds nothing twice)."

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        counts = seed(progress=(lambda *a: None) if quiet else text_progress)
        if not quiet:
            self.stdout.write(
                "Demo newsroom: {stories_live} live stories ({stories_created} new), "
                "{sections} sections, {topics} topics, {authors} authors.".format(**counts)
            )
