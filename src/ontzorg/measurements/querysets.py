"""Reusable queries on measurements; scoping is `core.access` through the participant."""

from ontzorg.core.access import ScopedQuerySet


class MeasurementQuerySet(ScopedQuerySet):
    def latest_first(self):
        return self.order_by("-measured_on", "-created_at", "-pk")

    def self_reliance(self):
        """Measurements of financial self-reliance only: the other outcomes (stress,
        language, agencies approached) never decide the schedule's moments or the end."""
        from ontzorg.regelingen.constants import InstrumentPurpose

        return self.filter(instrument__purpose=InstrumentPurpose.SELF_RELIANCE)

    def outcomes(self):
        """Measurements of the other outcomes than self-reliance."""
        from ontzorg.regelingen.constants import InstrumentPurpose

        return self.exclude(instrument__purpose=InstrumentPurpose.SELF_RELIANCE)

    def counting_for_exit(self):
        """Self-reliance as assessed by a professional: the participant's own view alone
        never establishes that ontzorgen can end, and no other outcome does."""
        from .constants import Perspective

        return self.self_reliance().exclude(perspective=Perspective.PARTICIPANT)
