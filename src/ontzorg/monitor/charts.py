"""Coordinates for the monitor's server-side SVG charts: horizontal bars, monthly columns
and the self-reliance transition grid.

Pure: plain data in, plain data out. The templates draw the SVG with a title and a
description, and always show the same figures as a table, so a chart is never the only way
to read them. A value of None is a suppressed group (fewer than five): it is not drawn."""

from dataclasses import dataclass
from datetime import date

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

WIDTH = 640
BAR_LEFT, BAR_RIGHT, BAR_ROW, BAR_TOP = 210, 70, 30, 8
COLUMN_HEIGHT, COLUMN_LEFT, COLUMN_BOTTOM, COLUMN_TOP = 240, 40, 40, 16
SERIES_COLOURS = ("#0b4f8a", "#a4161a", "#1d6b34")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str
    y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]
    description: str

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bars(items: list[tuple[str, float | None, str]], *, maximum: float | None = None) -> BarChart:
    """`items` as (label, value, text shown next to the bar)."""
    values = [value for _label, value, _text in items if value is not None]
    top = maximum or max(values, default=0) or 1
    plot = WIDTH - BAR_LEFT - BAR_RIGHT
    drawn = []
    for i, (label, value, text) in enumerate(items):
        width = round(plot * (value or 0) / top, 1)
        drawn.append(Bar(label, value, text, BAR_TOP + i * BAR_ROW, width, BAR_LEFT + width + 6))
    description = "; ".join(f"{label}: {text}" for label, _value, text in items)
    return BarChart(WIDTH, BAR_TOP * 2 + BAR_ROW * len(items), BAR_LEFT, drawn, description + ".")


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    colour: str


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    x: float
    columns: list[Column]


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    groups: list[ColumnGroup]
    series: list[tuple[str, str]]
    baseline: float
    top_value: int
    top_y: float
    description: str

    @property
    def empty(self) -> bool:
        return not any(c.value for g in self.groups for c in g.columns)


def month_label(month: date) -> str:
    return f"{MONTHS_3[month.month]} {month:%y}"


def columns(months: list[date], series: list[tuple[str, list[int]]]) -> ColumnChart:
    """One group of columns per month, one column per series (name, values per month)."""
    top = max((v for _name, values in series for v in values), default=0) or 1
    plot_height = COLUMN_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    slot = (WIDTH - COLUMN_LEFT - 10) / max(len(months), 1)
    width = max(4.0, round(slot * 0.8 / max(len(series), 1), 1))
    baseline = COLUMN_HEIGHT - COLUMN_BOTTOM
    groups = []
    for i, month in enumerate(months):
        left = COLUMN_LEFT + i * slot + slot * 0.1
        drawn = []
        for k, (_name, values) in enumerate(series):
            height = round(plot_height * values[i] / top, 1)
            drawn.append(
                Column(
                    round(left + k * width, 1),
                    baseline - height,
                    width,
                    height,
                    values[i],
                    SERIES_COLOURS[k % len(SERIES_COLOURS)],
                )
            )
        groups.append(ColumnGroup(month_label(month), round(left + slot * 0.4, 1), drawn))
    none = _("none")
    parts = []
    for name, values in series:
        months_text = ", ".join(
            f"{month_label(m)} {v}" for m, v in zip(months, values, strict=True) if v
        )
        parts.append(f"{name}: {months_text or none}")
    return ColumnChart(
        WIDTH,
        COLUMN_HEIGHT,
        groups,
        [(name, SERIES_COLOURS[k % len(SERIES_COLOURS)]) for k, (name, _v) in enumerate(series)],
        baseline,
        top,
        COLUMN_TOP,
        "; ".join(parts) + ".",
    )


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    size: float
    text: str
    fill: str
    ink: str


@dataclass(frozen=True)
class Transition:
    width: int
    height: int
    cells: list[Cell]
    rows: list[tuple[float, str]]
    columns: list[tuple[float, str]]
    description: str

    @property
    def empty(self) -> bool:
        return not any(cell.text not in ("0", "") for cell in self.cells)


GRID_LEFT, GRID_TOP, GRID_CELL = 230, 56, 80
# Light to dark blue; text turns white on the darker two.
SHADES = ("#f5f7fa", "#d6e4f2", "#a9c6e4", "#5b8fc4", "#0b4f8a")


def transition(labels: list[str], counts: dict[tuple[int, int], int | None]) -> Transition:
    """A grid: rows are the category at the nulmeting, columns the latest category; counts
    maps (row, column) (1-based) to a count, or None when suppressed."""
    top = max((v for v in counts.values() if v), default=0) or 1
    cells = []
    for r in range(1, len(labels) + 1):
        for c in range(1, len(labels) + 1):
            value = counts.get((r, c), 0)
            shade = 0 if not value else 1 + min(3, int(4 * value / (top + 1)))
            cells.append(
                Cell(
                    GRID_LEFT + (c - 1) * GRID_CELL,
                    GRID_TOP + (r - 1) * GRID_CELL,
                    GRID_CELL - 4,
                    "<5" if value is None else str(value),
                    SHADES[shade],
                    "#fff" if shade >= 3 else "#1b1f24",
                )
            )
    rows = [(GRID_TOP + (i + 0.5) * GRID_CELL, label) for i, label in enumerate(labels)]
    cols = [(GRID_LEFT + (i + 0.5) * GRID_CELL - 2, str(i + 1)) for i in range(len(labels))]
    parts = [
        _("from %(first)s to %(latest)s: %(count)s")
        % {
            "first": labels[r - 1],
            "latest": labels[c - 1],
            "count": _("fewer than 5") if v is None else v,
        }
        for (r, c), v in sorted(counts.items())
        if v != 0
    ]
    return Transition(
        WIDTH,
        GRID_TOP + GRID_CELL * len(labels) + 10,
        cells,
        rows,
        cols,
        ("; ".join(parts) or _("no participants with both measurements")) + ".",
    )
