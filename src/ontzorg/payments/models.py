"""Payment runs, their instructions and shortfall cases, and the region's paying account.

Idempotency lives in the database: one open run per region and month, one instruction per
run + plan line + month + kind + payment day (and per allowance day, savings pot, one-off
payment and payout from a pot), and a unique EndToEndId, so a retried computation can never
instruct a payment twice."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.money import euro
from ontzorg.participants.validators import validate_iban

from .constants import CREDITOR_KINDS, EXTRA_KINDS, InstructionKind, PainVersion, RunStatus
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
    one_off = models.ForeignKey(
        "plans.OneOffPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("eenmalige betaling"),
    )
    pot_payout = models.ForeignKey(
        "plans.PotPayout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("uitbetaling uit spaarpot"),
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
        indexes = [
            models.Index(fields=["run", "participant"]),
            # "Was this IBAN paid before in the region?" for the approver's change view.
            models.Index(fields=["iban", "run"], name="instruction_iban_run"),
        ]
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
            models.UniqueConstraint(
                fields=["run", "one_off"],
                condition=Q(kind=InstructionKind.ONE_OFF),
                name="instruction_once_per_one_off",
            ),
            models.UniqueConstraint(
                fields=["run", "pot_payout"],
                condition=Q(kind=InstructionKind.POT_PAYOUT),
                name="instruction_once_per_pot_payout",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=CREDITOR_KINDS, plan_line__isnull=False, creditor__isnull=False)
                    | Q(kind=InstructionKind.ALLOWANCE, plan_line__isnull=True)
                    | Q(kind=InstructionKind.SAVINGS, savings_pot__isnull=False)
                    | Q(
                        kind=InstructionKind.ONE_OFF,
                        one_off__isnull=False,
                        plan_line__isnull=True,
                        savings_pot__isnull=True,
                    )
                    | Q(
                        kind=InstructionKind.POT_PAYOUT,
                        pot_payout__isnull=False,
                        savings_pot__isnull=False,
                        plan_line__isnull=True,
                    )
                ),
                name="instruction_kind_fields",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EXTRA_KINDS)
                | Q(one_off__isnull=True, pot_payout__isnull=True),
                name="instruction_extra_only_its_kind",
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


class PayeeCase(models.Model):
    """Payments of a run held back because their payee's data cannot go into a bank file: no
    account holder's name in the SEPA set, a wrong IBAN or BIC. The run pays everyone else,
    so an approved run always exports; the held-back payments are paid in this run once the
    data are fixed (by four eyes) and the case is checked again while the run is a draft, or
    else in the region's next run whose computation finds the data fixed (`carried_to`).

    One case per participant and payee: `creditor` for a fixed cost, empty for the
    participant's own account (leefgeld)."""

    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="payee_cases",
        verbose_name=_("betaalrun"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="payee_cases",
        verbose_name=_("deelnemer"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
        help_text=_("Leeg bij een eenmalige betaling buiten een plan."),
    )
    creditor = models.ForeignKey(
        "plans.Creditor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payee_cases",
        verbose_name=_("schuldeiser"),
        help_text=_("Leeg: de rekening van de deelnemer zelf (leefgeld)."),
    )
    problem = models.CharField(_("probleem"), max_length=300)
    payments = models.PositiveIntegerField(_("betalingen"))
    held_cents = models.BigIntegerField(_("tegengehouden (cent)"))
    # The held-back instructions as computed (field values): paid once the payee's data are
    # fixed, with the payee's current data, so the amounts are those of the computation.
    instructions = models.JSONField(_("betaalopdrachten"), encoder=DjangoJSONEncoder)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgelost door"),
    )
    # A case still open when its run was approved is paid in a later run of the region once
    # the payee's data are right: that run (a cancelled one does not count).
    carried_to = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_cases",
        verbose_name=_("betaald in run"),
    )

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tegengehouden betaling")
        verbose_name_plural = _("tegengehouden betalingen")
        ordering = ["run", "participant", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant", "creditor"],
                condition=Q(creditor__isnull=False),
                name="payee_case_once_per_creditor",
            ),
            models.UniqueConstraint(
                fields=["run", "participant"],
                condition=Q(creditor__isnull=True),
                name="payee_case_once_per_participant",
            ),
            models.CheckConstraint(condition=Q(held_cents__gt=0), name="payee_case_positive"),
        ]

    def __str__(self):
        return f"{self.payee_label}: {self.problem}"

    @property
    def payee_label(self) -> str:
        return str(self.creditor) if self.creditor_id else str(self.participant)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class AllowanceWarning(models.Model):
    """A participant who, in this run, keeps less to live on than the regeling's share of the
    bijstand norm (``plans.plausibility``): shown to the approver, with a link to the plan."""

    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="allowance_warnings",
        verbose_name=_("betaalrun"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deelnemer"),
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    allowance_cents = models.BigIntegerField(_("leefgeld (cent)"))
    norm_cents = models.BigIntegerField(_("norm (cent)"))
    floor_cents = models.BigIntegerField(_("grens (cent)"))

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("waarschuwing weinig leefgeld")
        verbose_name_plural = _("waarschuwingen weinig leefgeld")
        ordering = ["run", "allowance_cents", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"], name="allowance_warning_once_per_run"
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {euro(self.allowance_cents)}"
