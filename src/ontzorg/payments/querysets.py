"""Reusable queries of payment runs; who sees which run is declared on the models
(``scope_path``) and enforced by ``ontzorg.core.access``."""

from ontzorg.core.access import ScopedQuerySet

from .constants import RunStatus

# Payment data is for the payment roles only, each in their own region.
PAYMENT_RIGHTS = ("prepares_payments", "approves_payments")


class PaymentRunQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=RunStatus.CANCELLED)
