"""`manage.py demo_statements`: write each region's demo bank statement (camt.053) to a file,
so a newcomer can try the import screen (Bank > Afschrift inlezen) with a real-looking file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ontzorg.regelingen.models import Region
from ontzorg_demo.statements import importer, statement_for


class Command(BaseCommand):
    help = "Schrijft per regio een voorbeeld-bankafschrift (camt.053) van de geboekte demorun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=str(Path(settings.VAR_DIR) / "demo-afschriften"),
            help="Map voor de bestanden (standaard var/demo-afschriften).",
        )

    def handle(self, *args, **options):
        folder = Path(options["dir"])
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for region in Region.objects.order_by("name"):
            statement = statement_for(region)
            if statement is None:
                self.stdout.write(f"{region}: nog geen geboekte betaalrun; geen afschrift.")
                continue
            path = folder / statement.file_name
            path.write_bytes(statement.content)
            written += 1
            user = importer(region)
            who = f"inlezen als {user.username}" if user else "geen backoffice-gebruiker"
            done = " (al ingelezen in de demo)" if statement.imported else ""
            self.stdout.write(f"{region}: {path} ({who}){done}")
        self.stdout.write(f"{written} voorbeeldafschriften geschreven in {folder}.")
