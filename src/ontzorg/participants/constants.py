"""Choices for participants and households."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "v", _("vrouw")
    MALE = "m", _("man")
    OTHER = "x", _("anders / onbekend")


class Literacy(models.TextChoices):
    LITERATE = "literate", _("geletterd")
    LOW = "low", _("laaggeletterd")
    ILLITERATE = "illiterate", _("analfabeet")


class HouseholdRole(models.TextChoices):
    APPLICANT = "applicant", _("aanvrager")
    PARTNER = "partner", _("partner")


class MemberKind(models.TextChoices):
    PARTNER = "partner", _("partner (geen deelnemer)")
    CHILD = "child", _("kind")
    HOUSEMATE = "housemate", _("medebewoner (kostendeler)")


class Phase(models.TextChoices):
    CANDIDATE = "candidate", _("kandidaat")
    INTAKE = "intake", _("intake")
    ACTIVE = "active", _("ontzorgd")
    EXTENDED = "extended", _("verlengd")
    PHASE_OUT = "phase_out", _("afbouw")
    NAZORG = "nazorg", _("nazorg")
    ENDED = "ended", _("afgesloten")
    NOT_ELIGIBLE = "not_eligible", _("niet geschikt")
    OPTED_OUT = "opted_out", _("geen ontzorging (maatwerk)")


OPEN_PHASES = (Phase.INTAKE, Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT)


class DecisionKind(models.TextChoices):
    OPT_OUT = "opt_out", _("afmelding door deelnemer")
    MAATWERK = "maatwerk", _("maatwerkbesluit")


class DecisionOutcome(models.TextChoices):
    NO_ONTZORGING = "no_ontzorging", _("geen ontzorging")
    ONTZORGING_ANYWAY = "ontzorging_anyway", _("toch ontzorgen")
