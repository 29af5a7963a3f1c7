"""Choices of the trajectory app: what an evaluation decides and how nazorg ends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The decision an evaluation leads to."""

    END = "end", _("end ontzorgen")
    EXTEND = "extend", _("extend ontzorgen")
    EARLY_END = "early_end", _("stop early at the participant's request (tailored decision)")
    BUDGETBEHEER = "budgetbeheer", _("switch to budgetbeheer")
    BEWINDVOERING = "bewindvoering", _("switch to protective administration")
    SCHULDHULP = "schuldhulp", _("switch to debt assistance")


# Outcomes that hand the participant over to another form of help: ontzorgen ends.
SWITCH_OUTCOMES = (Outcome.BUDGETBEHEER, Outcome.BEWINDVOERING, Outcome.SCHULDHULP)
ENDING_OUTCOMES = (Outcome.END, Outcome.EARLY_END, *SWITCH_OUTCOMES)


class NazorgEnd(models.TextChoices):
    EXPIRED = "expired", _("nazorg period over")
    REOPENED = "reopened", _("case reopened")


class OutflowKind(models.TextChoices):
    JOB = "job", _("paid work")
    OWN_BUSINESS = "own_business", _("own business")
