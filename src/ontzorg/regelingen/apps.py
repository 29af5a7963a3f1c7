from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegelingenConfig(AppConfig):
    name = "ontzorg.regelingen"
    verbose_name = _("Regions and regelingen")
