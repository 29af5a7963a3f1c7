"""The bank calendar: TARGET2 business days and the date a payment is executed (pure).

SEPA credit transfers are executed on TARGET2 business days only: weekdays other than the
ECB's closing days (New Year, Good Friday, Easter Monday, 1 May, Christmas and 26 December),
taken from the maintained ``holidays`` package rather than a table of our own. A payment asked
for on another day, in the past, or for today after the bank's cut-off time is executed on the
next business day; between Dutch banks the money arrives on the execution date itself."""

import functools
from datetime import date, datetime, time, timedelta

import holidays


@functools.lru_cache(maxsize=32)
def _closing_days(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("ECB", years=year))


def is_business_day(day: date) -> bool:
    """Whether TARGET2 is open on `day`."""
    return day.weekday() < 5 and day not in _closing_days(day.year)


def next_business_day(day: date) -> date:
    """`day` itself if it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def execution_date(requested: date, *, now: datetime, cutoff: time) -> date:
    """The date a payment asked for on `requested`, in a file made at `now` (local time), is
    executed: the first business day on or after `requested`, never before today, and not
    today once today's cut-off has passed."""
    earliest = now.date() if now.time() < cutoff else now.date() + timedelta(days=1)
    return next_business_day(max(requested, earliest))
