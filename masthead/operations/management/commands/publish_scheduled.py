from django.core.management.base import BaseCommand

from masthead.operations.scheduled import publish_due, unpublish_expired


class Command(BaseCommand):
    help = (
        "Unpublish expired pages and publish scheduled ones, through the publishing "
        "checks (a refused story is held back and logged, then tried again)."
    )

    def handle(self, *args, **options):
        expired = unpublish_expired()
        published, held = publish_due()
        if options["verbosity"]:
            self.stdout.write(f"Unpublished {expired}, published {published}, held back {held}.")
