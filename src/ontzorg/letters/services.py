"""Making and reading the monthly overviews.

An overview is made for every participant of a run once the run is booked (a task, started
by ``payments.hooks.on_run_booked``), and made again for the month of a payment the bank
returns (``banking.hooks.on_payment_returned``). Making one again replaces its figures, so
running it twice leaves the same rows."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ontzorg.core.dates import month_start
from ontzorg.ledger.models import Entry
from ontzorg.payments.models import PaymentRun

from .models import MonthlyOverview
from .overview import MonthOverview, month_overview


def refresh(participant, month: date) -> MonthlyOverview:
    """Make (or make again) the participant's overview of `month`."""
    month = month_start(month)
    figures = month_overview(participant, month)
    row, _created = MonthlyOverview.objects.update_or_create(
        participant=participant,
        month=month,
        defaults=dict(
            run_id=figures.run_id, figures=figures.as_data(), generated_at=timezone.now()
        ),
    )
    return row


def generate_for_run(run: PaymentRun) -> int:
    """The overview of the run's month for every participant in the run; returns how many."""
    from ontzorg.participants.models import Participant

    people = Participant.objects.filter(
        pk__in=run.instructions.values("participant_id")
    ).select_related("regeling")
    count = 0
    for participant in people.order_by("pk"):
        with transaction.atomic():
            refresh(participant, run.period)
        count += 1
    return count


@task()
def generate_overviews_task(run_id: int) -> int:
    return generate_for_run(PaymentRun.objects.get(pk=run_id))


def run_booked(run: PaymentRun) -> None:
    """Subscriber of ``payments.hooks.on_run_booked`` (called after the booking commits)."""
    generate_overviews_task.enqueue(run.pk)


def payment_returned(returned) -> None:
    """Subscriber of ``banking.hooks.on_payment_returned``: the month of the returned payment
    is made again once the return is committed."""
    instruction = returned.instruction
    participant, month = instruction.participant, instruction.run.period
    transaction.on_commit(lambda: refresh(participant, month), robust=True)


def booked_months(participant) -> list[date]:
    """The months with postings for the participant or an overview, newest first."""
    posted = set(
        Entry.objects.filter(account__participant=participant)
        .values_list("transaction__period", flat=True)
        .distinct()
    )
    made = set(
        MonthlyOverview.objects.filter(participant=participant).values_list("month", flat=True)
    )
    return sorted(posted | made, reverse=True)


def overview_for(participant, month: date) -> MonthOverview | None:
    """The overview of the month, made again from the ledger now and stored, so a repayment,
    a correction or a new appointment since the run shows as on the participant's own page;
    None when the month has no postings."""
    month = month_start(month)
    if month not in booked_months(participant):
        return None
    return refresh(participant, month).overview
