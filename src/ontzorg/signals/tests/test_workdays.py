from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ontzorg.signals.workdays import add_working_days, easter_sunday, is_working_day


def test_easter_dates():
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2024) == date(2024, 3, 31)


def test_five_working_days_skip_weekend_and_holidays():
    # Friday 25 April 2025 + 5: Mon 28, Tue 29, Wed 30, Thu 1 May, Fri 2 May.
    assert add_working_days(date(2025, 4, 25), 5) == date(2025, 5, 2)
    # King's Day 2025 is Sunday 27 April, moved to Saturday 26: no extra day lost.
    # Over Easter Monday (21 April 2025): Thu 17 + 2 = Fri 18, Tue 22.
    assert add_working_days(date(2025, 4, 17), 2) == date(2025, 4, 22)
    # Christmas: Tue 23 Dec 2025 + 2 = Wed 24, Mon 29.
    assert add_working_days(date(2025, 12, 23), 2) == date(2025, 12, 29)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 40))
def test_result_is_a_working_day_with_exactly_n_working_days_between(start, count):
    due = add_working_days(start, count)
    assert is_working_day(due)
    between = sum(
        is_working_day(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)
    )
    assert between == count
