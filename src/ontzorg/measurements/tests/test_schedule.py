"""The measurement schedule: pure date rules from the regeling's settings.

The end of a trajectory is its last day (inclusive), by the one rule of `core.dates` that
plans use too: six months from 1 September 2025 end on 28 February 2026."""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ontzorg.measurements.constants import Moment, ScheduleStatus
from ontzorg.measurements.schedule import DUE_WINDOW_DAYS, Rules, due_moments, status_on

EDAM = Rules(min_duration_months=6, endmeasurement_months_before_end=2)
HIA = Rules(min_duration_months=12, followup_months_after_end=12)


def _dates(moments):
    return {m.moment: m.due_on for m in moments}


def test_edam_volendam_eindmeting_two_months_before_the_end():
    moments = _dates(due_moments(EDAM, date(2025, 9, 1)))

    assert moments[Moment.NULMETING] == date(2025, 9, 1)
    assert moments[Moment.EINDMETING] == date(2026, 1, 1)  # last day 28-02-2026: 2 months before
    assert Moment.FOLLOW_UP not in moments


def test_edam_volendam_follows_a_plan_end_that_was_moved():
    moments = _dates(due_moments(EDAM, date(2025, 9, 1), end=date(2026, 8, 31)))

    assert moments[Moment.EINDMETING] == date(2026, 7, 1)


def test_hendrik_ido_ambacht_follow_up_one_year_after_the_end():
    moments = _dates(due_moments(HIA, date(2025, 9, 1)))

    assert moments[Moment.EINDMETING] == date(2026, 8, 31)  # at the end, the last day
    assert moments[Moment.FOLLOW_UP] == date(2027, 9, 1)  # a year after the last day
    assert moments[Moment.TUSSENMETING] == date(2026, 3, 2)  # halfway: 182 of 364 days


def test_month_end_start_is_clamped():
    moments = _dates(due_moments(EDAM, date(2025, 8, 31)))

    assert moments[Moment.EINDMETING] == date(2025, 12, 28)  # last day 27 Feb 2026


def test_status_on_a_given_day():
    moments = due_moments(EDAM, date(2025, 9, 1))
    measured = {Moment.NULMETING: [date(2025, 9, 3)]}

    def status(on):
        return {m.moment: m.status for m in status_on(moments, measured, on)}

    on = date(2025, 11, 25)  # the tussenmeting, halfway, is due on 30 November
    assert status(on) == {
        Moment.NULMETING: ScheduleStatus.DONE,
        Moment.TUSSENMETING: ScheduleStatus.DUE,
        Moment.EINDMETING: ScheduleStatus.PLANNED,
    }
    assert status(date(2025, 12, 1))[Moment.TUSSENMETING] == ScheduleStatus.OVERDUE
    assert status(date(2025, 12, 20))[Moment.EINDMETING] == ScheduleStatus.DUE
    assert status(date(2026, 1, 2))[Moment.EINDMETING] == ScheduleStatus.OVERDUE


def test_done_moment_reports_its_latest_day():
    moments = due_moments(EDAM, date(2025, 9, 1))
    measured = {Moment.NULMETING: [date(2025, 9, 3), date(2025, 9, 10)]}

    first = status_on(moments, measured, date(2025, 9, 20))[0]

    assert (first.status, first.measured_on) == (ScheduleStatus.DONE, date(2025, 9, 10))


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    months=st.integers(min_value=6, max_value=36),
    before=st.integers(min_value=0, max_value=6),
    after=st.integers(min_value=0, max_value=24),
)
def test_moments_are_in_order_and_never_before_the_start(start, months, before, after):
    rules = Rules(months, before, after)
    moments = due_moments(rules, start)
    days = [m.due_on for m in moments]

    assert days == sorted(days)
    assert days[0] == start
    assert moments[0].moment == Moment.NULMETING
    assert sum(m.moment == Moment.EINDMETING for m in moments) == 1
    assert (Moment.FOLLOW_UP in [m.moment for m in moments]) == bool(after)


@given(offset=st.integers(min_value=-400, max_value=400))
def test_an_unmeasured_moment_is_exactly_one_status(offset):
    moments = due_moments(EDAM, date(2025, 9, 1))
    eind = [m for m in moments if m.moment == Moment.EINDMETING]
    on = eind[0].due_on + timedelta(days=offset)

    [result] = status_on(eind, {}, on)

    if offset > 0:
        assert result.status == ScheduleStatus.OVERDUE
    elif -offset <= DUE_WINDOW_DAYS:
        assert result.status == ScheduleStatus.DUE
    else:
        assert result.status == ScheduleStatus.PLANNED


def test_importing_the_schedule_loads_neither_settings_nor_models():
    """Pure means pure: it imports without Django settings, the ORM or any app's models."""
    code = (
        "import sys, ontzorg.measurements.schedule\n"
        "django = sorted(name for name in sys.modules if name.startswith('django'))\n"
        "assert not django, django\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr


def test_after_an_extension_the_moved_eindmeting_is_due_again():
    """The eindmeting measured for the old end does not count for the new one; the
    nulmeting and tussenmeting stay done."""
    moments = due_moments(EDAM, date(2025, 9, 1), end=date(2026, 5, 31))
    measured = {
        Moment.NULMETING: [date(2025, 9, 1)],
        Moment.EINDMETING: [date(2026, 1, 2)],
    }
    on = date(2026, 2, 1)

    before = {m.moment: m.status for m in status_on(moments, measured, on)}
    after = {
        m.moment: m.status for m in status_on(moments, measured, on, extended_on=date(2026, 1, 20))
    }

    assert before[Moment.EINDMETING] == ScheduleStatus.DONE
    assert after[Moment.EINDMETING] == ScheduleStatus.PLANNED
    assert after[Moment.NULMETING] == ScheduleStatus.DONE
