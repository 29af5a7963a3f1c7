"""`manage.py load_demo`: load the demo data of the six pilot regions (safe to run again)."""

from django.core.management.base import BaseCommand

from ontzorg_demo import steps


class Command(BaseCommand):
    help = "Laadt de demodata: zes pilotregio's, gebruikers en fictieve deelnemers."

    def handle(self, *args, **options):
        steps.load(self.stdout)
