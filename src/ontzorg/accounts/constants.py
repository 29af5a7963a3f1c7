"""Role codes and organisation kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import Scope

__all__ = ["OrganisationKind", "RoleCode", "Scope"]


class RoleCode(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager / consulent")
    BACKOFFICE = "backoffice", _("Backoffice / budgetbeheerder")
    BUDGETCOACH = "budgetcoach", _("Budgetcoach (partnerorganisatie)")
    PROJECTLEIDER = "projectleider", _("Projectleider")
    EVALUATOR = "evaluator", _("Evaluator")
    BEHEERDER = "beheerder", _("Beheerder")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    PARTNER = "partner", _("Partnerorganisatie")
    KREDIETBANK = "kredietbank", _("Kredietbank")
    EVALUATOR = "evaluator", _("Onderzoeksbureau")
