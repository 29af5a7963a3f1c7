"""A participant's trajectory in date order: intake, consents (machtigingen), plan changes,
payments, measurements, contacts, signals, evaluations and decisions, phase-out, work and
nazorg. Read-only; the caller has checked that the user sees the participant.

Every source is read in one query (about a dozen in all, whatever the history's length)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ontzorg.core.money import euro
from ontzorg.guidance.models import Contact, Referral
from ontzorg.measurements.models import Measurement
from ontzorg.payments.constants import CREDITOR_KINDS, RunStatus
from ontzorg.payments.models import PaymentInstruction
from ontzorg.plans import first_payment
from ontzorg.plans.constants import PlanDecisionKind
from ontzorg.plans.models import LineAmount, Machtiging, PlanDecision, PlanLine
from ontzorg.signals.models import Signal

from .constants import NazorgEnd
from .models import Evaluation, NazorgPeriod, Outflow, PhaseOutStep

# Kinds, in the order events of one day are shown; the label is what the screen says.
KINDS = {
    "intake": gettext_lazy("Intake"),
    "decision": gettext_lazy("Decision"),
    "machtiging": gettext_lazy("Machtiging"),
    "plan": gettext_lazy("Ontzorg plan"),
    "payment": gettext_lazy("Payment"),
    "measurement": gettext_lazy("Measurement"),
    "contact": gettext_lazy("Contact"),
    "referral": gettext_lazy("Referral"),
    "signal": gettext_lazy("Signal"),
    "evaluation": gettext_lazy("Evaluation"),
    "phase_out": gettext_lazy("Phase-out"),
    "work": gettext_lazy("Work"),
    "nazorg": gettext_lazy("Nazorg"),
    "handover": gettext_lazy("Handover to the participant"),
}
ORDER = {kind: number for number, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Event:
    on: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def is_future(self) -> bool:
        return self.on > timezone.localdate()


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def events_for(user, participant) -> list[Event]:
    """The participant's events, oldest first. `participant` must be visible to `user`."""
    pk = participant.pk
    plans_url = reverse("plans:overview", args=[pk])
    measurements_url = reverse("measurements:participant", args=[pk])
    guidance_url = reverse("guidance:participant", args=[pk])
    events = [
        Event(
            timezone.localdate(participant.created_at),
            "intake",
            _("Intake recorded for %(regeling)s") % {"regeling": participant.regeling},
        )
    ]
    for decision in participant.decisions.all():
        events.append(
            Event(
                decision.decided_on,
                "decision",
                f"{decision.get_kind_display()}: {decision.get_outcome_display()}",
                decision.reason,
            )
        )
    for m in Machtiging.objects.filter(participant_id=pk).select_related("creditor"):
        events.append(
            Event(
                m.signed_on,
                "machtiging",
                _("Machtiging signed: %(creditor)s") % {"creditor": m.creditor},
            )
        )
        if m.revoked_on:
            events.append(
                Event(
                    m.revoked_on,
                    "machtiging",
                    _("Machtiging revoked: %(creditor)s") % {"creditor": m.creditor},
                )
            )
    events += _plan_events(participant, plans_url)
    events += _payment_events(participant, plans_url)
    for m in Measurement.objects.filter(participant_id=pk).select_related("instrument", "level"):
        value = m.level.label if m.level_id else m.count
        events.append(
            Event(
                m.measured_on,
                "measurement",
                f"{m.get_moment_display().capitalize()}: {value}",
                _("%(instrument)s, assessed by %(perspective)s")
                % {"instrument": m.instrument, "perspective": m.get_perspective_display()},
                measurements_url,
            )
        )
    for c in Contact.objects.filter(participant_id=pk).select_related("organisation"):
        extra = _(", with interpreter") if c.with_interpreter else ""
        events.append(
            Event(
                c.occurred_on,
                "contact",
                _("Contact: %(kind)s (%(minutes)s minutes%(extra)s)")
                % {"kind": c.get_kind_display(), "minutes": c.duration_minutes, "extra": extra},
                str(c.organisation or ""),
                guidance_url,
            )
        )
    for s in Signal.objects.visible_to(user).filter(participant_id=pk):
        amount = f" ({s.amount_display})" if s.amount_cents else ""
        events.append(
            Event(
                s.reported_on,
                "signal",
                _("Signal: %(kind)s%(amount)s") % {"kind": s.get_kind_display(), "amount": amount},
                f"{s.reporter} · {s.get_status_display()}",
                reverse("signals:detail", args=[s.pk]),
            )
        )
    for e in Evaluation.objects.filter(participant_id=pk):
        detail = e.reason
        if e.new_end_on:
            detail = _("End date %(day)s. %(detail)s") % {"day": _d(e.new_end_on), "detail": detail}
        events.append(
            Event(
                e.held_on,
                "evaluation",
                _("Evaluation: %(outcome)s") % {"outcome": e.get_outcome_display()},
                detail,
            )
        )
    for step in PhaseOutStep.objects.filter(plan__participant_id=pk).select_related(
        "line__creditor"
    ):
        events.append(
            Event(
                step.from_on,
                "phase_out",
                _(
                    "Phase-out step %(order)s: the participant pays %(category)s "
                    "(%(creditor)s) themselves"
                )
                % {
                    "order": step.order,
                    "category": step.line.get_category_display(),
                    "creditor": step.line.creditor,
                },
                step.note,
            )
        )
    for o in Outflow.objects.filter(participant_id=pk):
        hours = (
            _(", %(hours)s hours per week") % {"hours": o.hours_per_week}
            if o.hours_per_week
            else ""
        )
        events.append(
            Event(
                o.starts_on,
                "work",
                _("Working: %(kind)s at %(employer)s%(hours)s")
                % {"kind": o.get_kind_display(), "employer": o.employer, "hours": hours},
                _("Bijstand and withholding stop; guidance and measurements continue."),
            )
        )
    for n in NazorgPeriod.objects.filter(participant_id=pk):
        events.append(
            Event(
                n.starts_on,
                "nazorg",
                _("Nazorg up to and including %(day)s") % {"day": _d(n.ends_on)},
            )
        )
        if n.closed_on:
            title = _("Case reopened") if n.end_reason == NazorgEnd.REOPENED else _("Nazorg over")
            events.append(Event(n.closed_on, "nazorg", title, n.note))
    events += _referral_events(participant, guidance_url)
    events += _handover_events(participant)
    events.sort(key=lambda e: (e.on, ORDER[e.kind]))
    return events


def _referral_events(participant, url) -> list[Event]:
    """Each referral to a regular service on its day, and where it stands when that changed
    later (accepted, declined, closed)."""
    events = []
    for r in Referral.objects.filter(participant_id=participant.pk):
        name = r.organisation_name or r.get_kind_display()
        events.append(
            Event(
                r.referred_on,
                "referral",
                _("Referral to %(organisation)s") % {"organisation": name},
                f"{r.reason} · {r.get_status_display()}",
                url,
            )
        )
        if r.status_on > r.referred_on:
            events.append(
                Event(
                    r.status_on,
                    "referral",
                    _("Referral to %(organisation)s: %(status)s")
                    % {"organisation": name, "status": r.get_status_display()},
                    url=url,
                )
            )
    return events


def _handover_events(participant) -> list[Event]:
    """The key handover, and each handover check: on its day when recorded, else on its
    due date (a future one shows as planned)."""
    from . import handover

    url = reverse("trajectory:participant", args=[participant.pk]) + "#overdracht"
    events = []
    keys = first_payment.keys_received_on(participant)
    if keys is not None:
        events.append(Event(keys, "handover", _("Keys of the home received")))
    for due in handover.schedule_for(participant):
        what = f"{due.line.get_category_display()} ({due.line.creditor}), {due.moment}"
        if due.check is not None:
            title = _("Handover check %(what)s: %(result)s") % {
                "what": what,
                "result": due.status_label,
            }
            events.append(Event(due.check.checked_on, "handover", title, due.check.note, url))
        else:
            title = _("Handover check due: %(what)s") % {"what": what}
            detail = due.status_label if due.status in ("overdue", "due") else ""
            events.append(Event(due.due_on, "handover", title, detail, url))
    return events


def _plan_events(participant, url) -> list[Event]:
    events = []
    evaluated = set(
        Evaluation.objects.filter(participant_id=participant.pk).values_list(
            "plan_decision_id", flat=True
        )
    )
    for plan in participant.plans.all():
        events.append(
            Event(
                plan.start_on,
                "plan",
                _("Ontzorg plan started, planned up to and including %(day)s")
                % {"day": _d(plan.planned_end_on)},
                url=url,
            )
        )
        if plan.monthly_allowance_from:
            events.append(
                Event(
                    plan.monthly_allowance_from,
                    "phase_out",
                    _("Monthly instead of weekly allowance"),
                )
            )
        if plan.ended_on:
            events.append(Event(plan.ended_on, "plan", _("Last day of the ontzorg plan"), url=url))
    decisions = PlanDecision.objects.filter(plan__participant_id=participant.pk).exclude(
        pk__in=evaluated
    )
    for d in decisions:
        if not d.new_end_on:
            title = _("Plan %(kind)s") % {"kind": d.get_kind_display()}
        elif d.kind == PlanDecisionKind.EXTEND:
            title = _("Plan extended until %(day)s") % {"day": _d(d.new_end_on)}
        else:
            title = _("Plan ended as of %(day)s") % {"day": _d(d.new_end_on)}
        events.append(Event(d.decided_on, "decision", title, d.reason, url))
    lines = (
        PlanLine.objects.current()
        .filter(plan__participant_id=participant.pk)
        .select_related("creditor")
    )
    handed_back = set(
        PhaseOutStep.objects.filter(plan__participant_id=participant.pk).values_list(
            "line_id", flat=True
        )
    )
    ended_plans = {p.pk: p.ended_on for p in participant.plans.all()}
    for line in lines:
        name = f"{line.get_category_display()} ({line.creditor})"
        events.append(
            Event(line.starts_on, "plan", _("Fixed cost: %(name)s") % {"name": name}, url=url)
        )
        # A line stopped by phase-out or by the plan's end is told by that event already.
        if (
            line.ends_on
            and line.pk not in handed_back
            and line.ends_on != ended_plans[line.plan_id]
        ):
            events.append(
                Event(
                    line.ends_on,
                    "plan",
                    _("Fixed cost stopped: %(name)s") % {"name": name},
                    url=url,
                )
            )
    for amount in LineAmount.objects.filter(line__in=lines).select_related("line__creditor"):
        if amount.valid_from > amount.line.starts_on:
            events.append(
                Event(
                    amount.valid_from,
                    "plan",
                    _("New amount %(category)s: %(amount)s")
                    % {
                        "category": amount.line.get_category_display(),
                        "amount": euro(amount.amount_cents),
                    },
                    amount.note,
                    url,
                )
            )
    return events


def _payment_events(participant, url) -> list[Event]:
    """One event per payment run: what went to creditors on the participant's behalf."""
    rows = (
        PaymentInstruction.objects.filter(participant_id=participant.pk, kind__in=CREDITOR_KINDS)
        .exclude(run__status__in=(RunStatus.CANCELLED, RunStatus.PREPARING))
        .values("run_id", "run__period", "run__status")
        .annotate(total=Sum("amount_cents"), creditors=Count("creditor", distinct=True))
        .annotate(first=Min("pay_on"))
        .order_by("run__period")
    )
    events = []
    for row in rows:
        status = RunStatus(row["run__status"]).label
        month = date_format(row["run__period"], "F Y")
        events.append(
            Event(
                row["first"],
                "payment",
                ngettext(
                    "Payment run %(month)s: %(total)s to %(count)s creditor",
                    "Payment run %(month)s: %(total)s to %(count)s creditors",
                    row["creditors"],
                )
                % {"month": month, "total": euro(row["total"]), "count": row["creditors"]},
                _("Payment run %(status)s") % {"status": status},
                url,
            )
        )
    return events
