"""Organisations, roles and users. What a user may see follows from role and organisation."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core import access
from ontzorg.regelingen.models import Region

from .constants import OrganisationKind, RoleCode, Scope


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=160, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("regio"),
        help_text=_("Leeg voor organisaties die in alle regio's werken, zoals evaluatoren."),
    )
    municipality = models.ForeignKey(
        "regelingen.Municipality",
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("gemeente"),
        help_text=_(
            "Voor rollen met bereik 'de eigen gemeente': de gemeente van de regio waarvoor "
            "deze organisatie werkt."
        ),
    )
    audience = models.CharField(_("doelgroep"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.Model):
    """A role with its rights. The six roles are shipped as data (migration 0002)."""

    code = models.CharField(_("code"), max_length=20, choices=RoleCode.choices, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    scope = models.CharField(_("bereik"), max_length=20, choices=Scope.choices)
    sees_bsn = models.BooleanField(_("ziet BSN"), default=False)
    sees_bank = models.BooleanField(_("ziet bankgegevens"), default=False)
    edits_participants = models.BooleanField(_("wijzigt deelnemers"), default=False)
    prepares_payments = models.BooleanField(_("bereidt betaalruns voor"), default=False)
    approves_payments = models.BooleanField(_("keurt betaalruns goed"), default=False)
    exports_pseudonymised = models.BooleanField(_("exporteert voor evaluatie"), default=False)
    views_audit = models.BooleanField(_("ziet de audittrail"), default=False)
    records_guidance = models.BooleanField(_("legt begeleiding vast"), default=False)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisatie"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("rol")
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.get_full_name() or self.username

    def has_right(self, right: str) -> bool:
        """Whether this user has `right` (see `core.access.may`: a superuser has them all)."""
        return access.may(self, right)

    @property
    def region(self):
        return self.organisation.region if self.organisation else None

    @property
    def sees_bsn(self) -> bool:
        return self.has_right("sees_bsn")

    @property
    def sees_bank(self) -> bool:
        return self.has_right("sees_bank")

    @property
    def role_code(self) -> str:
        return self.role.code if self.role else ""


class FailedLogin(models.Model):
    """One failed login attempt; recent ones throttle further attempts."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mislukte aanmelding")
        verbose_name_plural = _("mislukte aanmeldingen")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
