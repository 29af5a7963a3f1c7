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
        verbose_name=_("deelnemer"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("plan")
    )
    held_on = models.DateField(_("gesprek op"))
    for_end_on = models.DateField(
        _("einde op dat moment"), help_text=_("De geplande einddatum waarover het gesprek ging.")
    )
    participant_view = models.TextField(_("wat de deelnemer zegt"))
    coach_view = models.TextField(_("wat de coach zegt"), blank=True)
    case_worker_view = models.TextField(_("wat de klantmanager zegt"))
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatste meting"),
    )
    ready_to_end = models.BooleanField(_("exitniveau bereikt"))
    readiness = models.CharField(_("toelichting meting"), max_length=400, blank=True)
    outcome = models.CharField(_("besluit"), max_length=16, choices=Outcome.choices)
    new_end_on = models.DateField(_("nieuwe einddatum"), null=True, blank=True)
    reason = models.TextField(_("reden"))
    plan_decision = models.OneToOneField(
        PlanDecision,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("besluit over het plan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["participant", "held_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.EXTEND) | Q(new_end_on__isnull=False),
                name="evaluation_extend_has_date",
            ),
        ]

    def __str__(self):
        return f"Evaluatie {self.held_on:%d-%m-%Y}: {self.get_outcome_display()}"


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
        verbose_name=_("vaste last"),
    )
    order = models.PositiveSmallIntegerField(_("stap"))
    from_on = models.DateField(_("deelnemer betaalt zelf vanaf"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("afbouwstap")
        verbose_name_plural = _("afbouwstappen")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="phase_out_step_order"),
        ]

    def __str__(self):
        return f"Stap {self.order}: {self.line} vanaf {self.from_on:%d-%m-%Y}"


class Outflow(models.Model):
    """A job (or own business) that ends the bijstand. Guidance and measurements go on."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="outflows", verbose_name=_("deelnemer")
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
        _("soort"), max_length=16, choices=OutflowKind.choices, default=OutflowKind.JOB
    )
    starts_on = models.DateField(_("aan het werk vanaf"))
    employer = models.CharField(_("werkgever"), max_length=160)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    wages_cents = models.PositiveIntegerField(
        _("netto loon per maand (cent)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitstroom naar werk")
        verbose_name_plural = _("uitstroom naar werk")
        ordering = ["participant", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=80),
                name="outflow_hours_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} bij {self.employer} vanaf {self.starts_on:%d-%m-%Y}"


class NazorgPeriod(models.Model):
    """The months after the end in which the former case worker and coach stay the contact:
    signals still reach them, the vervolgmeting is scheduled, the case can be reopened."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="nazorg_periods",
        verbose_name=_("deelnemer"),
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nazorg_periods",
        verbose_name=_("plan"),
    )
    starts_on = models.DateField(_("vanaf"))
    ends_on = models.DateField(_("tot en met"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    end_reason = models.CharField(
        _("afgesloten omdat"), max_length=10, choices=NazorgEnd.choices, blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nazorgperiode")
        verbose_name_plural = _("nazorgperiodes")
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
        return f"Nazorg {self.starts_on:%d-%m-%Y} t/m {self.ends_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
