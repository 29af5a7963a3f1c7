"""`manage.py check_handovers [--date YYYY-MM-DD]`: raise an internal signal for every
handover check that is past due and missing, or that found a fixed cost not yet in the
participant's own name (run daily, e.g. from cron). Running it again raises nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ontzorg.trajectory import handover


class Command(BaseCommand):
    help = "Signaleert ontbrekende of mislukte overdrachtscontroles van afgebouwde vaste lasten."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Gebruik een datum als 2026-01-31.") from None
        count = handover.scan(today)
        self.stdout.write(f"Overdrachtscontroles gesignaleerd: {count}.")
