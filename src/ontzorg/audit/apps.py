from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ontzorg.audit"
    verbose_name = _("Audit")

    def ready(self):
        from ontzorg.core import access

        from .services import record_page_view

        # Every app's events.py, so an entry's text renders whichever page shows it first.
        autodiscover_modules("events")
        # Pages that show a participant (core.access.view with audit=...) are recorded here.
        if record_page_view not in access.view_listeners:
            access.view_listeners.append(record_page_view)
