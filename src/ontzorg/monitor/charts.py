"""Coordinates for the monitor's server-side SVG charts: horizontal bars, monthly columns
and the self-reliance transition grid.

Pure: plain data in, plain data out. The templates draw the SVG with a title and a
description, and always show the same figures as a table, so a chart is never the only way
to read them. A value of None is a suppressed group (fewer than five): it is not drawn.

A chart fills the width of its card and is never scaled: horizontal positions are
percentages of that width and vertical ones pixels, so text keeps its own size (at least
12 px, `MIN_FONT`) on a laptop and on a phone alike. Labels sit on their own line above a
bar or a row of cells, where a narrow card still has room for them."""

from dataclasses import dataclass
from datetime import date

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

MIN_FONT = 12
LABEL_FONT = 14
SERIES_COLOURS = ("#0b4f8a", "#a4161a", "#1d6b34")

# Bars: per row a label line (label left, figure right), then the bar below it.
BAR_ROW, BAR_LABEL_Y, BAR_Y, BAR_HEIGHT = 44, 16, 22, 16


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str
    text_y: int
    bar_y: int
    width: float  # percent of the chart's width


@dataclass(frozen=True)
class BarChart:
    height: int
    bars: list[Bar]
    description: str
    bar_height: int = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bars(items: list[tuple[str, float | None, str]], *, maximum: float | None = None) -> BarChart:
    """`items` as (label, value, text shown next to the label)."""
    values = [value for _label, value, _text in items if value is not None]
    top = maximum or max(values, default=0) or 1
    drawn = [
        Bar(
            label,
            value,
            text,
            i * BAR_ROW + BAR_LABEL_Y,
            i * BAR_ROW + BAR_Y,
            round(100 * min(value or 0, top) / top, 2),
        )
        for i, (label, value, text) in enumerate(items)
    ]
    description = "; ".join(f"{label}: {text}" for label, _value, text in items)
    return BarChart(BAR_ROW * len(items) + 4, drawn, description + ".")


# Columns: the top value is written above its gridline, the months below the baseline.
COLUMN_HEIGHT, COLUMN_TOP, COLUMN_BOTTOM = 240, 24, 28


@dataclass(frozen=True)
class Column:
    x: float  # percent
    y: float
    width: float  # percent
    height: float
    value: int
    colour: str


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    x: float  # percent, the middle of the month
    columns: list[Column]
    alternate: bool  # every other month: its label gives way in a narrow card


@dataclass(frozen=True)
class ColumnChart:
    height: int
    groups: list[ColumnGroup]
    series: list[tuple[str, str]]
    baseline: float
    top_value: int
    top_y: float
    label_y: float
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
    slot = 100 / max(len(months), 1)
    width = round(slot * 0.8 / max(len(series), 1), 2)
    baseline = COLUMN_HEIGHT - COLUMN_BOTTOM
    groups = []
    for i, month in enumerate(months):
        left = i * slot + slot * 0.1
        drawn = []
        for k, (_name, values) in enumerate(series):
            height = round(plot_height * values[i] / top, 1)
            drawn.append(
                Column(
                    round(left + k * width, 2),
                    round(baseline - height, 1),
                    width,
                    height,
                    values[i],
                    SERIES_COLOURS[k % len(SERIES_COLOURS)],
                )
            )
        # Counted from the last month, so the latest month always keeps its label.
        alternate = (len(months) - 1 - i) % 2 == 1
        groups.append(ColumnGroup(month_label(month), round((i + 0.5) * slot, 2), drawn, alternate))
    none = _("none")
    parts = []
    for name, values in series:
        months_text = ", ".join(
            f"{month_label(m)} {v}" for m, v in zip(months, values, strict=True) if v
        )
        parts.append(f"{name}: {months_text or none}")
    return ColumnChart(
        COLUMN_HEIGHT,
        groups,
        [(name, SERIES_COLOURS[k % len(SERIES_COLOURS)]) for k, (name, _v) in enumerate(series)],
        baseline,
        top,
        COLUMN_TOP,
        baseline + 20,
        "; ".join(parts) + ".",
    )


@dataclass(frozen=True)
class Cell:
    x: float  # percent
    middle: float  # percent
    y: float
    text_y: float
    width: float  # percent
    text: str
    fill: str
    ink: str


@dataclass(frozen=True)
class TransitionRow:
    label: str
    label_y: float
    cells: list[Cell]


@dataclass(frozen=True)
class Transition:
    height: int
    rows: list[TransitionRow]
    columns: list[tuple[float, str]]  # (middle in percent, header)
    cell_height: int
    description: str

    @property
    def empty(self) -> bool:
        return not any(cell.text not in ("0", "") for row in self.rows for cell in row.cells)


# Grid: a header line, a line with the column numbers, then per row its label and cells.
GRID_TOP, GRID_ROW, GRID_LABEL_Y, GRID_CELL_Y, GRID_CELL = 48, 76, 16, 22, 48
# Light to dark blue; text turns white on the darker two.
SHADES = ("#f5f7fa", "#d6e4f2", "#a9c6e4", "#5b8fc4", "#0b4f8a")


def transition(labels: list[str], counts: dict[tuple[int, int], int | None]) -> Transition:
    """A grid: rows are the category at the nulmeting, columns the latest category; counts
    maps (row, column) (1-based) to a count, or None when suppressed."""
    top = max((v for v in counts.values() if v), default=0) or 1
    share = 100 / max(len(labels), 1)
    rows = []
    for r in range(1, len(labels) + 1):
        row_top = GRID_TOP + (r - 1) * GRID_ROW
        cells = []
        for c in range(1, len(labels) + 1):
            value = counts.get((r, c), 0)
            shade = 0 if not value else 1 + min(3, int(4 * value / (top + 1)))
            cells.append(
                Cell(
                    round((c - 1) * share + 0.5, 2),
                    round((c - 0.5) * share, 2),
                    row_top + GRID_CELL_Y,
                    row_top + GRID_CELL_Y + 30,
                    round(share - 1, 2),
                    "<5" if value is None else str(value),
                    SHADES[shade],
                    "#fff" if shade >= 3 else "#1b1f24",
                )
            )
        rows.append(TransitionRow(labels[r - 1], row_top + GRID_LABEL_Y, cells))
    cols = [(round((i + 0.5) * share, 2), str(i + 1)) for i in range(len(labels))]
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
        GRID_TOP + GRID_ROW * len(labels),
        rows,
        cols,
        GRID_CELL,
        ("; ".join(parts) or _("no participants with both measurements")) + ".",
    )
