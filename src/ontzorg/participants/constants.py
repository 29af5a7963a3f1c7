"""Choices for participants and households."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "v", _("female")
    MALE = "m", _("male")
    OTHER = "x", _("other / unknown")


class Literacy(models.TextChoices):
    LITERATE = "literate", _("literate")
    LOW = "low", _("low literacy")
    ILLITERATE = "illiterate", _("illiterate")


class HouseholdRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    PARTNER = "partner", _("partner")


class MemberKind(models.TextChoices):
    PARTNER = "partner", _("partner (not a participant)")
    CHILD = "child", _("child")
    HOUSEMATE = "housemate", _("housemate (cost sharer)")


class Phase(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    INTAKE = "intake", _("intake")
    ACTIVE = "active", _("ontzorgd")
    EXTENDED = "extended", _("extended")
    PHASE_OUT = "phase_out", _("phase-out")
    NAZORG = "nazorg", _("nazorg")
    ENDED = "ended", _("completed")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    OPTED_OUT = "opted_out", _("no ontzorging (maatwerk)")


OPEN_PHASES = (Phase.INTAKE, Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT)


class DecisionKind(models.TextChoices):
    OPT_OUT = "opt_out", _("opt-out by the participant")
    MAATWERK = "maatwerk", _("maatwerk decision")


class DecisionOutcome(models.TextChoices):
    NO_ONTZORGING = "no_ontzorging", _("no ontzorging")
    ONTZORGING_ANYWAY = "ontzorging_anyway", _("ontzorgen anyway")
