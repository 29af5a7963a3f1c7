"""Day boundaries in the local time zone, for facts that carry a timestamp."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in the local time zone: timestamps before it count."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))
