"""Choices for creditors, plans, machtigingen, norms and income."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditorCategory(models.TextChoices):
    WONINGCORPORATIE = "woningcorporatie", _("Housing association / landlord")
    ENERGIE = "energie", _("Energy supplier")
    WATER = "water", _("Water company")
    ZORGVERZEKERAAR = "zorgverzekeraar", _("Health insurer")
    TELECOM = "telecom", _("Telecom (internet, TV, phone)")
    VERZEKERAAR = "verzekeraar", _("Insurer")
    GEMEENTE = "gemeente", _("Municipality (taxes)")
    KINDEROPVANG = "kinderopvang", _("Childcare")
    OVERIG = "overig", _("Other")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("running")
    EXTENDED = "extended", _("extended")
    ENDED = "ended", _("ended")


OPEN_PLAN_STATUSES = (PlanStatus.ACTIVE, PlanStatus.EXTENDED)


class PlanDecisionKind(models.TextChoices):
    END = "end", _("end")
    EXTEND = "extend", _("extend")


class HouseholdType(models.TextChoices):
    """The household types of the bijstand norm table (facts.md)."""

    SINGLE = "single", _("single (parent)")
    MARRIED = "married", _("married couple")
    MARRIED_ONE_UNDER_21 = "married_one_u21", _("married couple, one partner under 21")


class AgeBand(models.TextChoices):
    UNDER_21 = "under_21", _("under 21")
    ADULT = "adult", _("21 up to state pension age")
    AOW = "aow", _("state pension age")


class IncomeKind(models.TextChoices):
    BIJSTAND = "bijstand", _("Bijstand benefit")
    HUURTOESLAG = "huurtoeslag", _("Rent allowance")
    ZORGTOESLAG = "zorgtoeslag", _("Healthcare allowance")
    KINDGEBONDEN_BUDGET = "kindgebonden_budget", _("Child-related budget")
    WAGES = "wages", _("Wages")
    OTHER = "other", _("Other income")


TOESLAG_KINDS = (IncomeKind.HUURTOESLAG, IncomeKind.ZORGTOESLAG, IncomeKind.KINDGEBONDEN_BUDGET)


class ShortfallChoice(models.TextChoices):
    PAY_PARTIALLY = "pay_partially", _("Pay partly in order of priority")
    EXTRA_INCOME = "extra_income", _("Count toeslagen or special assistance")
