"""`manage.py totp_code <login>`: the code of a demo user's authenticator app, right now.

Only for demo users, whose secrets are derived from their names (``ontzorg_demo.users``); it
never reads or shows the secret of a real user."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.accounts.services import next_code
from ontzorg.exceptions import Refused
from ontzorg_demo.users import demo_totp_key, demo_users


class Command(BaseCommand):
    help = "Toont de code van zes cijfers voor de tweede inlogstap van een demogebruiker."

    def add_arguments(self, parser):
        parser.add_argument("username", help="De gebruikersnaam, bijvoorbeeld km.zoetermeer.")

    def handle(self, *args, username, **options):
        if username not in {demo.username for demo in demo_users()}:
            raise CommandError(f"{username} is geen demogebruiker.")
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=demo_totp_key(username)
        ).first()
        if device is None:
            raise CommandError(
                f"{username} heeft geen demo-app; draai eerst `manage.py load_demo`."
            )
        try:
            self.stdout.write(next_code(device))
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal
