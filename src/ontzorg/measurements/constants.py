"""Choices of the measurements app: the moments of a trajectory and who assessed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import schedule


class Moment(models.TextChoices):
    NULMETING = schedule.NULMETING, _("baseline measurement")
    TUSSENMETING = schedule.TUSSENMETING, _("interim measurement")
    EINDMETING = schedule.EINDMETING, _("final measurement")
    FOLLOW_UP = schedule.FOLLOW_UP, _("follow-up measurement (after the end)")


class Perspective(models.TextChoices):
    """Whose judgement a measurement records; Capelle assesses together with the participant."""

    CASE_WORKER = "case_worker", _("case worker")
    COACH = "coach", _("coach")
    PARTICIPANT = "participant", _("participant's own view")
    JOINT = "joint", _("together with the participant")


class ScheduleStatus(models.TextChoices):
    DONE = schedule.DONE, _("measured")
    OVERDUE = schedule.OVERDUE, _("overdue")
    DUE = schedule.DUE, _("due soon")
    PLANNED = schedule.PLANNED, _("planned")
