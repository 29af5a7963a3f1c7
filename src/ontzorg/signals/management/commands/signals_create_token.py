"""Create a creditor API client, or give an existing one a new token; prints the token once."""

from django.core.management.base import BaseCommand, CommandError

from ontzorg.regelingen.models import Region
from ontzorg.signals import services
from ontzorg.signals.constants import CreditorKind
from ontzorg.signals.models import ApiClient


class Command(BaseCommand):
    help = "Maak een API-koppeling voor een schuldeiser (of een nieuw token) en toon het token."

    def add_arguments(self, parser):
        parser.add_argument("name", help="naam van de schuldeiser")
        parser.add_argument("--kind", choices=CreditorKind.values, default=CreditorKind.OTHER)
        parser.add_argument(
            "--region", action="append", default=[], help="regiocode; mag vaker voorkomen"
        )
        parser.add_argument(
            "--rotate", action="store_true", help="bestaande koppeling: nieuw token maken"
        )

    def handle(self, *args, name, kind, region, rotate, **options):
        if rotate:
            client = ApiClient.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"Geen koppeling met de naam {name!r}.")
            token = services.rotate_token(None, client)
        else:
            if ApiClient.objects.filter(name=name).exists():
                raise CommandError(f"{name!r} bestaat al; gebruik --rotate voor een nieuw token.")
            regions = list(Region.objects.filter(slug__in=region))
            unknown = set(region) - {r.slug for r in regions}
            if unknown or not regions:
                raise CommandError(
                    f"Onbekende regio: {', '.join(sorted(unknown))}."
                    if unknown
                    else "Geef ten minste één --region."
                )
            client, token = services.create_api_client(
                None, name=name, creditor_kind=kind, regions=regions
            )
        self.stderr.write(f"Token voor {client.name} (wordt maar één keer getoond):")
        self.stdout.write(token)
