"""The payments app: monthly payment runs and their pain.001 files."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ontzorg.payments"
    verbose_name = "Betaalruns"

    def ready(self):
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register

        from .querysets import PAYMENT_RIGHTS

        register(
            MenuItem(
                "Betaalruns",
                "payments:list",
                order=40,
                visible=lambda user: access.may(user, *PAYMENT_RIGHTS),
            )
        )
