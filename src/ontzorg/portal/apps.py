"""The participant's personal page ("Mijn overzicht"), logged in with DigiD."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ontzorg.portal"
    label = "portal"
    verbose_name = _("Personal page")
