"""The arrears list per creditor for one month: the participants a creditor reported arrears
for, with the amount, the months in arrears, the signal's status and what was done. For the
monthly meeting with a housing corporation (Zoetermeer); a page and a CSV.

Only signals the user may see (``Signal.objects.visible_to``), matched to a participant the
user may see, are listed; each time the list is shown or downloaded, every participant on it gets an
entry in the audit trail (so it shows in their inzage)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from ontzorg.audit import services as audit
from ontzorg.core.dates import month_end, month_label, month_start
from ontzorg.core.money import amount

from . import events
from .constants import SignalKind
from .models import Signal, StatusChange

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> date | None:
    """'2026-03' as the first day of that month; None for anything else."""
    found = MONTH_PATTERN.match((value or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def _arrears(user):
    """Arrears signals the user sees, about participants the user sees too: a debt counsellor
    a signal is routed to follows it up without seeing the participant's page, so their name
    and address are not on the list either."""
    from ontzorg.participants.models import Participant

    return (
        Signal.objects.visible_to(user)
        .filter(kind=SignalKind.ARREARS, participant__in=Participant.objects.visible_to(user))
        .exclude(creditor_name="")
    )


def creditors(user) -> list[str]:
    """The creditors that reported arrears about participants `user` sees, by name."""
    names = _arrears(user).order_by().values_list("creditor_name", flat=True).distinct()
    return sorted(set(names), key=str.casefold)


@dataclass(frozen=True)
class Line:
    signal: Signal
    steps: list[StatusChange]

    @property
    def participant(self):
        return self.signal.participant

    @property
    def done(self) -> str:
        """What was done, step by step: "12-03-2026 Contacted: called, plan follows"."""
        texts = []
        for step in self.steps:
            text = f"{step.changed_at:%d-%m-%Y} {step.get_to_status_display()}"
            texts.append(f"{text}: {step.note}" if step.note else text)
        return " | ".join(texts)


def lines(user, creditor: str, month: date) -> list[Line]:
    """The arrears `creditor` reported in `month` about participants `user` sees, by name."""
    steps = StatusChange.objects.exclude(from_status="").order_by("changed_at", "pk")
    signals = (
        _arrears(user)
        .filter(
            creditor_name=creditor,
            reported_on__gte=month_start(month),
            reported_on__lte=month_end(month),
        )
        .select_related("participant__household__municipality")
        .prefetch_related(Prefetch("history", queryset=steps, to_attr="steps"))
        .order_by("participant__last_name", "participant__first_name", "reported_on", "pk")
    )
    return [Line(signal, signal.steps) for signal in signals]


def record_shown(user, found: list[Line], creditor: str, month: date, *, exported: bool) -> None:
    """One audit entry per participant on the list, page or download alike."""
    event = events.ARREARS_LIST_EXPORTED if exported else events.ARREARS_LIST_VIEWED
    seen = set()
    for line in found:
        participant = line.participant
        if participant.pk in seen:
            continue
        seen.add(participant.pk)
        audit.record(
            user,
            event,
            participant,
            participant=participant,
            creditor=creditor,
            month=month_label(month),
        )


HEADER = (
    "naam",
    "adres",
    "postcode",
    "gemeente",
    "gemeld_op",
    "bedrag",
    "maanden_achterstand",
    "status",
    "wat_gedaan",
    "referentie_schuldeiser",
)


def csv_rows(found: list[Line]) -> list[list[str]]:
    """The rows of the CSV, as text (amounts in Dutch notation: 1234,56)."""
    rows = []
    for line in found:
        signal, household = line.signal, line.participant.household
        rows.append(
            [
                line.participant.full_name,
                f"{household.street} {household.house_number}".strip(),
                household.postcode,
                str(household.municipality),
                f"{signal.reported_on:%d-%m-%Y}",
                amount(signal.amount_cents).replace(".", "") if signal.amount_cents else "",
                "" if signal.months_in_arrears is None else str(signal.months_in_arrears),
                signal.get_status_display(),
                line.done,
                signal.reference,
            ]
        )
    return rows


def file_name(creditor: str, month: date) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", creditor.casefold()).strip("-")[:60] or "schuldeiser"
    return f"achterstanden-{slug}-{month:%Y-%m}.csv"
