"""Choices used by regelingen and by every app that refers to cost categories or modes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    HUUR = "huur", _("Rent")
    ENERGIE = "energie", _("Energy (gas and electricity)")
    WATER = "water", _("Water")
    ZORGVERZEKERING = "zorgverzekering", _("Health insurance")
    TELECOM = "telecom", _("Internet, TV and phone")
    VERZEKERING = "verzekering", _("Liability and contents insurance")
    GEMEENTEBELASTING = "gemeentebelasting", _("Municipal taxes")
    KINDEROPVANG = "kinderopvang", _("Childcare")
    OVERIG = "overig", _("Other")


LEGAL_CATEGORIES = (
    CostCategory.HUUR,
    CostCategory.ENERGIE,
    CostCategory.WATER,
    CostCategory.ZORGVERZEKERING,
)


class Mode(models.TextChoices):
    STANDARD = "standard", _("Standard withholding")
    DIFFERENTIATED = "differentiated", _("Differentiated packages")
    BUDGETBEHEER = "budgetbeheer", _("Full budgetbeheer")


class Inclusion(models.TextChoices):
    STANDARD = "standard", _("Standard package")
    OPTIONAL = "optional", _("Optional (on request)")


class PlanStart(models.TextChoices):
    BIJSTAND_START = "bijstand_start", _("Start of the right to bijstand")
    LEASE_SIGNED = "lease_signed", _("Date the tenancy agreement was signed")


class AllowanceFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly allowance")
    WEEKLY = "weekly", _("Weekly allowance")


class SelectionMethod(models.TextChoices):
    ALL = "all", _("All eligible candidates")
    RANDOM = "random", _("Random draw from the candidates")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class InstrumentPurpose(models.TextChoices):
    """What an instrument measures. Only self-reliance instruments decide whether ontzorgen
    may end and feed the evaluators' 3-level scale; the others are outcomes the pilots named
    (stress, language progress, agencies approached), measured at the same moments."""

    SELF_RELIANCE = "self_reliance", _("Financial self-reliance")
    STRESS = "stress", _("Stress")
    LANGUAGE = "language", _("Language progress")
    AGENCIES = "agencies", _("Agencies approached")


class InstrumentScale(models.TextChoices):
    """How a measurement with the instrument is recorded: a level of its ordered levels, or
    a count (a whole number from 0 up to the instrument's maximum)."""

    LEVELS = "levels", _("Ordered levels")
    COUNT = "count", _("Count")
