"""Choices of the trajectory app: what an evaluation decides and how nazorg ends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The decision an evaluation leads to."""

    END = "end", _("ontzorgen beëindigen")
    EXTEND = "extend", _("ontzorgen verlengen")
    EARLY_END = "early_end", _("eerder stoppen op verzoek van de deelnemer (maatwerk)")
    BUDGETBEHEER = "budgetbeheer", _("overstap naar budgetbeheer")
    BEWINDVOERING = "bewindvoering", _("overstap naar beschermingsbewind")
    SCHULDHULP = "schuldhulp", _("overstap naar schuldhulpverlening")


# Outcomes that hand the participant over to another form of help: ontzorgen ends.
SWITCH_OUTCOMES = (Outcome.BUDGETBEHEER, Outcome.BEWINDVOERING, Outcome.SCHULDHULP)
ENDING_OUTCOMES = (Outcome.END, Outcome.EARLY_END, *SWITCH_OUTCOMES)


class NazorgEnd(models.TextChoices):
    EXPIRED = "expired", _("nazorgperiode voorbij")
    REOPENED = "reopened", _("dossier heropend")


class OutflowKind(models.TextChoices):
    JOB = "job", _("betaald werk")
    OWN_BUSINESS = "own_business", _("eigen bedrijf")
