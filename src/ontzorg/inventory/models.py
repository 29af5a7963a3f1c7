"""The intake inventory as dated records.

A debt (`Debt`: whom it is owed to) and an asset (`Asset`: what it is) are known from a day on;
their amounts are histories of dated rows (`DebtAmount`, `AssetValue`) that are only ever
added to: the amount at the intake stays next to every later one (at a measurement, say), so
"debt at the start" and "debt now" are both facts. The duaal-traject facts (`IntegrationRecord`:
route, PIP date, language level) are dated rows too. The asset limits of the bijstand are
dated configuration (`AssetLimit`, new figures every 1 January)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from ontzorg.core.money import euro
from ontzorg.participants.models import Participant

from .constants import AssetHousehold, AssetKind, DebtKind, IntegrationRoute, LanguageLevel

# Assets are seen only by those who see a participant's bank details: what someone owns
# (savings, an IND compensation) is as private as their account.
ASSET_RIGHTS = ("sees_bank",)


class HistoryQuerySet(ScopedQuerySet, AppendOnlyQuerySet):
    """A dated history: scoped like its participant, rows never changed or removed."""


class Debt(models.Model):
    """A debt of the participant at one creditor, known from the intake or found later."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="debts", verbose_name=_("participant")
    )
    kind = models.CharField(_("creditor type"), max_length=20, choices=DebtKind.choices)
    creditor_name = models.CharField(_("creditor"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        ordering = ["participant", "kind", "pk"]

    def __str__(self):
        name = f" ({self.creditor_name})" if self.creditor_name else ""
        return f"{self.get_kind_display()}{name}"


class DebtAmount(AppendOnlyModel):
    """What a debt amounted to on a day; a later row never replaces an earlier one."""

    scope_path = ScopePath.via_participant("debt__participant")

    debt = models.ForeignKey(
        Debt, on_delete=models.PROTECT, related_name="amounts", verbose_name=_("debt")
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    known_on = models.DateField(_("known on"))
    # The measurement at which the amount was updated, if it was.
    measurement = models.ForeignKey(
        "measurements.Measurement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measurement"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("debt amount")
        verbose_name_plural = _("debt amounts")
        ordering = ["debt", "known_on", "pk"]
        indexes = [models.Index(fields=["debt", "known_on"])]

    def __str__(self):
        return f"{self.debt}: {euro(self.amount_cents)} ({self.known_on:%d-%m-%Y})"


class Asset(models.Model):
    """Something of value the participant has (a balance, savings, an IND compensation)."""

    scope_path = ScopePath.via_participant("participant", rights=ASSET_RIGHTS)

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="assets", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind of asset"), max_length=20, choices=AssetKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["participant", "kind", "pk"]

    def __str__(self):
        extra = f" ({self.description})" if self.description else ""
        return f"{self.get_kind_display()}{extra}"


class AssetValue(AppendOnlyModel):
    """What an asset was worth on a day; a later row never replaces an earlier one."""

    scope_path = ScopePath.via_participant("asset__participant", rights=ASSET_RIGHTS)

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="values", verbose_name=_("asset")
    )
    amount_cents = models.PositiveIntegerField(_("value (cents)"))
    valued_on = models.DateField(_("valued on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset value")
        verbose_name_plural = _("asset values")
        ordering = ["asset", "valued_on", "pk"]

    def __str__(self):
        return f"{self.asset}: {euro(self.amount_cents)} ({self.valued_on:%d-%m-%Y})"


class AssetLimit(models.Model):
    """The bijstand's asset limit for a kind of household, valid from a date."""

    household = models.CharField(_("household"), max_length=10, choices=AssetHousehold.choices)
    valid_from = models.DateField(_("valid from"))
    amount_cents = models.PositiveIntegerField(_("asset limit (cents)"))

    class Meta:
        verbose_name = _("asset limit")
        verbose_name_plural = _("asset limits")
        ordering = ["-valid_from", "household"]
        constraints = [
            models.UniqueConstraint(fields=["household", "valid_from"], name="asset_limit_once"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="asset_limit_positive"),
        ]

    def __str__(self):
        return f"{self.get_household_display()}: {euro(self.amount_cents)}"


class IntegrationRecord(AppendOnlyModel):
    """What was known of the duaal traject on a day: the inburgering route, the day the PIP
    (personal plan for integration and participation) was set, the language level. A field
    left empty says nothing new; the latest filled one holds."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="integration_records",
        verbose_name=_("participant"),
    )
    recorded_on = models.DateField(_("as of"))
    route = models.CharField(
        _("inburgering route"), max_length=12, choices=IntegrationRoute.choices, blank=True
    )
    pip_on = models.DateField(_("PIP date"), null=True, blank=True)
    language_level = models.CharField(
        _("language level"), max_length=10, choices=LanguageLevel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("duaal-traject record")
        verbose_name_plural = _("duaal-traject records")
        ordering = ["participant", "recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(route="") | Q(pip_on__isnull=False) | ~Q(language_level=""),
                name="integration_record_says_something",
            ),
        ]

    def __str__(self):
        return f"{self.participant_id} {self.recorded_on:%d-%m-%Y}"
