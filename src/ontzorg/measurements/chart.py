"""A small line chart of levels over time, as coordinates for a server-side SVG.

Pure: plain data in, plain data out. The template draws it; the page also shows the same
data as a table, so the chart is never the only way to read it."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 190, 20, 16, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    rank: int
    label: str


@dataclass(frozen=True)
class Gridline:
    y: float
    rank: int
    label: str
    is_exit: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    gridlines: list[Gridline]
    polyline: str
    left: int
    right: int
    bottom: float
    is_count: bool = False

    @property
    def description(self) -> str:
        text = _("%(day)s: %(rank)s") if self.is_count else _("%(day)s: level %(rank)s (%(label)s)")
        steps = "; ".join(
            text % {"day": f"{p.day:%d-%m-%Y}", "rank": p.rank, "label": p.label}
            for p in self.points
        )
        return _("%(count)s measurements. %(steps)s.") % {"count": len(self.points), "steps": steps}


def level_chart(levels: list[tuple[int, str, bool]], measured: list[tuple[date, int]]) -> Chart:
    """`levels` as (rank, label, is_exit), `measured` as (day, rank) in date order."""
    ranks = [rank for rank, _label, _exit in levels] or [1]
    low, high = min(ranks), max(ranks)
    labels = {rank: label for rank, label, _exit in levels}
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y(rank: int) -> float:
        if high == low:
            return TOP + plot_height / 2
        return round(TOP + plot_height * (high - rank) / (high - low), 1)

    days = [day for day, _rank in measured]
    first, last = (min(days), max(days)) if days else (None, None)

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_width / 2
        return round(LEFT + plot_width * (day - first).days / (last - first).days, 1)

    points = [Point(x(day), y(rank), day, rank, labels.get(rank, "")) for day, rank in measured]
    gridlines = [Gridline(y(rank), rank, label, is_exit) for rank, label, is_exit in levels]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        gridlines=gridlines,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM + 20,
    )


def count_chart(measured: list[tuple[date, int]]) -> Chart:
    """A count over time (agencies approached), `measured` as (day, count) in date order:
    gridlines at nought, halfway and the highest count measured."""
    top = max([count for _day, count in measured] + [2])
    steps = sorted({0, top // 2, top})
    chart = level_chart([(n, str(n), False) for n in steps], measured)
    return Chart(**{**chart.__dict__, "is_count": True})
