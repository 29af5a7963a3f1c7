"""Measurement moments per region and the frozen snapshots taken at them.

A snapshot holds one row per person who entered intake with the facts as they stood on the
moment's date (`as_of`): the comparison group (participant, not drawn, not eligible, opted
out, waiting), characteristics in bands, trajectory facts, money facts from the ledger and
the payments, and outcome indicators. Snapshots and their rows are only ever inserted: they are
append-only (``ontzorg.core.appendonly``: the models refuse updates and deletes, and database
triggers, migration 0002, refuse them too, on SQLite and PostgreSQL). `rows_sha256` is a
digest of the rows, so rebuilding the facts from the same data can be shown to give the same
rows (services.verify_snapshot).

Columns added later are nullable, so that the migration adds them in place and the triggers
stay (SQLite would otherwise copy the table); `Snapshot.version` says which columns (and which
people) a snapshot was built with (facts.VERSIONS). Rows of version 1 hold no comparison
group: they were the participants alone."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from ontzorg.participants.constants import Gender, Literacy, Phase
from ontzorg.regelingen.constants import Mode

from .constants import AgeBand, Category, ComparisonGroup, HouseholdType


class MeasurementMoment(models.Model):
    """A date on which a region's snapshot is taken (the evaluators asked for two per pilot)."""

    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="measurement_moments",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=80)
    on = models.DateField(_("reference date"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_path = ScopePath(region="region")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement moment")
        verbose_name_plural = _("measurement moments")
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
        verbose_name=_("measurement moment"),
    )
    region = models.ForeignKey(
        "regelingen.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    as_of = models.DateField(_("reference date"))
    built_at = models.DateTimeField(_("built at"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )
    row_count = models.PositiveIntegerField(_("participants"))
    rows_sha256 = models.CharField(_("SHA-256 of the rows"), max_length=64)
    # Empty: version 1, from before the comparison groups (facts.VERSIONS).
    version = models.PositiveSmallIntegerField(_("version of the facts"), null=True)

    scope_path = ScopePath(region="region")
    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-as_of", "region__name"]

    def __str__(self):
        return _("Snapshot %(moment)s %(day)s") % {
            "moment": self.moment.name,
            "day": f"{self.as_of:%d-%m-%Y}",
        }


PARTICIPANTS = models.Q(comparison_group=ComparisonGroup.PARTICIPANT) | models.Q(
    comparison_group__isnull=True  # version 1: only participants were in a snapshot
)


class SnapshotRowQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    def participants(self):
        """The rows of the people in the pilot (comparison group 'participant')."""
        return self.filter(PARTICIPANTS)


class SnapshotRow(AppendOnlyModel):
    """The facts of one person who entered intake, on the peildatum. No name, BSN, address,
    birth date or text."""

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, related_name="rows", verbose_name=_("snapshot")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    region = models.ForeignKey(
        "regelingen.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    regeling = models.ForeignKey(
        "regelingen.Regeling",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regeling"),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    # Characteristics, in bands.
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    country_of_origin = models.CharField(_("country of origin"), max_length=80)
    household_type = models.CharField(_("household"), max_length=16, choices=HouseholdType.choices)
    literacy = models.CharField(_("literacy"), max_length=12, choices=Literacy.choices)
    arrival_year = models.PositiveSmallIntegerField(_("year of settlement"))
    # Trajectory.
    start_on = models.DateField(_("start of ontzorgen"), null=True)
    end_on = models.DateField(_("end of ontzorgen (planned or actual)"), null=True)
    ended = models.BooleanField(_("ended"))
    extended = models.BooleanField(_("extended"))
    outflow_to_work = models.BooleanField(_("outflow to work"))
    outflow_on = models.DateField(_("outflow as of"), null=True)
    guidance_minutes = models.PositiveIntegerField(_("guidance (minutes)"))
    trainings_attended = models.PositiveSmallIntegerField(_("trainings attended"))
    # Money, in cents, from the ledger and the payments.
    withheld_cents = models.BigIntegerField(_("withheld (cents, total)"))
    withheld_months = models.PositiveSmallIntegerField(_("months with withholding"))
    shortfall_months = models.PositiveSmallIntegerField(_("months with a shortfall"))
    returned_payments = models.PositiveSmallIntegerField(_("returned payments"))
    reserves_cents = models.BigIntegerField(_("reserves (cents)"))
    arrears_start_cents = models.BigIntegerField(_("known arrears at the start (cents)"))
    arrears_now_cents = models.BigIntegerField(_("known arrears on the reference date (cents)"))
    # Outcomes: self-reliance at the nulmeting and the latest measurement, and signals.
    first_instrument = models.ForeignKey(
        "regelingen.Instrument", on_delete=models.PROTECT, null=True, related_name="+"
    )
    first_rank = models.PositiveSmallIntegerField(_("baseline level"), null=True)
    first_category = models.PositiveSmallIntegerField(
        _("baseline category"), choices=Category.choices, null=True
    )
    latest_instrument = models.ForeignKey(
        "regelingen.Instrument", on_delete=models.PROTECT, null=True, related_name="+"
    )
    latest_moment = models.CharField(_("latest measurement"), max_length=16, blank=True)
    latest_rank = models.PositiveSmallIntegerField(_("latest measurement level"), null=True)
    latest_category = models.PositiveSmallIntegerField(
        _("latest measurement category"), choices=Category.choices, null=True
    )
    signals_after_end = models.PositiveSmallIntegerField(_("signals after the end"))
    # Version 2: everyone who entered intake, in a comparison group.
    comparison_group = models.CharField(
        _("comparison group"), max_length=16, choices=ComparisonGroup.choices, null=True
    )
    guidance_organisation = models.CharField(
        _("guiding organisation (name)"), max_length=160, null=True, blank=True
    )
    months_since_start = models.PositiveSmallIntegerField(_("months since the start"), null=True)
    benefit_ended = models.BooleanField(_("bijstand ended"), null=True)
    # Debts from the intake inventory (cents): at the start and on the peildatum; empty when
    # none were recorded by then (unknown is not zero).
    debt_start_cents = models.BigIntegerField(_("debts at the start (cents)"), null=True)
    debt_now_cents = models.BigIntegerField(_("debts on the reference date (cents)"), null=True)
    referrals = models.PositiveSmallIntegerField(_("referrals to regular services"), null=True)
    # The other outcomes the pilots named (regelingen.InstrumentPurpose): the level (rank) or
    # count at the first and at the latest measurement; empty when not measured.
    stress_first = models.PositiveSmallIntegerField(_("stress at the first measurement"), null=True)
    stress_latest = models.PositiveSmallIntegerField(
        _("stress at the latest measurement"), null=True
    )
    language_first = models.PositiveSmallIntegerField(
        _("language level at the first measurement"), null=True
    )
    language_latest = models.PositiveSmallIntegerField(
        _("language level at the latest measurement"), null=True
    )
    agencies_first = models.PositiveSmallIntegerField(
        _("agencies approached at the first measurement"), null=True
    )
    agencies_latest = models.PositiveSmallIntegerField(
        _("agencies approached at the latest measurement"), null=True
    )

    scope_path = ScopePath(region="region")
    objects = SnapshotRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        ordering = ["snapshot", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "participant"], name="monitor_row_once_per_snapshot"
            ),
        ]

    def __str__(self):
        return _("%(snapshot)s · participant %(participant)s") % {
            "snapshot": self.snapshot,
            "participant": self.participant_id,
        }


def new_study_key() -> str:
    """A fresh secret key for a study: 256 bits from `secrets`, as hex."""
    return secrets.token_hex(32)


class Study(models.Model):
    """An evaluation study. The pseudonyms of its exports are an HMAC-SHA256 of the
    participant under `secret_key`, so a participant has the same pseudonym in every export
    of the study (every region, every download) and a different one in another study. The key
    stays on the server: it is never shown, exported or written into the audit trail."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    secret_key = models.CharField(
        _("secret key"), max_length=64, default=new_study_key, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation study")
        verbose_name_plural = _("evaluation studies")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
