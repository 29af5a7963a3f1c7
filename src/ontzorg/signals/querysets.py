"""Scoping and reusable filters for signals: every list and page of signals goes through here."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ontzorg.accounts.constants import Scope

from .constants import OPEN_STATUSES


def handles_queue(user) -> bool:
    """Roles that may see and match signals nobody could link to a participant yet."""
    return bool(
        user.is_superuser
        or user.has_right("edits_participants")
        or user.has_right("prepares_payments")
    )


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Matched signals of the participants `user` sees, plus, for the roles that work the
        queue, the unmatched signals of their region (all regions for scope 'all')."""
        from ontzorg.participants.models import Participant

        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        matched = Q(participant__in=Participant.objects.visible_to(user).values("pk"))
        if not handles_queue(user):
            return self.filter(matched)
        if user.is_superuser or (user.role and user.role.scope == Scope.ALL):
            return self.filter(matched | Q(participant=None))
        if user.region is not None:
            return self.filter(matched | Q(participant=None, region_id=user.region.pk))
        return self.filter(matched)

    def unmatched(self):
        return self.filter(participant=None)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())
