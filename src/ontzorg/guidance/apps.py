from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "ontzorg.guidance"
    verbose_name = _("Guidance")

    def ready(self):
        from ontzorg.navigation import MenuItem, register
        from ontzorg.participants.attention import register_provider

        from .dashboard import attention_items
        from .services import may_record

        register(MenuItem(_("Guidance"), "guidance:activities", order=45, visible=may_record))
        register(MenuItem(_("Guidance hours"), "guidance:hours", order=46, visible=_monitors))
        register_provider("begeleiding", attention_items, order=70)


def _monitors(user) -> bool:
    """Everyone who sees participants may see their guidance hours (projectleiders too)."""
    from ontzorg.accounts.constants import Scope
    from ontzorg.core import access

    return access.scope_of(user) != Scope.NONE
