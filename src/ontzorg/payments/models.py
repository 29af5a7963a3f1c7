"""Payment runs, their instructions and shortfall cases, and the region's paying account.

Idempotency lives in the database: one open run per region and month, one instruction per
run + plan line + month + kind + payment day (and per allowance day, savings pot, one-off
payment and payout from a pot), and a unique EndToEndId, so a retried computation can never
instruct a payment twice."""

from django.conf import settings
from django.core.exceptions import ValidationError
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
    """A bank account that payments are made from: the region's (no municipality), used for
    every participant, or one municipality's own, used for the participants living there
    (``payments.debtor_accounts.account_for``)."""

    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="debtor_accounts",
        verbose_name=_("region"),
    )
    municipality = models.OneToOneField(
        "regelingen.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="debtor_account",
        verbose_name=_("municipality"),
        help_text=_(
            "Empty: the region's account. A municipality of the region with its own account "
            "pays its participants from it; the others are paid from the region's."
        ),
    )
    name = models.CharField(_("account holder name"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, default="BNGHNL2G")

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("paying account")
        verbose_name_plural = _("paying accounts")
        ordering = ["region", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(municipality__isnull=True),
                name="debtor_account_once_per_region",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.iban})"

    def clean(self):
        if self.municipality_id and self.municipality.region_id != self.region_id:
            raise ValidationError(
                {"municipality": _("Choose a municipality of the account's region.")}
            )


class PaymentRun(models.Model):
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="payment_runs",
        verbose_name=_("region"),
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PREPARING
    )
    pain_version = models.CharField(
        _("pain.001 version"), max_length=2, choices=PainVersion.choices, default=PainVersion.V09
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)

    # Progress of the computation, read by the run screen while it is polled.
    total_participants = models.PositiveIntegerField(_("participants"), default=0)
    done_participants = models.PositiveIntegerField(_("computed"), default=0)
    # The computation walks the participants in id order; `cursor` is the last one done,
    # so a crashed computation resumes after it.
    cursor = models.BigIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
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
        return _("Payment run %(region)s %(month)s") % {
            "region": self.region,
            "month": f"{self.period:%m-%Y}",
        }

    @property
    def progress_percent(self) -> int:
        if not self.total_participants:
            return 100 if self.status != RunStatus.PREPARING else 0
        return min(100, round(100 * self.done_participants / self.total_participants))


class PaymentFile(models.Model):
    """One exported pain.001 message; large runs are split into several."""

    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="files", verbose_name=_("payment run")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence number"))
    file = models.FileField(_("file"), upload_to="pain001/", max_length=200)
    message_id = models.CharField(_("MsgId"), max_length=35, unique=True)
    count = models.PositiveIntegerField(_("payments"))
    total_cents = models.BigIntegerField(_("total (cents)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    debtor_account = models.ForeignKey(
        DebtorAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("paid from"),
    )

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
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
        verbose_name=_("payment run"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="payment_instructions",
        verbose_name=_("participant"),
    )
    period = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=12, choices=InstructionKind.choices)
    plan_line = models.ForeignKey(
        "plans.PlanLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("fixed cost"),
    )
    savings_pot = models.ForeignKey(
        "plans.SavingsPot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("pot"),
    )
    creditor = models.ForeignKey(
        "plans.Creditor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("creditor"),
    )
    one_off = models.ForeignKey(
        "plans.OneOffPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("one-off payment"),
    )
    pot_payout = models.ForeignKey(
        "plans.PotPayout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("payout from savings pot"),
    )
    # Snapshot: the file is made from these, whatever changes in the register later.
    name = models.CharField(_("payee"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    street = models.CharField(_("street"), max_length=70, blank=True)
    building_number = models.CharField(_("house number"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    town = models.CharField(_("town"), max_length=35, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    due_cents = models.BigIntegerField(_("due (cents)"))
    pay_on = models.DateField(_("payment date"))
    end_to_end_id = models.CharField(_("EndToEndId"), max_length=35, unique=True)
    remittance = models.CharField(_("remittance information"), max_length=140, blank=True)
    # The account it is paid from, fixed when the run is approved (the participant's
    # municipality's own account, else the region's); empty in runs approved before.
    debtor_account = models.ForeignKey(
        DebtorAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid from"),
    )

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment instruction")
        verbose_name_plural = _("payment instructions")
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
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="shortfalls",
        verbose_name=_("payment run"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="shortfall_cases",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    income_cents = models.BigIntegerField(_("income (cents)"))
    costs_cents = models.BigIntegerField(_("fixed costs (cents)"))
    shortfall_cents = models.BigIntegerField(_("shortfall (cents)"))
    decision = models.ForeignKey(
        "plans.ShortfallDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortfall")
        verbose_name_plural = _("shortfalls")
        ordering = ["run", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="shortfall_once_per_run"),
            models.CheckConstraint(condition=Q(shortfall_cents__gt=0), name="shortfall_positive"),
        ]

    def __str__(self):
        return _("Shortfall %(participant)s %(amount)s") % {
            "participant": self.participant,
            "amount": euro(self.shortfall_cents),
        }

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
        verbose_name=_("payment run"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="payee_cases",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
        help_text=_("Empty for a one-off payment outside a plan."),
    )
    creditor = models.ForeignKey(
        "plans.Creditor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payee_cases",
        verbose_name=_("creditor"),
        help_text=_("Empty: the participant's own account (living allowance)."),
    )
    problem = models.CharField(_("problem"), max_length=300)
    payments = models.PositiveIntegerField(_("payments"))
    held_cents = models.BigIntegerField(_("held back (cents)"))
    # The held-back instructions as computed (field values): paid once the payee's data are
    # fixed, with the payee's current data, so the amounts are those of the computation.
    instructions = models.JSONField(_("payment instructions"), encoder=DjangoJSONEncoder)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    # A case still open when its run was approved is paid in a later run of the region once
    # the payee's data are right: that run (a cancelled one does not count).
    carried_to = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_cases",
        verbose_name=_("paid in run"),
    )

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("held-back payment")
        verbose_name_plural = _("held-back payments")
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
        verbose_name=_("payment run"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    allowance_cents = models.BigIntegerField(_("living allowance (cents)"))
    norm_cents = models.BigIntegerField(_("norm (cents)"))
    floor_cents = models.BigIntegerField(_("floor (cents)"))

    scope_path = ScopePath(region="run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("low living allowance warning")
        verbose_name_plural = _("low living allowance warnings")
        ordering = ["run", "allowance_cents", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"], name="allowance_warning_once_per_run"
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {euro(self.allowance_cents)}"
