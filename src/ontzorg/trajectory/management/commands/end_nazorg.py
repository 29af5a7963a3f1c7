"""`manage.py end_nazorg [--date YYYY-MM-DD]`: move participants whose nazorg has passed to
"afgesloten". Safe to run daily and more than once."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ontzorg.trajectory import services


class Command(BaseCommand):
    help = "Sluit nazorgperiodes af die voorbij zijn; de deelnemer gaat naar 'afgesloten'."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Gebruik een datum als 2026-01-31.") from None
        count = services.end_expired_nazorg(today)
        self.stdout.write(f"Nazorg afgesloten: {count}.")
