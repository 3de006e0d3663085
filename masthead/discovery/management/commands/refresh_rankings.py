from django.core.management.base import BaseCommand

from masthead.discovery.popular import refresh


class Command(BaseCommand):
    help = "Compute the most-read rankings again; every worker's Popular block follows."

    def handle(self, *args, **options):
        moved = refresh()
        if options["verbosity"]:
            self.stdout.write("Rankings moved." if moved else "Rankings unchanged.")
