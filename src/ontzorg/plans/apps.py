from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ontzorg.plans"
    verbose_name = _("Ontzorg plans")

    def ready(self):
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register

        # Registers what approving a change of a payee's account does (four eyes).
        from . import payees

        register(
            MenuItem(
                _("Creditors"),
                "plans:creditors",
                order=42,
                visible=lambda user: access.may(user, payees.RIGHT),
            )
        )
