"""Vroegsignalering: creditors' and Ontzorg's own signals of payment trouble."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "ontzorg.signals"
    verbose_name = _("Early warning signals")

    def ready(self):
        from ontzorg.accounts.constants import Scope
        from ontzorg.banking.hooks import on_payment_returned
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register
        from ontzorg.participants.attention import register_provider

        from .dashboard import attention_items
        from .internal import returned_payment

        def sees_participants(user):
            return access.scope_of(user) != Scope.NONE

        register(MenuItem(_("Signals"), "signals:list", order=35, visible=sees_participants))
        register_provider("signalen", attention_items, order=50)
        on_payment_returned(returned_payment)
