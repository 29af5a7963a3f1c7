"""Organisations, roles and users. What a user may see follows from role and organisation."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core import access
from ontzorg.regelingen.models import Region

from .constants import OrganisationKind, RoleCode, Scope


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("Empty for organisations that work in all regions, such as evaluators."),
    )
    municipality = models.ForeignKey(
        "regelingen.Municipality",
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_(
            "The municipality of the region this organisation works for, when it works "
            "for one. Where the region limits staff to their municipality, its users then "
            "see only that municipality's participants."
        ),
    )
    audience = models.CharField(_("target group"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.municipality_id and self.municipality.region_id != self.region_id:
            raise ValidationError(
                {"municipality": _("Choose a municipality of the organisation's region.")}
            )


class Role(models.Model):
    """A role with its rights. The six roles are shipped as data (migration 0002)."""

    code = models.CharField(_("code"), max_length=20, choices=RoleCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    sees_bsn = models.BooleanField(_("sees BSN"), default=False)
    sees_bank = models.BooleanField(_("sees bank details"), default=False)
    edits_participants = models.BooleanField(_("edits participants"), default=False)
    prepares_payments = models.BooleanField(_("prepares payment runs"), default=False)
    approves_payments = models.BooleanField(_("approves payment runs"), default=False)
    exports_pseudonymised = models.BooleanField(_("exports for evaluation"), default=False)
    views_audit = models.BooleanField(_("sees the audit trail"), default=False)
    records_guidance = models.BooleanField(_("records guidance"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
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
        verbose_name=_("organisation"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("role")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
