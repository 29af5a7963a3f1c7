from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "ontzorg.audit"
    verbose_name = "Audit"

    def ready(self):
        # Every app's events.py, so an entry's text renders whichever page shows it first.
        autodiscover_modules("events")
