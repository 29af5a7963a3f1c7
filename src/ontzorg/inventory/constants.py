"""Choices of the intake inventory."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DebtKind(models.TextChoices):
    """Who the debt is owed to, by the kinds the evaluation asks about."""

    FURNISHING_LOAN = "furnishing_loan", _("furnishing loan (municipality or COA)")
    BELASTINGDIENST = "belastingdienst", _("Belastingdienst (taxes, allowances)")
    DUO = "duo", _("DUO (integration or study loan)")
    CJIB = "cjib", _("CJIB (fines)")
    HEALTH_INSURER = "health_insurer", _("health insurer")
    ENERGY = "energy", _("energy supplier")
    RENT = "rent", _("landlord (rent)")
    OTHER = "other", _("other creditor")


class AssetKind(models.TextChoices):
    BANK_BALANCE = "bank_balance", _("bank balance and cash")
    SAVINGS = "savings", _("savings")
    IND_COMPENSATION = "ind_compensation", _("IND compensation")
    VEHICLE = "vehicle", _("car or other vehicle")
    OTHER = "other", _("other assets")


class AssetHousehold(models.TextChoices):
    """The two asset limits of the bijstand: a single person, or a couple or single parent."""

    SINGLE = "single", _("single person")
    FAMILY = "family", _("couple or single parent")


class IntegrationRoute(models.TextChoices):
    """The learning routes of the Wet inburgering 2021."""

    B1 = "b1", _("B1 route")
    EDUCATION = "education", _("education route")
    Z_ROUTE = "z_route", _("Z route (self-reliance)")


class LanguageLevel(models.TextChoices):
    """Dutch language level on the European scale (CEFR)."""

    BELOW_A1 = "below_a1", _("below A1")
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", "B2"
    C1 = "c1", _("C1 or higher")
