"""``manage.py signals_scan_internal``: raise the internal signals (run daily, e.g. from cron).

Unconfirmed payments, unusual amounts and negative budgetbeheer balances; running it again
raises nothing twice."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from ontzorg.signals import internal


class Command(BaseCommand):
    help = "Maakt interne signalen: onbevestigde betalingen, afwijkende bedragen, negatief saldo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--working-days",
            type=int,
            default=internal.UNCONFIRMED_WORKING_DAYS,
            help="werkdagen na de betaaldatum waarbinnen de bank een betaling moet bevestigen",
        )
        parser.add_argument("--today", help="peildatum (JJJJ-MM-DD), standaard vandaag")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            today = parse_date(options["today"])
            if today is None:
                raise CommandError("Geef --today als JJJJ-MM-DD.")
        if options["working_days"] < 1:
            raise CommandError("--working-days moet minstens 1 zijn.")
        result = internal.scan(today, working_days=options["working_days"])
        self.stdout.write(
            f"Onbevestigde betalingen: {result.unconfirmed}, afwijkende bedragen: "
            f"{result.unusual}, negatief saldo: {result.negative}"
        )
