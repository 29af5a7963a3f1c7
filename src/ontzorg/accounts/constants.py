"""Role codes and organisation kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import Scope

__all__ = ["OrganisationKind", "RoleCode", "Scope"]


class RoleCode(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Case worker / consultant")
    BACKOFFICE = "backoffice", _("Back office / budget manager")
    BUDGETCOACH = "budgetcoach", _("Budget coach (partner organisation)")
    PROJECTLEIDER = "projectleider", _("Project leader")
    EVALUATOR = "evaluator", _("Evaluator")
    BEHEERDER = "beheerder", _("Administrator")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PARTNER = "partner", _("Partner organisation")
    KREDIETBANK = "kredietbank", _("Credit bank")
    EVALUATOR = "evaluator", _("Research agency")
