"""The banking app: statement imports, reconciliation and returned payments."""

from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "ontzorg.banking"
    verbose_name = "Bankafschriften"

    def ready(self):
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register

        from .constants import BANK_RIGHT

        register(
            MenuItem(
                "Bankafschriften",
                "banking:list",
                order=45,
                visible=lambda user: access.may(user, BANK_RIGHT),
            )
        )
