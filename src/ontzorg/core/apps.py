from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ontzorg.core"
    verbose_name = _("Shared rules")

    def ready(self):
        from ontzorg.core.i18n import register_language_info

        register_language_info()
