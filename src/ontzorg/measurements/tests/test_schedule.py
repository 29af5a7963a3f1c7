"""The measurement schedule: pure date rules from the regeling's settings."""

from datetime import date, timedelta

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
    assert moments[Moment.EINDMETING] == date(2026, 1, 1)  # end 1 March 2026, minus 2 months
    assert Moment.FOLLOW_UP not in moments


def test_edam_volendam_follows_a_plan_end_that_was_moved():
    moments = _dates(due_moments(EDAM, date(2025, 9, 1), end=date(2026, 9, 1)))

    assert moments[Moment.EINDMETING] == date(2026, 7, 1)


def test_hendrik_ido_ambacht_follow_up_one_year_after_the_end():
    moments = _dates(due_moments(HIA, date(2025, 9, 1)))

    assert moments[Moment.EINDMETING] == date(2026, 9, 1)  # at the end
    assert moments[Moment.FOLLOW_UP] == date(2027, 9, 1)
    assert moments[Moment.TUSSENMETING] == date(2026, 3, 2)  # halfway: 182 of 365 days


def test_month_end_start_is_clamped():
    moments = _dates(due_moments(EDAM, date(2025, 8, 31)))

    assert moments[Moment.EINDMETING] == date(2025, 12, 28)  # end 28 Feb 2026, minus 2 months


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
    due = date(2026, 1, 1)
    moments = due_moments(EDAM, date(2025, 9, 1))
    eind = [m for m in moments if m.moment == Moment.EINDMETING]
    on = due + timedelta(days=offset)

    [result] = status_on(eind, {}, on)

    if offset > 0:
        assert result.status == ScheduleStatus.OVERDUE
    elif -offset <= DUE_WINDOW_DAYS:
        assert result.status == ScheduleStatus.DUE
    else:
        assert result.status == ScheduleStatus.PLANNED
