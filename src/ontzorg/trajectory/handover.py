"""Handover checks: is a fixed cost that was handed back to the participant really theirs
now? Per handed-back cost the case worker (or coach) records whether the contract is in the
participant's own name and the direct debit runs, each with the date since when.

Which costs: the ones handed back step by step (``PhaseOutStep``) and, once the plan has
ended, the ones still paid up to its last day (handed back at the end). When: at the end of
ontzorgen (the plan's last day) and the regeling's ``handover_months`` after it, in nazorg.
The dates are computed from the plan, so an extension moves them.

``scan`` (``manage.py check_handovers``, daily) raises an internal signal to the case
worker for every check that is past its due date and missing, or that found the contract or
the direct debit not yet in order. Each signal has a reference, so running the scan again
raises nothing twice."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ontzorg.audit import services as audit
from ontzorg.core import access, dates
from ontzorg.exceptions import Refused
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.plans.constants import PlanStatus
from ontzorg.plans.models import Plan, PlanLine
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.services import raise_internal

from . import events
from .models import HandoverCheck, PhaseOutStep

# Whoever follows the participant may record a check: the case worker or the coach.
RECORDS = ("edits_participants", "records_guidance")
# Phases in which handed-back costs are followed up.
FOLLOWED_PHASES = (Phase.PHASE_OUT, Phase.NAZORG)


@dataclass(frozen=True)
class DueCheck:
    """One check of one handed-back cost at one moment, recorded or not."""

    line: PlanLine
    handed_back_on: date
    months_after: int
    due_on: date
    check: HandoverCheck | None

    @property
    def key(self) -> str:
        return f"{self.line.pk}:{self.months_after}"

    @property
    def moment(self) -> str:
        if not self.months_after:
            return _("at the end of ontzorgen")
        return ngettext(
            "%(n)s month after the end", "%(n)s months after the end", self.months_after
        ) % {"n": self.months_after}

    @property
    def status(self) -> str:
        """done, failed, overdue (past due, missing), due (today) or planned."""
        if self.check is not None:
            return "done" if self.check.passed else "failed"
        today = timezone.localdate()
        if self.due_on < today:
            return "overdue"
        return "due" if self.due_on == today else "planned"

    @property
    def status_label(self) -> str:
        return {
            "done": _("in order"),
            "failed": _("not in order"),
            "overdue": _("overdue"),
            "due": _("due today"),
            "planned": _("not due yet"),
        }[self.status]

    def __str__(self):
        return _("%(line)s, %(moment)s (due %(day)s)") % {
            "line": f"{self.line.get_category_display()} · {self.line.creditor}",
            "moment": self.moment,
            "day": f"{self.due_on:%d-%m-%Y}",
        }


def last_plan(participant) -> Plan | None:
    return (
        Plan.objects.filter(participant=participant)
        .select_related("regeling")
        .order_by("-start_on", "-pk")
        .first()
    )


def handed_back(plan: Plan) -> list[tuple[PlanLine, date]]:
    """(line, day the participant pays it from) of every cost handed back in `plan`."""
    steps = {
        step.line_id: step.from_on
        for step in PhaseOutStep.objects.filter(plan=plan).order_by("order")
    }
    lines = plan.lines.current().select_related("creditor")
    if plan.status == PlanStatus.ENDED and plan.ended_on is not None:
        at_end = lines.open_on(plan.ended_on).filter(starts_on__lte=plan.ended_on)
        ids = set(steps) | set(at_end.values_list("pk", flat=True))
    else:
        ids = set(steps)
    result = []
    for line in lines.filter(pk__in=ids).order_by("pk"):
        result.append((line, steps.get(line.pk) or plan.end_on + timedelta(days=1)))
    return sorted(result, key=lambda item: (item[1], item[0].pk))


def schedule_for(participant, plan: Plan | None = None) -> list[DueCheck]:
    """The participant's handover checks, by due date: the end of their last plan and the
    regeling's months after it, for every handed-back cost."""
    plan = plan or last_plan(participant)
    if plan is None:
        return []
    items = handed_back(plan)
    if not items:
        return []
    recorded = {
        (c.line_id, c.months_after): c
        for c in HandoverCheck.objects.filter(line__in=[line for line, _on in items])
    }
    moments = [0, *[m for m in plan.regeling.handover_months if m > 0]]
    result = [
        DueCheck(
            line=line,
            handed_back_on=on,
            months_after=months,
            due_on=dates.add_months(plan.end_on, months),
            check=recorded.get((line.pk, months)),
        )
        for line, on in items
        for months in moments
    ]
    return sorted(result, key=lambda d: (d.due_on, d.months_after, d.line.pk))


@transaction.atomic
def record_check(
    user,
    participant,
    key: str,
    *,
    checked_on: date,
    contract_in_own_name: bool,
    contract_since_on: date | None = None,
    direct_debit_running: bool,
    direct_debit_since_on: date | None = None,
    note: str = "",
) -> HandoverCheck:
    """Record the check `key` ("line:months") of the participant's schedule. A check found
    not in order may be recorded again later (a new check replaces it; the audit trail keeps
    both); one in order is final. Not in order raises a signal to the case worker at once."""
    access.require(user, *RECORDS)
    participant = access.get_or_refuse(
        Participant.objects.select_related("regeling"), user, pk=participant.pk
    )
    due = {d.key: d for d in schedule_for(participant)}.get(key)
    if due is None:
        raise Refused(_("Choose one of the handover checks of this participant."))
    today = timezone.localdate()
    if checked_on is None or checked_on > today:
        raise Refused(_("Fill in the day of the check; it cannot be in the future."))
    if contract_in_own_name and contract_since_on is None:
        raise Refused(_("Fill in since when the contract is in the participant's own name."))
    if direct_debit_running and direct_debit_since_on is None:
        raise Refused(_("Fill in since when the direct debit runs."))
    for since in (contract_since_on, direct_debit_since_on):
        if since is not None and since > checked_on:
            raise Refused(_("A 'since' date cannot be after the day of the check."))
    existing = (
        HandoverCheck.objects.select_for_update()
        .filter(line=due.line, months_after=due.months_after)
        .first()
    )
    if existing is not None and existing.passed:
        raise Refused(_("This check has already been recorded as in order."))
    check = existing or HandoverCheck(
        participant=participant, line=due.line, months_after=due.months_after
    )
    before = audit.snapshot(check) if existing else {}
    check.due_on = due.due_on
    check.checked_on = checked_on
    check.contract_in_own_name = contract_in_own_name
    check.contract_since_on = contract_since_on if contract_in_own_name else None
    check.direct_debit_running = direct_debit_running
    check.direct_debit_since_on = direct_debit_since_on if direct_debit_running else None
    check.note = (note or "").strip()[:300]
    check.recorded_by = user
    check.save()
    after = audit.snapshot(check)
    audit.record(
        user,
        events.HANDOVER_CHECKED,
        check,
        participant=participant,
        changes=audit.diff(before, after) if existing else {k: [None, v] for k, v in after.items()},
        line=str(due.line),
        moment=due.moment,
        result=_("in order") if check.passed else _("not in order"),
    )
    if not check.passed:
        _raise_failed(participant, due, check)
    return check


def _what_is_missing(check: HandoverCheck) -> str:
    missing = []
    if not check.contract_in_own_name:
        missing.append(_("the contract is not in the participant's own name"))
    if not check.direct_debit_running:
        missing.append(_("the direct debit is not running"))
    return "; ".join(missing)


def _raise_failed(participant, due: DueCheck, check: HandoverCheck):
    return raise_internal(
        SignalKind.HANDOVER_CHECK,
        participant,
        _(
            "Handover check of %(line)s (%(moment)s) on %(day)s: %(what)s. Help the "
            "participant to arrange it before arrears arise, and check it again."
        )
        % {
            "line": due.line,
            "moment": due.moment,
            "day": f"{check.checked_on:%d-%m-%Y}",
            "what": _what_is_missing(check),
        },
        reference=f"handover-failed:{due.key}:{check.checked_on:%Y-%m-%d}",
    )


def _raise_missing(participant, due: DueCheck):
    return raise_internal(
        SignalKind.HANDOVER_CHECK,
        participant,
        _(
            "The handover of %(line)s was not checked (%(moment)s, due %(day)s). Check "
            "with the participant that the contract is in their own name and the direct "
            "debit runs, and record it on the trajectory page."
        )
        % {"line": due.line, "moment": due.moment, "day": f"{due.due_on:%d-%m-%Y}"},
        reference=f"handover-missing:{due.key}",
    )


def scan(today: date | None = None) -> int:
    """Raise the signals of checks past due and missing, or found not in order, of the
    participants in phase-out or nazorg. Returns how many it raised or found again."""
    today = today or timezone.localdate()
    raised = 0
    people = Participant.objects.filter(phase__in=FOLLOWED_PHASES).select_related("regeling")
    for participant in people.order_by("pk").iterator(chunk_size=500):
        for due in schedule_for(participant):
            if due.check is None and due.due_on < today:
                _raise_missing(participant, due)
                raised += 1
            elif due.check is not None and not due.check.passed:
                _raise_failed(participant, due, due.check)
                raised += 1
    return raised
