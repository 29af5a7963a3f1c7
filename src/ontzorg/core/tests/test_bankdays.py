"""The bank calendar: TARGET2 business days, the cut-off and the execution date."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.core import bankdays

CUTOFF = time(14, 0)


@pytest.mark.parametrize(
    ("requested", "executed"),
    [
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday
        (date(2027, 1, 10), date(2027, 1, 11)),  # Sunday
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year, a Friday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas, then 26 December, then Sunday
        (date(2026, 12, 26), date(2026, 12, 28)),
        (date(2026, 4, 3), date(2026, 4, 7)),  # Good Friday, Easter Monday
        (date(2026, 5, 1), date(2026, 5, 4)),  # 1 May
        (date(2026, 12, 7), date(2026, 12, 7)),  # a business day stays
    ],
)
def test_closing_days_move_to_the_next_business_day(requested, executed):
    assert bankdays.next_business_day(requested) == executed
    now = datetime(2026, 3, 2, 9, 0)
    assert bankdays.execution_date(requested, now=now, cutoff=CUTOFF) == executed


def test_dutch_holidays_that_are_not_target2_closing_days_are_business_days():
    assert bankdays.is_business_day(date(2026, 4, 27))  # King's Day
    assert bankdays.is_business_day(date(2026, 5, 14))  # Ascension Day


def test_a_date_in_the_past_becomes_today():
    now = datetime(2026, 12, 1, 9, 0)  # a Tuesday, before the cut-off
    assert bankdays.execution_date(date(2026, 11, 5), now=now, cutoff=CUTOFF) == date(2026, 12, 1)


def test_after_the_cut_off_today_becomes_the_next_business_day():
    friday_afternoon = datetime(2026, 12, 4, 15, 0)
    assert bankdays.execution_date(date(2026, 12, 4), now=friday_afternoon, cutoff=CUTOFF) == date(
        2026, 12, 7
    )
    assert bankdays.execution_date(
        date(2026, 12, 4), now=friday_afternoon.replace(hour=13, minute=59), cutoff=CUTOFF
    ) == date(2026, 12, 4)
    assert bankdays.execution_date(
        date(2026, 12, 4), now=friday_afternoon.replace(hour=14, minute=0), cutoff=CUTOFF
    ) == date(2026, 12, 7)


@given(
    requested=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    now=st.datetimes(datetime(2024, 1, 1), datetime(2030, 12, 31)),
    cutoff=st.times(),
)
def test_execution_date_is_the_first_business_day_allowed(requested, now, cutoff):
    executed = bankdays.execution_date(requested, now=now, cutoff=cutoff)
    assert bankdays.is_business_day(executed)
    assert executed >= now.date()
    assert executed >= requested
    pushed = now.time() >= cutoff
    day = max(requested, now.date())
    while day < executed:
        # Only today itself may be skipped while open, and only because the cut-off passed.
        assert not bankdays.is_business_day(day) or (pushed and day == now.date())
        day += timedelta(days=1)
    if pushed:
        assert executed > now.date()
