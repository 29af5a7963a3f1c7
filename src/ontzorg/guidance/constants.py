"""Choices of the guidance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("huisbezoek")
    PHONE = "phone", _("telefonisch")
    OFFICE = "office", _("op kantoor")
    VIDEO = "video", _("beeldbellen")


class LevelGroup(models.TextChoices):
    """Den Haag trains in two level groups; elsewhere one group for everyone."""

    ALL = "all", _("één groep")
    BASIC = "basic", _("basisgroep")
    ADVANCED = "advanced", _("gevorderdengroep")


class ConditionKind(models.TextChoices):
    CHILDCARE = "childcare", _("kinderopvang")
    TRAVEL = "travel", _("reiskosten")
    INTERPRETER = "interpreter", _("tolk")
    OTHER = "other", _("overig")
