"""The approvals app: proposals for money decisions and the page where a colleague decides."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "ontzorg.approvals"
    verbose_name = _("Proposals (four eyes)")

    def ready(self):
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register

        from .constants import PROPOSAL_RIGHTS

        register(
            MenuItem(
                "Voorstellen",
                "approvals:list",
                order=45,
                visible=lambda user: access.may(user, *PROPOSAL_RIGHTS),
            )
        )
