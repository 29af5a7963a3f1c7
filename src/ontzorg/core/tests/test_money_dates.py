"""The one euro formatter and the one month/age/trajectory arithmetic."""

from datetime import date

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.core import dates, money


def test_euro_formats_dutch_with_thousands_dots_and_decimal_comma():
    assert money.euro(123456) == "€ 1.234,56"
    assert money.euro(5) == "€ 0,05"
    assert money.euro(-250000) == "-€ 2.500,00"
    assert money.euro(None) == "-"
    assert money.amount(123456) == "1.234,56"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_euro_text_reads_back_as_the_same_cents(cents):
    text = money.euro(cents).replace("€ ", "").replace(".", "").replace(",", "")
    assert int(text) == cents


def test_the_template_filter_is_the_same_formatter():
    rendered = Template("{% load money %}{{ a|euro }} {{ b|euro }}").render(
        Context({"a": 1234500, "b": None})
    )
    assert rendered == "€ 12.345,00 -"


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert dates.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert dates.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert dates.add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert dates.add_months(date(2026, 11, 30), 14) == date(2028, 1, 30)


def test_age_turns_on_the_birthday_itself():
    assert dates.age_on(date(2000, 3, 16), date(2026, 3, 15)) == 25
    assert dates.age_on(date(2000, 3, 16), date(2026, 3, 16)) == 26


def test_planned_end_is_the_last_day_of_the_period():
    assert dates.planned_end_on(date(2026, 1, 1), 6) == date(2026, 6, 30)
    assert dates.planned_end_on(date(2026, 1, 15), 6) == date(2026, 7, 14)


def test_an_extension_moves_the_end_and_is_recognised():
    plain = dates.trajectory_dates(date(2026, 1, 1), 6)
    assert plain.end_on == date(2026, 6, 30) and not plain.is_extended
    extended = dates.trajectory_dates(date(2026, 1, 1), 6, current_end_on=date(2026, 9, 30))
    assert extended.end_on == date(2026, 9, 30) and extended.is_extended
    assert extended.planned_end_on == date(2026, 6, 30)
    # A plan keeps its own end when the regeling's minimum grows later.
    kept = dates.trajectory_dates(date(2026, 1, 1), 9, current_end_on=date(2026, 6, 30))
    assert kept.end_on == date(2026, 6, 30) and not kept.is_extended


def test_nazorg_lasts_at_least_until_the_follow_up_is_recorded():
    ended = dates.trajectory_dates(
        date(2026, 1, 1),
        6,
        ended_on=date(2026, 6, 30),
        nazorg_months=3,
        followup_months_after_end=6,
    )
    assert ended.end_on == date(2026, 6, 30)
    assert ended.nazorg_end_on == date(2027, 1, 29)  # 30-12 plus 30 days to record it
    short = dates.nazorg_end_on(date(2026, 6, 30), 3)
    assert short == date(2026, 9, 30)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)), st.integers(-60, 60))
def test_add_months_lands_in_the_right_month(day, months):
    result = dates.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
