"""Choices of the privacy app and the neutral value that replaces personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# What a name, a note or another free text becomes when its term is over.
ANONYMISED = "geanonimiseerd"


class Term(models.TextChoices):
    """Which retention term ended for an anonymised participant."""

    PARTICIPANT = (
        "participant",
        _("participant's file (after the end of the trajectory and nazorg)"),
    )
    NON_PARTICIPANT = "non_participant", _("never took part (candidate, not eligible, opted out)")
