from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "ontzorg.measurements"
    verbose_name = _("Measuring self-reliance")

    def ready(self):
        from ontzorg.navigation import MenuItem, register
        from ontzorg.participants.attention import register_provider

        from .dashboard import attention_items
        from .services import may_record

        register(MenuItem(_("Measurements"), "measurements:agenda", order=40, visible=may_record))
        register_provider("metingen", attention_items, order=60)
