"""Audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("bekeken")
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DECISION = "decision", _("besluit")
    EXPORT = "export", _("geëxporteerd")
    SELECTION = "selection", _("loting")
    LOGIN_FAILED = "login_failed", _("mislukte aanmelding")
    LOGIN_BLOCKED = "login_blocked", _("aanmelding geblokkeerd")
