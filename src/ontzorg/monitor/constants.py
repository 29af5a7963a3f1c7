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
    UNDER_18 = "0-17", _("under 18")
    YOUNG = "18-26", _("18 to 26 inclusive")
    ADULT = "27-39", _("27 to 39 inclusive")
    MIDDLE = "40-54", _("40 to 54 inclusive")
    OLDER = "55+", _("55 and older")


AGE_BAND_LIMITS = ((18, AgeBand.UNDER_18), (27, AgeBand.YOUNG), (40, AgeBand.ADULT))
AGE_BAND_LIMITS += ((55, AgeBand.MIDDLE),)


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("single")
    SINGLE_PARENT = "single_parent", _("single parent")
    COUPLE = "couple", _("couple without children")
    COUPLE_CHILDREN = "couple_children", _("couple with children")


class Category(models.IntegerChoices):
    """The evaluators' common 3-level scale (regelingen.InstrumentLevel.Category)."""

    NOT_SELF_RELIANT = 1, _("not financially self-reliant")
    PARTLY_SELF_RELIANT = 2, _("partly financially self-reliant")
    SELF_RELIANT = 3, _("financially self-reliant")
