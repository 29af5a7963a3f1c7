"""Choices of the monitor: the bands in which snapshots hold personal characteristics, the
comparison groups of a snapshot and the smallest group shown in aggregates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.constants import Phase

# Aggregates never show a group of fewer people than this (1 to 4 become "<5").
SMALLEST_GROUP = 5

# Who is in the pilot: everyone from intake to the end (the comparison group "participant").
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


class ComparisonGroup(models.TextChoices):
    """Where someone who entered intake stands in the evaluation. Everyone registered at
    intake is in a snapshot, in exactly one group (facts.comparison_group decides).

    WAITING holds the candidates who were in no draw yet (or came back as a candidate
    after a maatwerk decision): not yet in the pilot, nor left out of it by lot, so no
    comparison group; they are counted, so that everybody is, but compared with nobody."""

    PARTICIPANT = "participant", _("participant")
    NOT_DRAWN = "not_drawn", _("not drawn")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    OPTED_OUT = "opted_out", _("opted out")
    WAITING = "waiting", _("waiting for draw or plan")


class MonthsBand(models.TextChoices):
    """Time since the start, in whole months: of ontzorgen for who started, else since the
    draw (not drawn) or since entering intake."""

    FIRST = "0-5", _("0 to 5 months")
    SECOND = "6-11", _("6 to 11 months")
    THIRD = "12-17", _("12 to 17 months")
    FOURTH = "18-23", _("18 to 23 months")
    LATER = "24+", _("24 months or more")


MONTHS_BAND_LIMITS = ((6, MonthsBand.FIRST), (12, MonthsBand.SECOND), (18, MonthsBand.THIRD))
MONTHS_BAND_LIMITS += ((24, MonthsBand.FOURTH),)


def months_band(months: int | None) -> str:
    """The band of a number of months since the start; '' when there is no start."""
    if months is None:
        return ""
    for limit, band in MONTHS_BAND_LIMITS:
        if months < limit:
            return band
    return MonthsBand.LATER
