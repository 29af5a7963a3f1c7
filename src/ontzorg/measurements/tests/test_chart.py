"""The level chart: pure coordinates for the SVG."""

from datetime import date

from ontzorg.measurements.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, level_chart

ZRM = [(1, "acuut", False), (2, "niet", False), (3, "beperkt", False), (4, "voldoende", True)]


def test_highest_level_on_top_and_dates_spread_over_the_width():
    drawn = level_chart(ZRM, [(date(2025, 9, 1), 1), (date(2025, 12, 1), 4)])

    first, last = drawn.points
    assert (first.x, first.y) == (LEFT, HEIGHT - BOTTOM)
    assert (last.x, last.y) == (WIDTH - RIGHT, TOP)
    assert drawn.polyline == f"{first.x},{first.y} {last.x},{last.y}"
    assert [g.is_exit for g in drawn.gridlines] == [False, False, False, True]
    assert (
        drawn.description
        == "2 metingen. 01-09-2025: niveau 1 (acuut); 01-12-2025: niveau 4 (voldoende)."
    )


def test_a_single_measurement_sits_in_the_middle():
    [point] = level_chart(ZRM, [(date(2025, 9, 1), 3)]).points

    assert point.x == LEFT + (WIDTH - LEFT - RIGHT) / 2
