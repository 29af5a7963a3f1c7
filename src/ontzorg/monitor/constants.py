"""Choices of the monitor: the bands in which snapshots hold personal characteristics, the
phases a snapshot covers and the smallest group shown in aggregates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.constants import Phase

# Aggregates never show a group of fewer people than this (1 to 4 become "<5").
SMALLEST_GROUP = 5

# Who is in the pilot, and so in a snapshot: everyone from intake to the end.
PILOT_PHASES = (
    Phase.INTAKE,
    Phase.ACTIVE,
    Phase.EXTENDED,
    Phase.PHASE_OUT,
    Phase.NAZORG,
    Phase.ENDED,
)


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("jonger dan 18")
    YOUNG = "18-26", _("18 tot en met 26")
    ADULT = "27-39", _("27 tot en met 39")
    MIDDLE = "40-54", _("40 tot en met 54")
    OLDER = "55+", _("55 en ouder")


AGE_BAND_LIMITS = ((18, AgeBand.UNDER_18), (27, AgeBand.YOUNG), (40, AgeBand.ADULT))
AGE_BAND_LIMITS += ((55, AgeBand.MIDDLE),)


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("alleenstaand")
    SINGLE_PARENT = "single_parent", _("alleenstaande ouder")
    COUPLE = "couple", _("paar zonder kinderen")
    COUPLE_CHILDREN = "couple_children", _("paar met kinderen")


class Category(models.IntegerChoices):
    """The evaluators' common 3-level scale (regelingen.InstrumentLevel.Category)."""

    NOT_SELF_RELIANT = 1, _("niet financieel zelfredzaam")
    PARTLY_SELF_RELIANT = 2, _("beperkt financieel zelfredzaam")
    SELF_RELIANT = 3, _("financieel zelfredzaam")
