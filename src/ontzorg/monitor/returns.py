"""Returned payments (R-transactions), read from the banking app's ReturnedPayment records.

Each record links the returned payment instruction (and so the participant) to the bank entry
that brought it back. A return counts on the day the bank booked it; an entry without a
booking date counts on the day the return was received in Ontzorg."""

from django.db.models import Count, DateField, Q
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from ontzorg.banking.models import ReturnedPayment

from .facts_time import end_of_day


def _returned_on():
    return Coalesce("entry__booked_on", TruncDate("opened_at"), output_field=DateField())


def _on_or_before(day):
    return Q(entry__booked_on__lte=day) | Q(
        entry__booked_on__isnull=True, opened_at__lt=end_of_day(day)
    )


def count_per_participant(participants, as_of) -> dict[int, int]:
    """{participant id: returned payments on or before `as_of`}."""
    rows = (
        ReturnedPayment.objects.filter(
            _on_or_before(as_of), instruction__participant__in=participants
        )
        .order_by()
        .values("instruction__participant_id")
        .annotate(n=Count("pk"))
    )
    return {row["instruction__participant_id"]: row["n"] for row in rows}


def count_per_month(region_ids, first, last) -> dict:
    """{first day of month: returned payments of these regions' runs in that month}."""
    rows = (
        ReturnedPayment.objects.filter(instruction__run__region_id__in=region_ids)
        .annotate(returned_on=_returned_on())
        .filter(returned_on__gte=first, returned_on__lte=last)
        .annotate(month=TruncMonth("returned_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    return {row["month"]: row["n"] for row in rows}
