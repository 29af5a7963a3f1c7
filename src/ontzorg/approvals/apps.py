"""The approvals app: proposals for money decisions and the page where a colleague decides."""

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "ontzorg.approvals"
    verbose_name = "Voorstellen (vier ogen)"

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
