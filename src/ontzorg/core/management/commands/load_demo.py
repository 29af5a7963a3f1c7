"""`manage.py load_demo` under production settings: refuse, and say why.

The demo data live in ``ontzorg_demo``, an app that only the development settings install
(they list it first, so that its own `load_demo` takes the name there). Without it this
command stands in, so that an operator who types `load_demo` on a production server gets a
clear refusal instead of "Unknown command", and the demo's users, among them the superuser
`beheerder` with the public demo password, are never created there."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Weigert: demodata horen niet in productie (alleen met ontzorg.conf.dev)."

    def handle(self, *args, **options):
        if apps.is_installed("ontzorg_demo"):
            raise CommandError(
                "Zet 'ontzorg_demo' vooraan in INSTALLED_APPS, zoals ontzorg.conf.dev doet, "
                "zodat de demo-opdracht load_demo deze vervangt."
            )
        raise CommandError(
            "De demodata worden niet geladen onder de productie-instellingen: ze maken "
            "gebruikers met een openbaar wachtwoord, ook de beheerder. Gebruik de demo alleen "
            "met DJANGO_SETTINGS_MODULE=ontzorg.conf.dev (make run)."
        )
