"""`manage.py demo_logins`: print the demo logins as a table, for `make run`."""

from django.core.management.base import BaseCommand

from ontzorg.accounts.models import User
from ontzorg.core.languages import PARTICIPANT_LANGUAGES
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.portal.services import find_participant
from ontzorg_demo.users import DEMO_PASSWORD, demo_totp_secret, demo_users


class Command(BaseCommand):
    help = "Toont de demogebruikers met hun rol, organisatie, wachtwoord en TOTP-geheim."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="De poort van `make run`.")

    def handle(self, *args, **options):
        wanted = [demo.username for demo in demo_users()]
        users = User.objects.select_related("role", "organisation__region").in_bulk(
            wanted, field_name="username"
        )
        rows = [("Gebruikersnaam", "Rol", "Organisatie", "Regio", "TOTP-geheim")]
        for username in wanted:
            user = users.get(username)
            if user is None:
                continue
            organisation = user.organisation
            rows.append(
                (
                    username,
                    user.role.name if user.role else "",
                    organisation.name if organisation else "-",
                    str(organisation.region) if organisation and organisation.region else "alle",
                    demo_totp_secret(username),
                )
            )
        if len(rows) == 1:
            self.stdout.write("Geen demogebruikers gevonden; draai eerst `manage.py load_demo`.")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write("\n".join(lines))
        self.stdout.write(
            f"\nWachtwoord voor alle demogebruikers: {DEMO_PASSWORD}\n"
            "Tweede stap van het inloggen: de code van zes cijfers. Zet het TOTP-geheim in een "
            "authenticator-app, of vraag de code van nu op met "
            "`.venv/bin/python manage.py totp_code <gebruikersnaam>`.\n"
            f"Inloggen op http://127.0.0.1:{options['port']}/ ; configuratie als 'beheerder' "
            "op /beheer/\n"
            "Vier ogen: een betaalrun maakt de ene backoffice-gebruiker van een regio klaar "
            "(backoffice.<regio>), de andere keurt hem goed (budgetbeheer.<regio>).\n"
            "Gemeenteniveau: km.waterland.edam ziet alleen de deelnemers uit Waterland "
            "(regio Edam-Volendam beperkt medewerkers tot hun eigen gemeente)."
        )
        self.stdout.write(self._portal(options["port"]))

    def _portal(self, port: int) -> str:
        """How to open a participant's personal page: the mock DigiD asks for a BSN."""
        lines = [
            f"\nPersoonlijke pagina van een deelnemer: http://127.0.0.1:{port}/mijn/ ; "
            "'Inloggen met DigiD' opent de test-DigiD, typ daar een BSN:"
        ]
        for code, name in PARTICIPANT_LANGUAGES:
            candidates = Participant.objects.filter(
                phase=Phase.ACTIVE, preferred_language=code
            ).order_by("bsn")
            # The first with a page: find_participant is the login's own rule.
            bsn = next((p.bsn for p in candidates[:20] if not find_participant(p.bsn)[1]), None)
            if bsn:
                lines.append(f"  {name} ({code}): {bsn}")
        return "\n".join(lines)
