"""The banking app: statement imports, reconciliation and returned payments."""

from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "ontzorg.banking"
    verbose_name = "Bankafschriften"

    def ready(self):
        from ontzorg.navigation import MenuItem, register

        from .services import may_import

        register(MenuItem("Bankafschriften", "banking:list", order=45, visible=may_import))
