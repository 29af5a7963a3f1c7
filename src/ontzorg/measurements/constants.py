"""Choices of the measurements app: the moments of a trajectory and who assessed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import schedule


class Moment(models.TextChoices):
    NULMETING = schedule.NULMETING, _("nulmeting")
    TUSSENMETING = schedule.TUSSENMETING, _("tussenmeting")
    EINDMETING = schedule.EINDMETING, _("eindmeting")
    FOLLOW_UP = schedule.FOLLOW_UP, _("vervolgmeting (na het einde)")


class Perspective(models.TextChoices):
    """Whose judgement a measurement records; Capelle assesses together with the participant."""

    CASE_WORKER = "case_worker", _("klantmanager")
    COACH = "coach", _("coach")
    PARTICIPANT = "participant", _("eigen beeld van de deelnemer")
    JOINT = "joint", _("samen met de deelnemer")


class ScheduleStatus(models.TextChoices):
    DONE = schedule.DONE, _("gedaan")
    OVERDUE = schedule.OVERDUE, _("te laat")
    DUE = schedule.DUE, _("binnenkort")
    PLANNED = schedule.PLANNED, _("gepland")
