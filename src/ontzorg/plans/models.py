"""Creditors, ontzorg plans with dated fixed costs, machtigingen, income and bijstand norms.

Conventions used throughout (and by the payment runs):

- A period is a month, given by its first day. An item (plan line, income, savings pot)
  applies to a month when its dates overlap that month; there is no pro-rating.
- End dates are inclusive: ``ends_on`` / ``valid_to`` / ``ended_on`` is the last day an item
  applies. Closing a line "from" a date stores the day before, so a line closed from its own
  start date ends the day before it starts: it never applied (hence no end >= start check).
- Amounts are dated and append-only: a ``LineAmount`` applies from ``valid_from`` until the
  next one. A change never edits an existing amount.
- A line is payable for a month only with a machtiging signed on or before the month's first
  day and not revoked within the month (``Machtiging.covers``).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.appendonly import AppendOnlyModel
from ontzorg.core.dates import month_end, next_month
from ontzorg.core.money import euro
from ontzorg.participants.models import Participant
from ontzorg.participants.validators import (
    validate_account_holder_name,
    validate_bic,
    validate_iban,
)
from ontzorg.regelingen.constants import CostCategory, Mode
from ontzorg.regelingen.models import Regeling, Region

from .constants import (
    OPEN_PLAN_STATUSES,
    AgeBand,
    CreditorCategory,
    HouseholdType,
    IncomeKind,
    PlanDecisionKind,
    PlanStatus,
    ShortfallChoice,
)
from .querysets import (
    CreditorQuerySet,
    IncomeQuerySet,
    ModeDecisionQuerySet,
    PlanLineQuerySet,
    PlanQuerySet,
)

validate_kvk = RegexValidator(r"^\d{8}$", _("A KvK number has 8 digits."))


class Creditor(models.Model):
    """An organisation that is paid directly: landlord, energy supplier, insurer, ..."""

    name = models.CharField(_("name"), max_length=140)
    # What the payment carries; set and changed through a four-eyes proposal (plans.payees).
    account_holder_name = models.CharField(
        _("account holder name"),
        max_length=70,
        blank=True,
        validators=[validate_account_holder_name],
        help_text=_("The name as the bank knows it, in Latin letters (SEPA character set)."),
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk]
    )
    category = models.CharField(_("kind"), max_length=20, choices=CreditorCategory.choices)
    # Structured address, required in pain.001.001.09 (BNG, from November 2025).
    street = models.CharField(_("street"), max_length=70, blank=True)
    building_number = models.CharField(_("house number"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    town = models.CharField(_("town"), max_length=35)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="NL",
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter country code."))],
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="creditors",
        verbose_name=_("region"),
        help_text=_("Empty for creditors that work in all regions."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CreditorQuerySet.as_manager()

    class Meta:
        verbose_name = _("creditor")
        verbose_name_plural = _("creditors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "iban"], name="creditor_name_iban_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.iban = "".join(self.iban.split()).upper()
        self.bic = self.bic.strip().upper()


class Plan(models.Model):
    """A participant's ontzorg plan under a regeling: a period and the lines paid in it."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="plans", verbose_name=_("participant")
    )
    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="plans", verbose_name=_("regeling")
    )
    start_on = models.DateField(_("start"))
    planned_end_on = models.DateField(
        _("planned through"), help_text=_("Last day: start plus the minimum duration.")
    )
    ended_on = models.DateField(_("ended on (last day)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    monthly_allowance_from = models.DateField(
        _("monthly allowance from"),
        null=True,
        blank=True,
        help_text=_("Budgetbeheer: monthly allowance instead of weekly allowance from this month."),
    )
    first_rent_gift = models.BooleanField(
        _("first rent as a gift"),
        default=False,
        help_text=_(
            "Special assistance pays the first month's rent to the landlord (only "
            "if the regeling allows it, and only if needed)."
        ),
    )
    keys_received_on = models.DateField(
        _("keys received on"),
        null=True,
        blank=True,
        help_text=_("The key handover of the home: the time to the first payment counts from it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontzorg plan")
        verbose_name_plural = _("ontzorg plans")
        ordering = ["-start_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status__in=OPEN_PLAN_STATUSES),
                name="plan_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("start_on")), name="plan_end_after_start"
            ),
        ]

    def __str__(self):
        return _("Plan %(participant)s from %(day)s") % {
            "participant": self.participant,
            "day": f"{self.start_on:%d-%m-%Y}",
        }

    @property
    def end_on(self) -> date:
        """The last day the plan applies: the actual end, else the planned one."""
        return self.ended_on or self.planned_end_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PLAN_STATUSES

    def months(self) -> list[date]:
        """First days of the months the plan overlaps."""
        result = []
        period = self.start_on.replace(day=1)
        while period <= self.end_on:
            result.append(period)
            period = next_month(period)
        return result


class PlanDecision(models.Model):
    """An end-or-extend decision at the end of the plan period, with its reason."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("plan")
    )
    kind = models.CharField(_("decision"), max_length=10, choices=PlanDecisionKind.choices)
    new_end_on = models.DateField(_("new end date"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("decided by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("plan__participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan decision")
        verbose_name_plural = _("plan decisions")
        ordering = ["-decided_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PlanDecisionKind.EXTEND) | Q(new_end_on__isnull=False),
                name="plan_decision_extend_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.decided_on:%d-%m-%Y})"


class PlanLine(models.Model):
    """One fixed cost paid to a creditor. Its amount is dated: see LineAmount."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="lines", verbose_name=_("plan")
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    creditor = models.ForeignKey(
        Creditor, on_delete=models.PROTECT, related_name="plan_lines", verbose_name=_("creditor")
    )
    reference = models.CharField(
        _("payment reference"),
        max_length=35,
        help_text=_("For example the customer or contract number at the creditor."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("payment day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("through"), null=True, blank=True, help_text=_("Last day this item applies.")
    )
    supplier_discount_cents = models.PositiveIntegerField(
        _("supplier discount (cents per month)"),
        default=0,
        help_text=_("Discount from the supplier, such as in the Vaste Lasten Pakket."),
    )
    is_optional = models.BooleanField(_("extra (on request)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # A line entered by mistake and never paid is removed, not deleted: it stays for the
    # audit trail but is no longer paid, withheld or shown (`PlanLine.objects.current()`).
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)

    scope_path = ScopePath.via_participant("plan__participant")
    objects = PlanLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("fixed cost")
        verbose_name_plural = _("fixed costs")
        ordering = ["plan", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28),
                name="plan_line_day_1_28",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(removed_by__isnull=False),
                name="plan_line_removed_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.creditor}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def applies_in(self, period: date) -> bool:
        return self.starts_on <= month_end(period) and (
            self.ends_on is None or self.ends_on >= period
        )

    def amount_on(self, day: date) -> int | None:
        """The amount in force on `day`, from the dated amounts (prefetch `amounts`)."""
        current = None
        for row in sorted(self.amounts.all(), key=lambda r: r.valid_from):
            if row.valid_from <= day:
                current = row.amount_cents
        return current

    def amount_for(self, period: date) -> int | None:
        """The amount for a month: the one in force on the payment day, else the first one
        that starts within the month (a line that starts after its payment day)."""
        amount = self.amount_on(period.replace(day=self.day_of_month))
        return amount if amount is not None else self.amount_on(month_end(period))


class LineAmount(models.Model):
    """An amount of a plan line from a date on. Append-only: later rows supersede."""

    line = models.ForeignKey(
        PlanLine, on_delete=models.PROTECT, related_name="amounts", verbose_name=_("fixed cost")
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("line__plan__participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("amount")
        verbose_name_plural = _("amounts")
        ordering = ["line", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="line_amount_positive"),
            models.UniqueConstraint(fields=["line", "valid_from"], name="line_amount_unique_from"),
        ]

    def __str__(self):
        return _("%(amount)s from %(day)s") % {
            "amount": euro(self.amount_cents),
            "day": f"{self.valid_from:%d-%m-%Y}",
        }


class Machtiging(models.Model):
    """The participant's consent that the municipality pays a creditor for them.

    Without `line` it covers every line of the participant with this creditor (one uniform
    machtiging per creditor); with `line` only that line.
    """

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="machtigingen",
        verbose_name=_("participant"),
    )
    creditor = models.ForeignKey(
        Creditor,
        on_delete=models.PROTECT,
        related_name="machtigingen",
        verbose_name=_("creditor"),
    )
    line = models.ForeignKey(
        PlanLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="machtigingen",
        verbose_name=_("fixed cost"),
    )
    signed_on = models.DateField(_("signed on"))
    document = models.FileField(_("scan"), upload_to="machtigingen/%Y/", blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("signed_on")),
                name="machtiging_revoked_after_signed",
            ),
        ]

    def __str__(self):
        return _("Machtiging %(creditor)s (%(day)s)") % {
            "creditor": self.creditor,
            "day": f"{self.signed_on:%d-%m-%Y}",
        }

    def covers(self, line: PlanLine, period: date) -> bool:
        return (
            self.participant_id == line.plan.participant_id
            and self.creditor_id == line.creditor_id
            and self.line_id in (None, line.pk)
            and self.signed_on <= period
            and (self.revoked_on is None or self.revoked_on > month_end(period))
        )


class BenefitNorm(models.Model):
    """One cell of the bijstand norm table, valid from a date (new figures every Jan and Jul)."""

    household_type = models.CharField(
        _("household type"), max_length=20, choices=HouseholdType.choices
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices)
    with_children = models.BooleanField(_("with children"))
    valid_from = models.DateField(_("valid from"))
    amount_cents = models.PositiveIntegerField(_("net per month (cents)"))

    class Meta:
        verbose_name = _("benefit norm")
        verbose_name_plural = _("benefit norms")
        ordering = ["-valid_from", "household_type", "age_band", "with_children"]
        constraints = [
            models.UniqueConstraint(
                fields=["household_type", "age_band", "with_children", "valid_from"],
                name="benefit_norm_unique",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="benefit_norm_positive"),
        ]

    def __str__(self):
        children = _("with children") if self.with_children else _("without children")
        return (
            f"{self.get_household_type_display()}, {self.get_age_band_display()}, {children}: "
            f"{euro(self.amount_cents)}"
        )


class Income(models.Model):
    """An income of a participant over a period: bijstand, a toeslag, wages or other."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="incomes", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IncomeKind.choices)
    amount_cents = models.PositiveIntegerField(_("amount per month (cents)"))
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("through"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")
    objects = IncomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["participant", "valid_from", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="income_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="income_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {euro(self.amount_cents)}"


class SavingsPot(models.Model):
    """A monthly reservation out of the participant's income, kept by the municipality for
    them: for the unexpected or a yearly bill (budgetbeheer, Hendrik-Ido-Ambacht).

    The run reserves `monthly_cents` in every month from `starts_on` through `ends_on`. What
    is in the pot is its ledger account (``AccountKind.SAVINGS``, keyed by the pot's name,
    so a name is unique per plan); it leaves the pot only through an approved payout
    (``PotPayout``). Ending the pot stops the reservation and refunds the rest."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="savings_pots", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=60)
    goal_cents = models.PositiveIntegerField(
        _("savings goal (cents)"),
        null=True,
        blank=True,
        help_text=_("The amount being saved for; empty if there is no goal."),
    )
    monthly_cents = models.PositiveIntegerField(_("per month (cents)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("through"), null=True, blank=True)
    ended_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)

    scope_path = ScopePath.via_participant("plan__participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("savings pot")
        verbose_name_plural = _("savings pots")
        ordering = ["plan", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_cents__gt=0), name="savings_pot_positive"),
            models.CheckConstraint(
                condition=Q(goal_cents__isnull=True) | Q(goal_cents__gt=0),
                name="savings_pot_goal_positive",
            ),
            # The ledger account of a pot is found by its name.
            models.UniqueConstraint(fields=["plan", "name"], name="savings_pot_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    def applies_in(self, period: date) -> bool:
        return self.starts_on <= month_end(period) and (
            self.ends_on is None or self.ends_on >= period
        )


class PotPayout(models.Model):
    """An approved payment out of a savings pot, to the participant or to a creditor, paid in
    the payment run of `period`. A refund when the pot is ended pays what is left then
    (`amount_cents` empty until the run fixes it in its instruction)."""

    pot = models.ForeignKey(
        SavingsPot, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("pot")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), null=True, blank=True)
    creditor = models.ForeignKey(
        Creditor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pot_payouts",
        verbose_name=_("creditor"),
        help_text=_("Empty: to the participant themselves."),
    )
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    reason = models.TextField(_("reason"))
    is_refund = models.BooleanField(_("remainder on closing"), default=False)
    proposal = models.OneToOneField(
        "approvals.Proposal",
        on_delete=models.PROTECT,
        related_name="pot_payout",
        verbose_name=_("proposal"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))

    scope_path = ScopePath.via_participant("pot__plan__participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout from a savings pot")
        verbose_name_plural = _("payouts from savings pots")
        ordering = ["pot", "period", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1), name="pot_payout_period_first"),
            models.CheckConstraint(
                condition=Q(is_refund=True, amount_cents__isnull=True, creditor__isnull=True)
                | Q(is_refund=False, amount_cents__gt=0),
                name="pot_payout_amount",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=F("proposed_by")), name="pot_payout_four_eyes"
            ),
            models.UniqueConstraint(
                fields=["pot"], condition=Q(is_refund=True), name="pot_payout_one_refund"
            ),
        ]

    def __str__(self):
        what = _("remainder") if self.is_refund else euro(self.amount_cents)
        return f"{self.pot}: {what} ({self.period:%m-%Y})"


class OneOffPayment(models.Model):
    """An approved one-off payment (eenmalige betaling) out of the participant's own money,
    to a creditor or to the participant, paid in the payment run of `period`.

    The participant's own money is the credit balance of their ledger accounts outside the
    pots (``plans.balances``). What the payment takes beyond that balance is an
    advance (voorschot): `advance_cents`, allowed only with `advance_reason`."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="one_off_payments",
        verbose_name=_("participant"),
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    creditor = models.ForeignKey(
        Creditor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="one_off_payments",
        verbose_name=_("creditor"),
        help_text=_("Empty: to the participant themselves."),
    )
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    reason = models.TextField(_("reason"))
    advance_cents = models.PositiveIntegerField(_("advance (cents)"), default=0)
    advance_reason = models.TextField(_("reason for the advance"), blank=True)
    # A bridging payment (overbruggingsbetaling): paid while the first payment is awaited,
    # up to the regeling's maximum (``plans.payouts.propose_bridging``).
    is_bridging = models.BooleanField(_("bridging payment"), default=False)
    proposal = models.OneToOneField(
        "approvals.Proposal",
        on_delete=models.PROTECT,
        related_name="one_off_payment",
        verbose_name=_("proposal"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))

    scope_path = ScopePath.via_participant("participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-off payment")
        verbose_name_plural = _("one-off payments")
        ordering = ["participant", "period", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1), name="one_off_period_first"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="one_off_positive"),
            models.CheckConstraint(
                condition=Q(advance_cents__lte=F("amount_cents")), name="one_off_advance_le_amount"
            ),
            models.CheckConstraint(
                condition=Q(advance_cents=0) | ~Q(advance_reason=""),
                name="one_off_advance_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=F("proposed_by")), name="one_off_four_eyes"
            ),
        ]

    def __str__(self):
        return f"{_('Eenmalige betaling')} {euro(self.amount_cents)} ({self.period:%m-%Y})"


class ShortfallDecision(models.Model):
    """What to do in a month in which the income does not cover the planned costs."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="shortfall_decisions", verbose_name=_("plan")
    )
    period = models.DateField(_("month"))
    choice = models.CharField(_("decision"), max_length=20, choices=ShortfallChoice.choices)
    extra_cents = models.PositiveIntegerField(
        _("extra income (cents)"),
        default=0,
        help_text=_("Toeslagen or special assistance that count this month."),
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("decided by")
    )
    # The colleague who approved the proposal (``ontzorg.approvals``); empty only on
    # decisions recorded before four eyes applied to them.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("plan__participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortfall decision")
        verbose_name_plural = _("shortfall decisions")
        ordering = ["plan", "period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="shortfall_decision_unique"),
            # Four eyes: who decided is never who approved.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("decided_by")),
                name="shortfall_decision_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.get_choice_display()} ({self.period:%m-%Y})"


class ModeDecision(AppendOnlyModel):
    """A recorded decision that one participant is ontzorgd in another mode than the
    regeling's default from `from_on` on (for example budgetbeheer, or budgetbeheer that goes
    on on wages). Append-only: a later decision (or one recorded later for the same date)
    takes over; `plans.modes.mode_for` reads them."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="mode_decisions",
        verbose_name=_("participant"),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    continues_on_wages = models.BooleanField(_("continues on income from work"), default=False)
    from_on = models.DateField(_("from"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")
    objects = ModeDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mode decision")
        verbose_name_plural = _("mode decisions")
        ordering = ["participant", "-from_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(continues_on_wages=False) | Q(mode=Mode.BUDGETBEHEER),
                name="mode_decision_wages_only_budgetbeheer",
            ),
        ]

    def __str__(self):
        return _("%(mode)s from %(day)s") % {
            "mode": self.get_mode_display(),
            "day": f"{self.from_on:%d-%m-%Y}",
        }

    @property
    def label(self) -> str:
        wages = _(", continues on income from work") if self.continues_on_wages else ""
        return f"{self.get_mode_display()}{wages}"
