from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ontzorg.ledger"
    verbose_name = "Grootboek"
