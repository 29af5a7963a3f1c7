"""Build the snapshot of every measurement moment whose date has come (run daily)."""

from django.core.management.base import BaseCommand

from ontzorg.monitor import services


class Command(BaseCommand):
    help = "Maakt de momentopnamen van meetmomenten waarvan de peildatum bereikt is."

    def handle(self, *args, **options):
        built = services.build_due_snapshots()
        for snapshot in built:
            self.stdout.write(
                f"{snapshot.region}: {snapshot.moment.name}, {snapshot.row_count} deelnemers"
            )
        self.stdout.write(f"{len(built)} momentopnamen gemaakt.")
