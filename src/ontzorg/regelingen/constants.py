"""Choices used by regelingen and by every app that refers to cost categories or modes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    HUUR = "huur", _("Huur")
    ENERGIE = "energie", _("Energie (gas en stroom)")
    WATER = "water", _("Water")
    ZORGVERZEKERING = "zorgverzekering", _("Zorgverzekering")
    TELECOM = "telecom", _("Internet, tv en telefoon")
    VERZEKERING = "verzekering", _("WA- en inboedelverzekering")
    GEMEENTEBELASTING = "gemeentebelasting", _("Gemeentebelastingen")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    OVERIG = "overig", _("Overig")


LEGAL_CATEGORIES = (
    CostCategory.HUUR,
    CostCategory.ENERGIE,
    CostCategory.WATER,
    CostCategory.ZORGVERZEKERING,
)


class Mode(models.TextChoices):
    STANDARD = "standard", _("Standaard inhouding")
    DIFFERENTIATED = "differentiated", _("Gedifferentieerde pakketten")
    BUDGETBEHEER = "budgetbeheer", _("Volledig budgetbeheer")


class Inclusion(models.TextChoices):
    STANDARD = "standard", _("Standaardpakket")
    OPTIONAL = "optional", _("Optioneel (op verzoek)")


class PlanStart(models.TextChoices):
    BIJSTAND_START = "bijstand_start", _("Start van het recht op bijstand")
    LEASE_SIGNED = "lease_signed", _("Datum ondertekening huurcontract")


class AllowanceFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Maandgeld")
    WEEKLY = "weekly", _("Weekgeld")


class SelectionMethod(models.TextChoices):
    ALL = "all", _("Alle geschikte kandidaten")
    RANDOM = "random", _("Loting uit de kandidaten")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
