"""Reusable queries on measurements; scoping is `core.access` through the participant."""

from ontzorg.core.access import ScopedQuerySet


class MeasurementQuerySet(ScopedQuerySet):
    def latest_first(self):
        return self.order_by("-measured_on", "-created_at", "-pk")

    def counting_for_exit(self):
        """The participant's own view alone never establishes that ontzorgen can end."""
        from .constants import Perspective

        return self.exclude(perspective=Perspective.PARTICIPANT)
