"""Choices of the measurements app: the moments of a trajectory and who assessed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Moment(models.TextChoices):
    NULMETING = "nulmeting", _("nulmeting")
    TUSSENMETING = "tussenmeting", _("tussenmeting")
    EINDMETING = "eindmeting", _("eindmeting")
    FOLLOW_UP = "vervolgmeting", _("vervolgmeting (na het einde)")


class Perspective(models.TextChoices):
    """Whose judgement a measurement records; Capelle assesses together with the participant."""

    CASE_WORKER = "case_worker", _("klantmanager")
    COACH = "coach", _("coach")
    PARTICIPANT = "participant", _("eigen beeld van de deelnemer")
    JOINT = "joint", _("samen met de deelnemer")


class ScheduleStatus(models.TextChoices):
    DONE = "done", _("gedaan")
    OVERDUE = "overdue", _("te laat")
    DUE = "due", _("binnenkort")
    PLANNED = "planned", _("gepland")
