"""Choices of the guidance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("home visit")
    PHONE = "phone", _("by phone")
    OFFICE = "office", _("at the office")
    VIDEO = "video", _("video call")


class LevelGroup(models.TextChoices):
    """Den Haag trains in two level groups; elsewhere one group for everyone."""

    ALL = "all", _("one group")
    BASIC = "basic", _("basic group")
    ADVANCED = "advanced", _("advanced group")


class ConditionKind(models.TextChoices):
    CHILDCARE = "childcare", _("childcare")
    TRAVEL = "travel", _("travel costs")
    INTERPRETER = "interpreter", _("interpreter")
    OTHER = "other", _("other")
