"""A participant's lifecycle: the phases, the moves allowed between them (one table,
`TRANSITIONS`) and `move`, the one service that changes a participant's phase.

The way through: kandidaat -> intake (ingeloot, or directly where no draw applies) ->
ontzorgd when the plan starts -> verlengd -> afbouw -> nazorg -> afgesloten. On the side:
niet geschikt (and back to kandidaat after a maatwerk decision), geen ontzorging (opt-out or
maatwerk) and heropend (nazorg or afgesloten back to ontzorgd).

What follows a move (a plan started or closed, nazorg opened) is done by the service that
asks for it; measurements, the monitor and the payment run read the phase. This module also
holds the guard every new plan passes (`plan_refusal`): eligible, drawn where a draw applies,
unless a maatwerk decision says otherwise."""

from collections import deque
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.exceptions import Refused
from ontzorg.regelingen.constants import SelectionMethod

from . import eligibility, events
from .constants import DecisionOutcome, HouseholdRole, Literacy, Phase
from .models import Decision, Participant

# Where a participant may go from each phase. Staying in the same phase is no move.
TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.CANDIDATE: frozenset({Phase.INTAKE, Phase.NOT_ELIGIBLE, Phase.OPTED_OUT}),
    Phase.INTAKE: frozenset({Phase.ACTIVE, Phase.NOT_ELIGIBLE, Phase.OPTED_OUT}),
    Phase.ACTIVE: frozenset({Phase.EXTENDED, Phase.PHASE_OUT, Phase.NAZORG, Phase.OPTED_OUT}),
    # An extension may come while items are being handed back (afbouw, then verlengd).
    Phase.EXTENDED: frozenset({Phase.PHASE_OUT, Phase.NAZORG, Phase.OPTED_OUT}),
    Phase.PHASE_OUT: frozenset({Phase.EXTENDED, Phase.NAZORG, Phase.OPTED_OUT}),
    # Heropend: back to ontzorgd with a new plan.
    Phase.NAZORG: frozenset({Phase.ENDED, Phase.ACTIVE}),
    Phase.ENDED: frozenset({Phase.ACTIVE}),
    # After a maatwerk decision 'toch ontzorgen'.
    Phase.NOT_ELIGIBLE: frozenset({Phase.CANDIDATE, Phase.OPTED_OUT}),
    Phase.OPTED_OUT: frozenset({Phase.CANDIDATE}),
}

# The phases whose plans the payment run pays.
PAYABLE_PHASES = (Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT)


def allowed(before: str, after: str) -> bool:
    return after in TRANSITIONS.get(before, ())


def route(before: str, after: str) -> list[str]:
    """The shortest legal way from `before` to `after`, without `before` ([] when equal).
    For loading history (the demo) and tests; services move one step at a time."""
    if before == after:
        return []
    previous = {before: None}
    queue = deque([before])
    while queue:
        phase = queue.popleft()
        for step in sorted(TRANSITIONS.get(phase, ())):
            if step in previous:
                continue
            previous[step] = phase
            if step == after:
                path = [step]
                while previous[path[-1]] != before:
                    path.append(previous[path[-1]])
                return path[::-1]
            queue.append(step)
    raise ValueError(f"no way from {before} to {after}")


@dataclass(frozen=True)
class PhaseChange:
    participant: Participant
    before: str
    after: str
    on: date
    reason: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def changes(self) -> dict:
        """The change as audit data for the calling service's own entry."""
        return {"fase": [self.before, self.after]} if self.changed else {}


# What follows entering a phase, registered by the apps that own it (trajectory opens the
# nazorg period): `on_enter(Phase.NAZORG, listener)`; listener(participant, change, user).
_listeners: dict[str, list] = {}


def on_enter(phase: str, listener) -> None:
    if listener not in _listeners.setdefault(phase, []):
        _listeners[phase].append(listener)


@transaction.atomic
def move(participant: Participant, to_phase: str, *, on: date, reason: str, user=None):
    """Move `participant` to `to_phase` as of `on`, for `reason`; refuse a move the table
    does not allow. Writes the audit entry; staying in the same phase changes nothing."""
    before = (
        Participant.objects.select_for_update()
        .filter(pk=participant.pk)
        .values_list("phase", flat=True)
        .get()
    )
    change = PhaseChange(participant, before, to_phase, on, reason)
    participant.phase = before
    if not change.changed:
        return change
    if not allowed(before, to_phase):
        raise Refused(
            _("The phase cannot go from '%(before)s' to '%(after)s'.")
            % {"before": Phase(before).label, "after": Phase(to_phase).label}
        )
    participant.phase = to_phase
    participant.save(update_fields=["phase", "updated_at"])
    audit.record(
        user,
        events.PHASE_CHANGED,
        participant,
        participant=participant,
        changes={"fase": [before, to_phase], "op": [None, on.isoformat()], "reden": [None, reason]},
        before=str(Phase(before).label),
        after=str(Phase(to_phase).label),
        on=f"{on:%d-%m-%Y}",
        reason=reason,
    )
    for listener in _listeners.get(to_phase, ()):
        listener(participant, change, user)
    if participant.household_role == HouseholdRole.APPLICANT:
        _partners_follow(participant, before, to_phase, on=on, reason=reason, user=user)
    return change


def _partners_follow(applicant, before: str, to_phase: str, *, on, reason, user) -> None:
    """Where both partners take part, the partner who is a participant goes along with the
    applicant's trajectory: one household, one plan (Zoetermeer, Dongemond, Edam-Volendam).
    Only a partner who stood where the applicant stood moves; one with a path of their own
    (an opt-out, not eligible) keeps it."""
    partners = Participant.objects.filter(
        household_id=applicant.household_id,
        household_role=HouseholdRole.PARTNER,
        phase=before,
    ).exclude(pk=applicant.pk)
    for partner in partners:
        move(partner, to_phase, on=on, reason=reason, user=user)


# --- eligibility and the guard on a new plan ---------------------------------------------------


def rules_for(regeling) -> eligibility.Rules:
    return eligibility.Rules(
        exclude_seniors=regeling.exclude_seniors,
        senior_age=regeling.senior_age,
        exclude_fulltime_students=regeling.exclude_fulltime_students,
        exclude_illiterate=regeling.exclude_illiterate,
        newcomers_since=regeling.newcomers_since,
        include_old_arrivals=regeling.include_old_arrivals,
    )


def check_eligibility(participant: Participant, on: date | None = None) -> eligibility.Result:
    person = eligibility.Person(
        date_of_birth=participant.date_of_birth,
        arrival_on=participant.arrival_on,
        bijstand_start_on=participant.bijstand_start_on,
        is_fulltime_student=participant.is_fulltime_student,
        is_illiterate=participant.literacy == Literacy.ILLITERATE,
    )
    return eligibility.check(rules_for(participant.regeling), person, on or timezone.localdate())


def draw_applies(regeling) -> bool:
    return regeling.selection_method == SelectionMethod.RANDOM


def has_maatwerk(participant: Participant) -> bool:
    """A recorded maatwerk decision 'toch ontzorgen' that is not undone by a later
    'geen ontzorging'."""
    latest = (
        Decision.objects.filter(participant=participant)
        .order_by("-decided_on", "-created_at", "-pk")
        .values_list("outcome", flat=True)
        .first()
    )
    return latest == DecisionOutcome.ONTZORGING_ANYWAY


def after_intake(participant: Participant, *, on: date, user=None) -> PhaseChange:
    """Where a newly registered participant goes: niet geschikt when the check fails, else
    intake, unless the regeling draws its participants (then kandidaat until the draw)."""
    if not check_eligibility(participant, on).eligible:
        return move(
            participant, Phase.NOT_ELIGIBLE, on=on, reason=_("intake: not eligible"), user=user
        )
    if draw_applies(participant.regeling):
        return PhaseChange(participant, participant.phase, participant.phase, on, "")
    return move(participant, Phase.INTAKE, on=on, reason=_("intake: eligible"), user=user)


def plan_refusal(participant: Participant, on: date | None = None) -> str | None:
    """Why no plan may start for `participant` now, or None. Eligible and (where the
    regeling draws) drawn, unless a maatwerk decision says 'toch ontzorgen'."""
    phase = participant.phase
    if phase == Phase.OPTED_OUT:
        return _("For this participant it was decided: no ontzorging. There will be no plan.")
    if phase == Phase.NOT_ELIGIBLE:
        return _(
            "This participant is not eligible for this regeling. A plan is only "
            "possible after a maatwerk decision 'ontzorgen anyway'."
        )
    if phase not in (Phase.CANDIDATE, Phase.INTAKE) or has_maatwerk(participant):
        return None
    result = check_eligibility(participant, on)
    if not result.eligible:
        return _(
            "This participant is not eligible: %(reasons)s A plan is only possible "
            "after a maatwerk decision 'ontzorgen anyway'."
        ) % {"reasons": " ".join(result.reasons)}
    if phase == Phase.CANDIDATE and draw_applies(participant.regeling):
        return _(
            "This participant was not drawn. A plan is only possible after the "
            "selection draw or after a maatwerk decision 'ontzorgen anyway'."
        )
    return None


def plan_started(participant: Participant, *, on: date, user=None) -> list[PhaseChange]:
    """A plan starts on `on`: a candidate passes intake and the participant is ontzorgd."""
    changes = []
    if participant.phase == Phase.CANDIDATE:
        reason = (
            _("maatwerk decision: ontzorgen anyway")
            if has_maatwerk(participant)
            else _("eligible, no selection draw in this regeling")
        )
        changes.append(move(participant, Phase.INTAKE, on=on, reason=reason, user=user))
    if participant.phase == Phase.INTAKE:
        changes.append(move(participant, Phase.ACTIVE, on=on, reason=_("plan started"), user=user))
    return changes
