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


class ReferralOrganisation(models.TextChoices):
    """Where a participant is referred to among the regular services."""

    WIJKTEAM = "wijkteam", _("neighbourhood team (wijkteam)")
    DEBT_COUNSELLING = "schuldhulp", _("debt counselling (schuldhulpverlening)")
    SOCIAL_COUNSELLORS = "raadslieden", _("social counsellors (sociaal raadslieden)")
    BEWINDVOERING = "bewindvoering", _("administration (bewindvoering)")
    OTHER = "other", _("other organisation")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed to the participant")
    REFERRED = "referred", _("referred")
    ACCEPTED = "accepted", _("accepted by the organisation")
    DECLINED = "declined", _("declined or not started")
    CLOSED = "closed", _("closed: the help has ended")
