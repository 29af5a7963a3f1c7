"""Role codes and organisation kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager / consulent")
    BACKOFFICE = "backoffice", _("Backoffice / budgetbeheerder")
    BUDGETCOACH = "budgetcoach", _("Budgetcoach (partnerorganisatie)")
    PROJECTLEIDER = "projectleider", _("Projectleider")
    EVALUATOR = "evaluator", _("Evaluator")
    BEHEERDER = "beheerder", _("Beheerder")


class Scope(models.TextChoices):
    """Which participants a role may see at all."""

    ALL = "all", _("alle regio's")
    REGION = "region", _("de eigen regio")
    MUNICIPALITY = "municipality", _("de eigen gemeente (in een regio van meer gemeenten)")
    ORGANISATION = "organisation", _("deelnemers toegewezen aan de eigen organisatie")
    NONE = "none", _("geen deelnemers (alleen geanonimiseerde gegevens)")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    PARTNER = "partner", _("Partnerorganisatie")
    KREDIETBANK = "kredietbank", _("Kredietbank")
    EVALUATOR = "evaluator", _("Onderzoeksbureau")
