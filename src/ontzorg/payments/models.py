"""Payment runs, their instructions and shortfall cases, and the region's paying account.

Idempotency lives in the database: one open run per region and month, one instruction per
run + plan line + month + kind + payment day (and per allowance day and savings pot), and a
unique EndToEndId, so a retried computation can never instruct a payment twice."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.money import euro
from ontzorg.participants.validators import validate_iban

from .constants import CREDITOR_KINDS, InstructionKind, PainVersion, RunStatus
from .querysets import PAYMENT_RIGHTS, PaymentRunQuerySet


class DebtorAccount(models.Model):
    """The municipality's bank account that a region's payments are made from."""

    region = models.OneToOneField(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="debtor_account",
        verbose_name=_("regio"),
    )
    name = models.CharField(_("naam rekeninghouder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, default="BNGHNL2G")

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("betaalrekening")
        verbose_name_plural = _("betaalrekeningen")

    def __str__(self):
        return f"{self.name} ({self.iban})"


class PaymentRun(models.Model):
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="payment_runs",
        verbose_name=_("regio"),
    )
    period = models.DateField(_("maand"), help_text=_("De eerste dag van de maand."))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PREPARING
    )
    pain_version = models.CharField(
        _("pain.001-versie"), max_length=2, choices=PainVersion.choices, default=PainVersion.V09
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorbereid door"),
    )
    prepared_at = models.DateTimeField(_("voorbereid op"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    exported_at = models.DateTimeField(_("geëxporteerd op"), null=True, blank=True)
    booked_at = models.DateTimeField(_("geboekt op"), null=True, blank=True)

    # Progress of the computation, read by the run screen while it is polled.
    total_participants = models.PositiveIntegerField(_("deelnemers"), default=0)
    done_participants = models.PositiveIntegerField(_("berekend"), default=0)
    # The computation walks the participants in id order; `cursor` is the last one done,
    # so a crashed computation resumes after it.
    cursor = models.BigIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("betaalrun")
        verbose_name_plural = _("betaalruns")
        ordering = ["-period", "region__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"],
                condition=~Q(status=RunStatus.CANCELLED),
                name="payment_run_one_per_region_month",
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="payment_run_period_first"),
            # Four eyes: the approver is never the preparer, also not through a back door.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="payment_run_four_eyes",
            ),
        ]

    def __str__(self):
        return f"Betaalrun {self.region} {self.period:%m-%Y}"

    @property
    def progress_percent(self) -> int:
        if not self.total_participants:
            return 100 if self.status != RunStatus.PREPARING else 0
        return min(100, round(100 * self.done_participants / self.total_participants))


class PaymentFile(models.Model):
    """One exported pain.001 message; large runs are split into several."""

    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="files", verbose_name=_("betaalrun")
    )
    sequence = models.PositiveSmallIntegerField(_("volgnummer"))
    file = models.FileField(_("bestand"), upload_to="pain001/", max_length=200)
    message_id = models.CharField(_("MsgId"), max_length=35, unique=True)
    count = models.PositiveIntegerField(_("betalingen"))
    total_cents = models.BigIntegerField(_("totaal (cent)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("betaalbestand")
        verbose_name_plural = _("betaalbestanden")
        ordering = ["run", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["run", "sequence"], name="payment_file_unique"),
        ]

    def __str__(self):
        return self.message_id

    @property
    def filename(self) -> str:
        return f"{self.message_id}.xml"


class PaymentInstruction(models.Model):
    """One payment (or savings reservation) of a run, with a snapshot of whom it goes to."""

    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name=_("betaalrun"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="payment_instructions",
        verbose_name=_("deelnemer"),
    )
    period = models.DateField(_("maand"))
    kind = models.CharField(_("soort"), max_length=12, choices=InstructionKind.choices)
    plan_line = models.ForeignKey(
        "plans.PlanLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("vaste last"),
    )
    savings_pot = models.ForeignKey(
        "plans.SavingsPot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("spaarpot"),
    )
    creditor = models.ForeignKey(
        "plans.Creditor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("schuldeiser"),
    )
    # Snapshot: the file is made from these, whatever changes in the register later.
    name = models.CharField(_("begunstigde"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    street = models.CharField(_("straat"), max_length=70, blank=True)
    building_number = models.CharField(_("huisnummer"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    town = models.CharField(_("plaats"), max_length=35, blank=True)
    country = models.CharField(_("land"), max_length=2, blank=True)
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    due_cents = models.BigIntegerField(_("verschuldigd (cent)"))
    pay_on = models.DateField(_("betaaldatum"))
    end_to_end_id = models.CharField(_("EndToEndId"), max_length=35, unique=True)
    remittance = models.CharField(_("omschrijving"), max_length=140, blank=True)

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("betaalopdracht")
        verbose_name_plural = _("betaalopdrachten")
        ordering = ["run", "participant", "pay_on", "pk"]
        indexes = [models.Index(fields=["run", "participant"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="instruction_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["run", "plan_line", "period", "kind", "pay_on"],
                condition=Q(plan_line__isnull=False),
                name="instruction_once_per_line",
            ),
            models.UniqueConstraint(
                fields=["run", "participant", "pay_on"],
                condition=Q(kind=InstructionKind.ALLOWANCE),
                name="instruction_once_per_allowance_day",
            ),
            models.UniqueConstraint(
                fields=["run", "savings_pot"],
                condition=Q(kind=InstructionKind.SAVINGS),
                name="instruction_once_per_savings_pot",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=CREDITOR_KINDS, plan_line__isnull=False, creditor__isnull=False)
                    | Q(kind=InstructionKind.ALLOWANCE, plan_line__isnull=True)
                    | Q(kind=InstructionKind.SAVINGS, savings_pot__isnull=False)
                ),
                name="instruction_kind_fields",
            ),
        ]

    def __str__(self):
        return f"{self.end_to_end_id} {self.name} {euro(self.amount_cents)}"


class ShortfallCase(models.Model):
    """A participant whose income does not cover the costs this month. Nothing is paid for
    them until someone decides (recorded as a plans.ShortfallDecision with its reason)."""

    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="shortfalls", verbose_name=_("betaalrun")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="shortfall_cases",
        verbose_name=_("deelnemer"),
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    income_cents = models.BigIntegerField(_("inkomen (cent)"))
    costs_cents = models.BigIntegerField(_("vaste lasten (cent)"))
    shortfall_cents = models.BigIntegerField(_("tekort (cent)"))
    decision = models.ForeignKey(
        "plans.ShortfallDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluit"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tekort")
        verbose_name_plural = _("tekorten")
        ordering = ["run", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="shortfall_once_per_run"),
            models.CheckConstraint(condition=Q(shortfall_cents__gt=0), name="shortfall_positive"),
        ]

    def __str__(self):
        return f"Tekort {self.participant} {euro(self.shortfall_cents)}"

    @property
    def is_decided(self) -> bool:
        return self.decision_id is not None
