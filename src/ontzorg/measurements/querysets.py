"""Reusable queries on measurements; scoping always goes through the participant's scope."""

from django.db import models


class MeasurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        from ontzorg.participants.models import Participant

        return self.filter(participant__in=Participant.objects.visible_to(user))

    def latest_first(self):
        return self.order_by("-measured_on", "-created_at", "-pk")

    def counting_for_exit(self):
        """The participant's own view alone never establishes that ontzorgen can end."""
        from .constants import Perspective

        return self.exclude(perspective=Perspective.PARTICIPANT)
