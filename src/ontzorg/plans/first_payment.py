"""Time to the first payment: how many days passed from the start of the bijstand (and from
the key handover) until each payee was paid for the first time, and who is still waiting.

A payee is paid when a payment to them is in a booked payment run and the bank did not
return it; the day it was paid is the bank's execution day of its file (``paid_on_day``).
The payees a participant waits for are the creditors of their current fixed costs that have
started; the participant themselves counts when they were paid (living allowance, a one-off
or bridging payment).

The dashboard warns (``waiting``) about ontzorgde participants with a creditor not paid yet
more than the regeling's ``first_payment_warn_days`` after the start: the start of the
bijstand, else the key handover, and not before the fixed cost itself started."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.participants.constants import Phase
from ontzorg.payments.constants import PAID_KINDS, RunStatus
from ontzorg.payments.models import PaymentInstruction
from ontzorg.regelingen.models import Regeling

from . import events
from .models import Creditor, Plan, PlanLine

# Phases in which the municipality pays the fixed costs: there a missing payment hurts.
PAYING_PHASES = (Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT)


@dataclass(frozen=True)
class PayeeTiming:
    name: str
    creditor_id: int | None
    first_on: date | None  # None: not paid yet
    days_from_bijstand: int | None
    days_from_keys: int | None
    waiting_days: int | None  # not paid yet: days waited so far (from the start)
    overdue: bool


@dataclass(frozen=True)
class FirstPayments:
    bijstand_start_on: date | None
    keys_received_on: date | None
    warn_days: int
    rows: list[PayeeTiming]

    @property
    def start_on(self) -> date | None:
        """Where waiting is counted from: the bijstand start, else the key handover."""
        return self.bijstand_start_on or self.keys_received_on

    @property
    def overdue(self) -> bool:
        return any(row.overdue for row in self.rows)

    @property
    def waiting(self) -> list[PayeeTiming]:
        return [row for row in self.rows if row.first_on is None]


def booked_payments():
    """Payments in booked runs that the bank did not return."""
    from ontzorg.banking.models import ReturnedPayment

    return PaymentInstruction.objects.filter(
        kind__in=PAID_KINDS, run__status=RunStatus.BOOKED
    ).exclude(Exists(ReturnedPayment.objects.filter(instruction=OuterRef("pk"))))


def paid_on_day(pay_on: date, exported_at) -> date:
    """The day a payment really left: its pay date, or the bank's execution date of the file
    when that was made later (a run made after the pay date pays on the next bank day)."""
    from ontzorg.payments.files import execution_on

    return execution_on(pay_on, exported_at) if exported_at is not None else pay_on


def keys_received_on(participant) -> date | None:
    """The key handover, as recorded on the participant's first plan that has it."""
    return (
        Plan.objects.filter(participant=participant, keys_received_on__isnull=False)
        .order_by("start_on", "pk")
        .values_list("keys_received_on", flat=True)
        .first()
    )


def _days(first_on: date | None, start: date | None) -> int | None:
    if first_on is None or start is None:
        return None
    return (first_on - start).days


def for_participant(participant, today: date | None = None) -> FirstPayments:
    """The first payment per payee of `participant` (visible to the caller)."""
    today = today or timezone.localdate()
    bijstand, keys = participant.bijstand_start_on, keys_received_on(participant)
    start = bijstand or keys
    warn_days = participant.regeling.first_payment_warn_days
    first: dict[int | None, date] = {}
    for creditor_id, pay_on, exported_at in (
        booked_payments()
        .filter(participant=participant)
        .values_list("creditor_id", "pay_on", "run__exported_at")
        .order_by()
    ):
        paid_on = paid_on_day(pay_on, exported_at)
        if creditor_id not in first or paid_on < first[creditor_id]:
            first[creditor_id] = paid_on
    # When each creditor's first fixed cost started: waiting for it counts from then on.
    started = {
        row["creditor_id"]: row["starts_on"]
        for row in PlanLine.objects.current()
        .filter(plan__participant=participant, starts_on__lte=today)
        .open_on(today)
        .values("creditor_id")
        .annotate(starts_on=Min("starts_on"))
        .order_by()
    }
    names = dict(
        Creditor.objects.filter(pk__in={*first, *started} - {None}).values_list("pk", "name")
    )
    rows = []
    for creditor_id in sorted({*first, *started} - {None}, key=lambda pk: names[pk]):
        rows.append(
            _row(
                names[creditor_id],
                creditor_id,
                first.get(creditor_id),
                bijstand,
                keys,
                # As the dashboard: no waiting without a start to count from.
                None if start is None else max(start, started.get(creditor_id) or start),
                today,
                warn_days,
            )
        )
    if None in first:
        rows.append(
            _row(
                _("%(name)s (own account)") % {"name": participant.full_name},
                None,
                first[None],
                bijstand,
                keys,
                start,
                today,
                warn_days,
            )
        )
    return FirstPayments(bijstand, keys, warn_days, rows)


def _row(name, creditor_id, first_on, bijstand, keys, since, today, warn_days) -> PayeeTiming:
    waiting = None if first_on is not None or since is None else max(0, (today - since).days)
    return PayeeTiming(
        name=name,
        creditor_id=creditor_id,
        first_on=first_on,
        days_from_bijstand=_days(first_on, bijstand),
        days_from_keys=_days(first_on, keys),
        waiting_days=waiting,
        overdue=waiting is not None and waiting > warn_days,
    )


def waiting(participants, user=None, today: date | None = None):
    """The participants (a scoped queryset) in a paying phase with a creditor whose fixed
    cost started, and the waiting started, more than the regeling's warning days ago and
    who has not been paid yet. One query; one condition per distinct number of days."""
    today = today or timezone.localdate()
    keys = (
        Plan.objects.filter(participant=OuterRef("pk"), keys_received_on__isnull=False)
        .order_by("start_on", "pk")
        .values("keys_received_on")[:1]
    )
    paid = booked_payments().filter(
        participant_id=OuterRef("plan__participant_id"), creditor_id=OuterRef("creditor_id")
    )
    condition = Q(pk__in=[])
    for days in sorted(set(Regeling.objects.values_list("first_payment_warn_days", flat=True))):
        cutoff = today - timedelta(days=days)
        unpaid = (
            PlanLine.objects.current()
            .filter(plan__participant=OuterRef("pk"), starts_on__lt=cutoff)
            .open_on(today)
            .exclude(Exists(paid))
        )
        condition |= Q(regeling__first_payment_warn_days=days, waiting_since__lt=cutoff) & Q(
            Exists(unpaid)
        )
    return (
        participants.filter(phase__in=PAYING_PHASES)
        .annotate(waiting_since=Coalesce("bijstand_start_on", Subquery(keys)))
        .filter(condition)
    )


@transaction.atomic
def record_keys_received(user, plan, received_on: date) -> Plan:
    """The participant received the keys of their home on `received_on` (not in the future):
    the time to the first payment is also counted from it."""
    access.require(user, "edits_participants")
    access.visible(user, plan)
    plan = Plan.objects.select_for_update().select_related("participant").get(pk=plan.pk)
    if received_on is None:
        raise Refused(_("Fill in the date the keys were received."))
    if received_on > timezone.localdate():
        raise Refused(_("The key handover cannot be in the future."))
    before = audit.snapshot(plan, ["keys_received_on"])
    plan.keys_received_on = received_on
    plan.save(update_fields=["keys_received_on"])
    audit.record(
        user,
        events.KEYS_RECEIVED,
        plan,
        participant=plan.participant,
        changes=audit.diff(before, audit.snapshot(plan, ["keys_received_on"])),
        on=f"{received_on:%d-%m-%Y}",
    )
    return plan
