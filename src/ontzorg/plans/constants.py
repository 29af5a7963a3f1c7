"""Choices for creditors, plans, machtigingen, norms and income."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditorCategory(models.TextChoices):
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie / verhuurder")
    ENERGIE = "energie", _("Energieleverancier")
    WATER = "water", _("Waterbedrijf")
    ZORGVERZEKERAAR = "zorgverzekeraar", _("Zorgverzekeraar")
    TELECOM = "telecom", _("Telecom (internet, tv, telefoon)")
    VERZEKERAAR = "verzekeraar", _("Verzekeraar")
    GEMEENTE = "gemeente", _("Gemeente (belastingen)")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    OVERIG = "overig", _("Overig")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("lopend")
    EXTENDED = "extended", _("verlengd")
    ENDED = "ended", _("beëindigd")


OPEN_PLAN_STATUSES = (PlanStatus.ACTIVE, PlanStatus.EXTENDED)


class PlanDecisionKind(models.TextChoices):
    END = "end", _("beëindigen")
    EXTEND = "extend", _("verlengen")


class HouseholdType(models.TextChoices):
    """The household types of the bijstand norm table (facts.md)."""

    SINGLE = "single", _("alleenstaande (ouder)")
    MARRIED = "married", _("gehuwden")
    MARRIED_ONE_UNDER_21 = "married_one_u21", _("gehuwden, één partner jonger dan 21")


class AgeBand(models.TextChoices):
    UNDER_21 = "under_21", _("jonger dan 21")
    ADULT = "adult", _("21 jaar tot AOW-leeftijd")
    AOW = "aow", _("AOW-leeftijd")


class IncomeKind(models.TextChoices):
    BIJSTAND = "bijstand", _("Bijstandsuitkering")
    HUURTOESLAG = "huurtoeslag", _("Huurtoeslag")
    ZORGTOESLAG = "zorgtoeslag", _("Zorgtoeslag")
    KINDGEBONDEN_BUDGET = "kindgebonden_budget", _("Kindgebonden budget")
    WAGES = "wages", _("Loon")
    OTHER = "other", _("Overig inkomen")


TOESLAG_KINDS = (IncomeKind.HUURTOESLAG, IncomeKind.ZORGTOESLAG, IncomeKind.KINDGEBONDEN_BUDGET)


class ShortfallChoice(models.TextChoices):
    PAY_PARTIALLY = "pay_partially", _("Gedeeltelijk betalen in volgorde van voorrang")
    EXTRA_INCOME = "extra_income", _("Toeslagen of bijzondere bijstand meetellen")
