"""`manage.py load_demo`: load the demo data of the six pilot regions (safe to run again).

The demo makes users with a public password and second-factor key, the superuser among
them. It refuses a database on another machine: a server started with the development
settings by mistake (DJANGO_SETTINGS_MODULE not exported) still gets no demo users."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ontzorg_demo import steps

LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1")


def on_this_machine(settings_dict) -> bool:
    """SQLite, or a database server on this machine (a socket or the loopback address)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return True
    host = settings_dict.get("HOST") or ""
    return host in LOCAL_HOSTS or host.startswith("/")


class Command(BaseCommand):
    help = "Laadt de demodata: zes pilotregio's, gebruikers en fictieve deelnemers."

    def handle(self, *args, **options):
        if not on_this_machine(connection.settings_dict):
            raise CommandError(
                "De demodata worden alleen in een database op deze computer geladen: ze maken "
                "gebruikers met een openbaar wachtwoord, ook de beheerder. Deze database staat "
                f"op {connection.settings_dict['HOST']}."
            )
        steps.load(self.stdout)
