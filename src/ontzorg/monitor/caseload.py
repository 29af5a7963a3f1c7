"""The caseload report for team leads: per klantmanager and per coach, how many
participants they carry and how many measurements and signals are overdue.

Overdue measurements follow the measurements app's own schedule (measurements.services), so
this report and the agenda never disagree; signals count as overdue when their next step
was due before today. Everything is scoped by what the user may see."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count

from ontzorg.measurements import services as measurements
from ontzorg.measurements.constants import ScheduleStatus
from ontzorg.participants.constants import OPEN_PHASES, Phase
from ontzorg.participants.models import Participant
from ontzorg.signals.models import Signal

CARRIED_PHASES = (*OPEN_PHASES, Phase.NAZORG)


@dataclass
class Line:
    person: object
    role: str
    participants: int = 0
    overdue_measurements: int = 0
    overdue_signals: int = 0


def report(user, today: date) -> tuple[list[Line], dict]:
    """(a line per case worker and per coach, totals including the unassigned)."""
    visible = Participant.objects.visible_to(user).filter(phase__in=CARRIED_PHASES)
    lines: dict[tuple[str, int | None], Line] = {}

    def line(role: str, person_id):
        return lines.setdefault((role, person_id), Line(person_id, role))

    for field, role in (("case_worker_id", "klantmanager"), ("coach_id", "coach")):
        for row in visible.order_by().values(field).annotate(n=Count("pk")):
            line(role, row[field]).participants += row["n"]

    overdue = [
        item.participant
        for item in measurements.due_measurements(user, today)
        if item.moment.status == ScheduleStatus.OVERDUE
    ]
    for participant in overdue:
        line("klantmanager", participant.case_worker_id).overdue_measurements += 1
        if participant.coach_id:
            line("coach", participant.coach_id).overdue_measurements += 1

    signals = (
        Signal.objects.visible_to(user)
        .overdue(today)
        .filter(participant__isnull=False)
        .order_by()
        .values("participant__case_worker_id", "participant__coach_id")
        .annotate(n=Count("pk"))
    )
    for row in signals:
        line("klantmanager", row["participant__case_worker_id"]).overdue_signals += row["n"]
        if row["participant__coach_id"]:
            line("coach", row["participant__coach_id"]).overdue_signals += row["n"]

    people = get_user_model().objects.in_bulk([pk for _role, pk in lines if pk])
    for found in lines.values():
        found.person = people.get(found.person)
    ordered = sorted(
        lines.values(),
        key=lambda x: (x.role != "klantmanager", x.person is None, str(x.person or "")),
    )
    totals = {
        "participants": visible.count(),
        "overdue_measurements": len(overdue),
        "overdue_signals": sum(row["n"] for row in signals),
    }
    return ordered, totals
