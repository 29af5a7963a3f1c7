"""The end of a trajectory: evaluations with their decision, the phase-out of fixed costs one
by one, outflow to work and the nazorg period after the end.

The money side stays in `plans`: an evaluation's end or extension is a `PlanDecision`, a
phase-out step closes its `PlanLine`; the rows here record the trajectory around them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.measurements.models import Measurement
from ontzorg.participants.models import Participant
from ontzorg.plans.models import Plan, PlanDecision, PlanLine

from .constants import NazorgEnd, Outcome, OutflowKind


class Evaluation(models.Model):
    """The structured talk at the end of the minimum period, and the decision it led to.

    The latest measurement and the "ready to end" indication are kept as they were when the
    decision was taken, so a later measurement does not rewrite why it was taken."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("plan")
    )
    held_on = models.DateField(_("meeting on"))
    for_end_on = models.DateField(
        _("end at that time"), help_text=_("The planned end date the meeting was about.")
    )
    participant_view = models.TextField(_("what the participant says"))
    coach_view = models.TextField(_("what the coach says"), blank=True)
    case_worker_view = models.TextField(_("what the case worker says"))
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest measurement"),
    )
    ready_to_end = models.BooleanField(_("exit level reached"))
    readiness = models.CharField(_("measurement explanation"), max_length=400, blank=True)
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    new_end_on = models.DateField(_("new end date"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    plan_decision = models.OneToOneField(
        PlanDecision,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("decision on the plan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["participant", "held_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.EXTEND) | Q(new_end_on__isnull=False),
                name="evaluation_extend_has_date",
            ),
        ]

    def __str__(self):
        return _("Evaluation %(day)s: %(outcome)s") % {
            "day": f"{self.held_on:%d-%m-%Y}",
            "outcome": self.get_outcome_display(),
        }


class PhaseOutStep(models.Model):
    """One fixed cost handed back to the participant: from `from_on` they pay it themselves.
    `order` is the order the participant chose."""

    scope_path = ScopePath.via_participant("plan__participant")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="phase_out_steps", verbose_name=_("plan")
    )
    line = models.OneToOneField(
        PlanLine,
        on_delete=models.PROTECT,
        related_name="phase_out_step",
        verbose_name=_("fixed cost"),
    )
    order = models.PositiveSmallIntegerField(_("step"))
    from_on = models.DateField(_("participant pays themselves from"))
    note = models.CharField(_("explanation"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase-out step")
        verbose_name_plural = _("phase-out steps")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="phase_out_step_order"),
        ]

    def __str__(self):
        return _("Step %(order)s: %(line)s from %(day)s") % {
            "order": self.order,
            "line": self.line,
            "day": f"{self.from_on:%d-%m-%Y}",
        }


class Outflow(models.Model):
    """A job (or own business) that ends the bijstand. Guidance and measurements go on."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="outflows",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outflows",
        verbose_name=_("plan"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=OutflowKind.choices, default=OutflowKind.JOB
    )
    starts_on = models.DateField(_("working from"))
    employer = models.CharField(_("employer"), max_length=160)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    wages_cents = models.PositiveIntegerField(
        _("net wages per month (cents)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outflow to work")
        verbose_name_plural = _("outflow to work")
        ordering = ["participant", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=80),
                name="outflow_hours_range",
            ),
        ]

    def __str__(self):
        return _("%(kind)s at %(employer)s from %(day)s") % {
            "kind": self.get_kind_display(),
            "employer": self.employer,
            "day": f"{self.starts_on:%d-%m-%Y}",
        }


class NazorgPeriod(models.Model):
    """The months after the end in which the former case worker and coach stay the contact:
    signals still reach them, the vervolgmeting is scheduled, the case can be reopened."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="nazorg_periods",
        verbose_name=_("participant"),
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nazorg_periods",
        verbose_name=_("plan"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("up to and including"))
    closed_on = models.DateField(_("finished on"), null=True, blank=True)
    end_reason = models.CharField(
        _("closed because"), max_length=10, choices=NazorgEnd.choices, blank=True
    )
    note = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nazorg period")
        verbose_name_plural = _("nazorg periods")
        ordering = ["participant", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(closed_on__isnull=True),
                name="nazorg_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="nazorg_ends_after_start"
            ),
        ]

    def __str__(self):
        return _("Nazorg %(start)s to %(end)s") % {
            "start": f"{self.starts_on:%d-%m-%Y}",
            "end": f"{self.ends_on:%d-%m-%Y}",
        }

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class HandoverCheck(models.Model):
    """A check that a handed-back fixed cost really is the participant's own now: the
    contract in their name and the direct debit running, each with the date since when.

    One per fixed cost and moment: `months_after` 0 is the check at the end of ontzorgen,
    N the check N months after the end (the regeling's ``handover_months``, in nazorg).
    `due_on` is kept as it was when the check was recorded (``trajectory.handover``)."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="handover_checks",
        verbose_name=_("participant"),
    )
    line = models.ForeignKey(
        PlanLine,
        on_delete=models.PROTECT,
        related_name="handover_checks",
        verbose_name=_("fixed cost"),
    )
    months_after = models.PositiveSmallIntegerField(
        _("months after the end"), help_text=_("0: the check at the end of ontzorgen.")
    )
    due_on = models.DateField(_("due on"))
    checked_on = models.DateField(_("checked on"))
    contract_in_own_name = models.BooleanField(_("contract in own name"))
    contract_since_on = models.DateField(_("contract in own name since"), null=True, blank=True)
    direct_debit_running = models.BooleanField(_("direct debit running"))
    direct_debit_since_on = models.DateField(_("direct debit running since"), null=True, blank=True)
    note = models.CharField(_("explanation"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover check")
        verbose_name_plural = _("handover checks")
        ordering = ["participant", "due_on", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "months_after"], name="handover_check_once_per_moment"
            ),
            models.CheckConstraint(
                condition=Q(contract_in_own_name=False) | Q(contract_since_on__isnull=False),
                name="handover_check_contract_has_date",
            ),
            models.CheckConstraint(
                condition=Q(direct_debit_running=False) | Q(direct_debit_since_on__isnull=False),
                name="handover_check_debit_has_date",
            ),
        ]

    def __str__(self):
        return _("Handover check %(line)s (%(day)s)") % {
            "line": self.line,
            "day": f"{self.checked_on:%d-%m-%Y}",
        }

    @property
    def passed(self) -> bool:
        return self.contract_in_own_name and self.direct_debit_running
