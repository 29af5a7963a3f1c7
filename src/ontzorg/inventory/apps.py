from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "ontzorg.inventory"
    verbose_name = _("Intake inventory")
