"""The mode of ontzorgen of one participant on a date, and the decision that changes it.

The regeling gives the default (``Regeling.mode``, ``Regeling.continues_on_wages``); a recorded
`ModeDecision` switches one participant from a date, for example to budgetbeheer, or to
budgetbeheer that goes on on wages after a job. Everything that depends on the mode asks here:
the payment run (``reading.withholding_input(s)``: managed income, weekgeld), the outflow to
work (``services.record_outflow``: does withholding stop on a job?), the trajectory page and
the monitor snapshot. Interface::

    mode_for(participant, on) -> ParticipantMode(mode, continues_on_wages)
    modes_for({participant id: regeling}, on) -> {participant id: ParticipantMode}
    decide_mode(user, participant, *, mode, continues_on_wages, from_on, reason) -> ModeDecision
"""

from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import RunStatus
from ontzorg.regelingen.constants import Mode

from . import events
from .models import ModeDecision

MIN_REASON_LENGTH = 10


class ParticipantMode(NamedTuple):
    mode: str
    continues_on_wages: bool

    @property
    def label(self) -> str:
        text = str(Mode(self.mode).label)
        if self.continues_on_wages:
            text += _(", continues on income from work")
        return text

    @property
    def manages_other_income(self) -> bool:
        return self.mode == Mode.BUDGETBEHEER


def default_mode(regeling) -> ParticipantMode:
    """The regeling's mode (continuing on wages only counts with budgetbeheer)."""
    return ParticipantMode(
        regeling.mode, regeling.mode == Mode.BUDGETBEHEER and regeling.continues_on_wages
    )


def decided_modes(participant_ids, on: date) -> dict[int, ParticipantMode]:
    """The decision in force on `on` per participant that has one (one query). Pass a
    queryset of ids for many participants (a subquery, not a long list of parameters)."""
    if not isinstance(participant_ids, QuerySet):
        participant_ids = list(participant_ids)
    found = {}
    for participant_id, mode, wages in (
        ModeDecision.objects.filter(participant_id__in=participant_ids)
        .in_force_on(on)
        .values_list("participant_id", "mode", "continues_on_wages")
    ):
        found[participant_id] = ParticipantMode(mode, wages)  # later rows take over
    return found


def modes_for(regelingen: dict, on: date) -> dict[int, ParticipantMode]:
    """`mode_for` for many participants at once: {participant id: their regeling} in,
    {participant id: mode} out."""
    decided = decided_modes(regelingen.keys(), on)
    return {pk: decided.get(pk) or default_mode(regeling) for pk, regeling in regelingen.items()}


def mode_for(participant, on: date) -> ParticipantMode:
    """How `participant` is ontzorgd on `on`: the latest decision that has started, else the
    regeling's default."""
    return modes_for({participant.pk: participant.regeling}, on)[participant.pk]


def decisions_of(participant):
    return ModeDecision.objects.filter(participant=participant).select_related("decided_by")


@transaction.atomic
def decide_mode(
    user,
    participant,
    *,
    mode: str,
    continues_on_wages: bool = False,
    from_on: date,
    reason: str,
) -> ModeDecision:
    """Switch one participant to `mode` from the first day of a month. Months that a payment
    run already holds for the participant are not recomputed, so the new mode starts after
    them; a later decision (also for the same date) takes over from this one."""
    access.require(user, "edits_participants")
    participant = access.get_or_refuse(
        Participant.objects.select_for_update().select_related("regeling"),
        user,
        pk=participant.pk,
    )
    if mode not in Mode.values:
        raise Refused(_("Choose a mode of ontzorgen."))
    if continues_on_wages and mode != Mode.BUDGETBEHEER:
        raise Refused(_("Continuing on income from work is only possible with full budgetbeheer."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Refused(_("Give a reason of at least ten characters; it is required."))
    if from_on is None or from_on.day != 1:
        raise Refused(_("Choose the first day of a month: payments are made per month."))
    paid = (
        participant.payment_instructions.filter(period__gte=from_on)
        .exclude(run__status=RunStatus.CANCELLED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if paid is not None:
        raise Refused(
            _(
                "A payment run has already been made for %(month)s; that month is not "
                "computed again. Choose a later month."
            )
            % {"month": paid.strftime("%m-%Y")}
        )
    before = mode_for(participant, from_on)
    decision = ModeDecision.objects.create(
        participant=participant,
        mode=mode,
        continues_on_wages=bool(continues_on_wages),
        from_on=from_on,
        reason=reason,
        decided_by=user,
    )
    after = ParticipantMode(decision.mode, decision.continues_on_wages)
    audit.record(
        user,
        events.MODE_DECIDED,
        decision,
        participant=participant,
        changes={
            "vorm": [before.mode, after.mode],
            "gaat door op inkomen uit werk": [before.continues_on_wages, after.continues_on_wages],
            "vanaf": [None, from_on.isoformat()],
            "reden": [None, reason],
        },
        mode=after.label,
        from_on=f"{from_on:%d-%m-%Y}",
    )
    return decision


def today_mode(participant) -> ParticipantMode:
    return mode_for(participant, timezone.localdate())
