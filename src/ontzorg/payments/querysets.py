"""Scoping of payment runs: only payment roles, and only in their own region."""

from django.db import models

from ontzorg.accounts.constants import Scope

from .constants import RunStatus


def handles_payments(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.has_right("prepares_payments") or user.has_right("approves_payments"))
    )


def region_ids_for(user) -> list[int] | None:
    """The regions whose runs `user` may see; None means all."""
    if not handles_payments(user):
        return []
    if user.is_superuser or user.role.scope == Scope.ALL:
        return None
    if user.role.scope == Scope.REGION and user.organisation and user.organisation.region_id:
        return [user.organisation.region_id]
    return []


class PaymentRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        regions = region_ids_for(user)
        return self if regions is None else self.filter(region_id__in=regions)

    def open(self):
        return self.exclude(status=RunStatus.CANCELLED)
