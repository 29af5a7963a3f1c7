"""A case worker's week: what is overdue or due by the end of this week, for the
participants the user sees (or only their own caseload): measurements, evaluations, signals,
phase-out steps and maandgeld switches, and nazorg periods that end."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ontzorg.measurements import services as measurements
from ontzorg.participants.models import Participant
from ontzorg.plans.models import Plan
from ontzorg.signals.models import Signal

from .models import Evaluation, NazorgPeriod, PhaseOutStep
from .services import EVALUATION_LEAD_DAYS


def end_of_week(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


@dataclass(frozen=True)
class Item:
    due_on: date
    participant: Participant
    text: str
    url: str
    overdue: bool = False


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)


def _people(user, mine: bool):
    people = Participant.objects.visible_to(user)
    return people.caseload(user) if mine else people


def week(user, today: date, *, mine: bool = False) -> list[Section]:
    until = end_of_week(today)
    people = _people(user, mine)
    ids = people.values("pk")
    return [
        _measurements(user, today, until, mine),
        _evaluations(ids, today, until),
        _signals(user, today, until, mine),
        _phase_out(ids, today, until),
        _nazorg(ids, today, until),
    ]


def _measurements(user, today, until, mine) -> Section:
    section = Section("metingen", _("Measurements"), _("No measurements are open this week."))
    for due in measurements.due_measurements(user, today, until=until):
        person = due.participant
        if mine and user.pk not in (person.case_worker_id, person.coach_id):
            continue
        section.items.append(
            Item(
                due.moment.due_on,
                person,
                _("%(moment)s (%(explanation)s)")
                % {
                    "moment": capfirst(due.moment.label),
                    "explanation": due.moment.explanation,
                },
                reverse("measurements:participant", args=[person.pk]),
                due.moment.due_on < today,
            )
        )
    return section


def _evaluations(ids, today, until) -> Section:
    section = Section(
        "evaluaties",
        _("Evaluation meetings"),
        _("No evaluation meeting needs to be held this week."),
    )
    evaluated = Evaluation.objects.filter(
        plan=OuterRef("pk"), for_end_on=OuterRef("planned_end_on")
    )
    plans = (
        Plan.objects.open()
        .filter(
            participant__in=ids,
            planned_end_on__lte=until + timedelta(days=EVALUATION_LEAD_DAYS),
        )
        .exclude(Exists(evaluated))
        .select_related("participant__household__municipality", "participant__case_worker")
        .order_by("planned_end_on", "pk")
    )
    for plan in plans:
        due_on = plan.planned_end_on - timedelta(days=EVALUATION_LEAD_DAYS)
        section.items.append(
            Item(
                due_on,
                plan.participant,
                _("Meeting about ending or extending; planned end %(day)s")
                % {"day": f"{plan.planned_end_on:%d-%m-%Y}"},
                reverse("trajectory:participant", args=[plan.participant_id]) + "#evaluatie",
                due_on < today,
            )
        )
    return section


def _signals(user, today, until, mine) -> Section:
    """The matched signals the user sees; their own: those routed to them or their
    organisation (signals.SignalRoute: a debt counsellor's, not the case worker's)."""
    section = Section("signalen", _("Signals"), _("No signals are open this week."))
    signals = Signal.objects.visible_to(user).open().exclude(participant=None)
    if mine:
        signals = signals.routed_to(user)
    signals = (
        signals.filter(due_on__lte=until)
        .select_related("participant__household__municipality", "participant__case_worker")
        .order_by("due_on", "pk")
    )
    for signal in signals:
        section.items.append(
            Item(
                signal.due_on,
                signal.participant,
                _("%(kind)s (%(reporter)s): %(status)s")
                % {
                    "kind": signal.get_kind_display(),
                    "reporter": signal.reporter,
                    "status": signal.get_status_display(),
                },
                reverse("signals:detail", args=[signal.pk]),
                signal.due_on < today,
            )
        )
    return section


def _phase_out(ids, today, until) -> Section:
    section = Section(
        "afbouw",
        _("Phase-out"),
        _("Nobody takes back a fixed cost or switches to a monthly allowance this week."),
    )
    steps = (
        PhaseOutStep.objects.filter(plan__participant__in=ids, from_on__range=(today, until))
        .select_related(
            "line__creditor",
            "plan__participant__household__municipality",
            "plan__participant__case_worker",
        )
        .order_by("from_on", "pk")
    )
    for step in steps:
        section.items.append(
            Item(
                step.from_on,
                step.plan.participant,
                _(
                    "Step %(order)s: the participant pays %(category)s (%(creditor)s) "
                    "themselves from now on; help with their own direct debit"
                )
                % {
                    "order": step.order,
                    "category": step.line.get_category_display(),
                    "creditor": step.line.creditor,
                },
                reverse("trajectory:participant", args=[step.plan.participant_id]) + "#afbouw",
            )
        )
    switches = (
        Plan.objects.open()
        .filter(participant__in=ids, monthly_allowance_from__range=(today, until))
        .select_related("participant__household__municipality", "participant__case_worker")
    )
    for plan in switches:
        section.items.append(
            Item(
                plan.monthly_allowance_from,
                plan.participant,
                _("Monthly instead of weekly allowance"),
                reverse("trajectory:participant", args=[plan.participant_id]) + "#afbouw",
            )
        )
    section.items.sort(key=lambda item: item.due_on)
    return section


def _nazorg(ids, today, until) -> Section:
    section = Section("nazorg", _("Nazorg ending"), _("No nazorg ends this week."))
    periods = (
        NazorgPeriod.objects.filter(participant__in=ids, closed_on=None, ends_on__lte=until)
        .select_related("participant__household__municipality", "participant__case_worker")
        .order_by("ends_on", "pk")
    )
    for period in periods:
        section.items.append(
            Item(
                period.ends_on,
                period.participant,
                _("Last day of nazorg: close or reopen"),
                reverse("trajectory:participant", args=[period.participant_id]) + "#nazorg",
                period.ends_on < today,
            )
        )
    return section
