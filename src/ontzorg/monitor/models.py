"""Measurement moments per region and the frozen snapshots taken at them.

A snapshot holds one row per participant with the facts as they stood on the moment's date
(`as_of`): characteristics in bands, trajectory facts, money facts from the ledger and the
payments, and outcome indicators. Snapshots and their rows are only ever inserted: they are
append-only (``ontzorg.core.appendonly``: the models refuse updates and deletes, and database
triggers, migration 0002, refuse them too, on SQLite and PostgreSQL). `rows_sha256` is a
digest of the rows, so rebuilding the facts from the same data can be shown to give the same
rows (services.verify_snapshot)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from ontzorg.participants.constants import Gender, Literacy, Phase
from ontzorg.regelingen.constants import Mode

from .constants import AgeBand, Category, HouseholdType


class MeasurementMoment(models.Model):
    """A date on which a region's snapshot is taken (the evaluators asked for two per pilot)."""

    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="measurement_moments",
        verbose_name=_("regio"),
    )
    name = models.CharField(_("naam"), max_length=80)
    on = models.DateField(_("peildatum"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    scope_path = ScopePath(region="region")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meetmoment")
        verbose_name_plural = _("meetmomenten")
        ordering = ["region__name", "on"]
        constraints = [
            models.UniqueConstraint(fields=["region", "on"], name="monitor_moment_region_on"),
            models.UniqueConstraint(fields=["region", "name"], name="monitor_moment_region_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.on:%d-%m-%Y})"


class SnapshotQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    def latest_per_region(self, region_ids):
        """The newest snapshot (by peildatum) of each of these regions."""
        found = {}
        ordered = self.filter(region_id__in=region_ids).order_by("region__name", "-as_of")
        for snapshot in ordered.select_related("moment", "region"):
            found.setdefault(snapshot.region_id, snapshot)
        return list(found.values())


class Snapshot(AppendOnlyModel):
    moment = models.OneToOneField(
        MeasurementMoment,
        on_delete=models.PROTECT,
        related_name="snapshot",
        verbose_name=_("meetmoment"),
    )
    region = models.ForeignKey(
        "regelingen.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    as_of = models.DateField(_("peildatum"))
    built_at = models.DateTimeField(_("gemaakt op"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    row_count = models.PositiveIntegerField(_("deelnemers"))
    rows_sha256 = models.CharField(_("SHA-256 van de rijen"), max_length=64)

    scope_path = ScopePath(region="region")
    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("momentopname")
        verbose_name_plural = _("momentopnamen")
        ordering = ["-as_of", "region__name"]

    def __str__(self):
        return f"Momentopname {self.moment.name} {self.as_of:%d-%m-%Y}"


class SnapshotRowQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class SnapshotRow(AppendOnlyModel):
    """One participant's facts on the peildatum. No name, BSN, address, birth date or text."""

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, related_name="rows", verbose_name=_("momentopname")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deelnemer"),
    )
    region = models.ForeignKey(
        "regelingen.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    regeling = models.ForeignKey(
        "regelingen.Regeling",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regeling"),
    )
    mode = models.CharField(_("vorm"), max_length=20, choices=Mode.choices)
    phase = models.CharField(_("fase"), max_length=16, choices=Phase.choices)
    # Characteristics, in bands.
    age_band = models.CharField(_("leeftijd"), max_length=8, choices=AgeBand.choices)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    country_of_origin = models.CharField(_("land van herkomst"), max_length=80)
    household_type = models.CharField(_("huishouden"), max_length=16, choices=HouseholdType.choices)
    literacy = models.CharField(_("geletterdheid"), max_length=12, choices=Literacy.choices)
    arrival_year = models.PositiveSmallIntegerField(_("jaar van vestiging"))
    # Trajectory.
    start_on = models.DateField(_("start ontzorgen"), null=True)
    end_on = models.DateField(_("einde ontzorgen (gepland of werkelijk)"), null=True)
    ended = models.BooleanField(_("beëindigd"))
    extended = models.BooleanField(_("verlengd"))
    outflow_to_work = models.BooleanField(_("uitstroom naar werk"))
    outflow_on = models.DateField(_("uitstroom per"), null=True)
    guidance_minutes = models.PositiveIntegerField(_("begeleiding (minuten)"))
    trainings_attended = models.PositiveSmallIntegerField(_("trainingen gevolgd"))
    # Money, in cents, from the ledger and the payments.
    withheld_cents = models.BigIntegerField(_("ingehouden (cent, totaal)"))
    withheld_months = models.PositiveSmallIntegerField(_("maanden met inhouding"))
    shortfall_months = models.PositiveSmallIntegerField(_("maanden met tekort"))
    returned_payments = models.PositiveSmallIntegerField(_("teruggeboekte betalingen"))
    reserves_cents = models.BigIntegerField(_("reserveringen (cent)"))
    arrears_start_cents = models.BigIntegerField(_("bekende achterstanden bij de start (cent)"))
    arrears_now_cents = models.BigIntegerField(_("bekende achterstanden op de peildatum (cent)"))
    # Outcomes: self-reliance at the nulmeting and the latest measurement, and signals.
    first_instrument = models.ForeignKey(
        "regelingen.Instrument", on_delete=models.PROTECT, null=True, related_name="+"
    )
    first_rank = models.PositiveSmallIntegerField(_("niveau nulmeting"), null=True)
    first_category = models.PositiveSmallIntegerField(
        _("categorie nulmeting"), choices=Category.choices, null=True
    )
    latest_instrument = models.ForeignKey(
        "regelingen.Instrument", on_delete=models.PROTECT, null=True, related_name="+"
    )
    latest_moment = models.CharField(_("laatste meting"), max_length=16, blank=True)
    latest_rank = models.PositiveSmallIntegerField(_("niveau laatste meting"), null=True)
    latest_category = models.PositiveSmallIntegerField(
        _("categorie laatste meting"), choices=Category.choices, null=True
    )
    signals_after_end = models.PositiveSmallIntegerField(_("signalen na afloop"))

    scope_path = ScopePath(region="region")
    objects = SnapshotRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("rij van een momentopname")
        verbose_name_plural = _("rijen van momentopnamen")
        ordering = ["snapshot", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "participant"], name="monitor_row_once_per_snapshot"
            ),
        ]

    def __str__(self):
        return f"{self.snapshot} · deelnemer {self.participant_id}"


def new_study_key() -> str:
    """A fresh secret key for a study: 256 bits from `secrets`, as hex."""
    return secrets.token_hex(32)


class Study(models.Model):
    """An evaluation study. The pseudonyms of its exports are an HMAC-SHA256 of the
    participant under `secret_key`, so a participant has the same pseudonym in every export
    of the study (every region, every download) and a different one in another study. The key
    stays on the server: it is never shown, exported or written into the audit trail."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    secret_key = models.CharField(
        _("geheime sleutel"), max_length=64, default=new_study_key, editable=False
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatieonderzoek")
        verbose_name_plural = _("evaluatieonderzoeken")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
