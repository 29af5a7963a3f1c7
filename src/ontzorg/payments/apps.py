"""The payments app: monthly payment runs and their pain.001 files."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ontzorg.payments"
    verbose_name = "Betaalruns"

    def ready(self):
        from ontzorg.core import access
        from ontzorg.navigation import MenuItem, register

        from . import extras  # noqa: F401  (registers what approving a payout does)
        from .querysets import PAYMENT_RIGHTS

        register(
            MenuItem(
                "Betaalruns",
                "payments:list",
                order=40,
                visible=lambda user: access.may(user, *PAYMENT_RIGHTS),
            )
        )
