"""Audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DECISION = "decision", _("decision")
    EXPORT = "export", _("exported")
    SELECTION = "selection", _("random draw")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGIN_BLOCKED = "login_blocked", _("login blocked")
