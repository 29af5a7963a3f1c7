"""The figures of the "what works for whom" page: an outcome of the comparison groups side by
side, over the time since the start and per characteristic (household, age, literacy, mode,
guiding organisation), from each region's latest snapshot.

One grouped query over the snapshot rows (group x months since the start x characteristic),
added up here, so the page costs the same for 100 or 100,000 people. With `suppress`, a group
of 1 to 4 people shows no figures and an outcome of 1 to 4 people is shown as "<5" without a
percentage, as on the dashboard and in the export (`SMALLEST_GROUP`)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.constants import Literacy
from ontzorg.regelingen.constants import Mode

from . import charts
from .constants import (
    SMALLEST_GROUP,
    AgeBand,
    Category,
    ComparisonGroup,
    HouseholdType,
    MonthsBand,
    months_band,
)
from .models import Snapshot, SnapshotRow

OUTCOMES = {
    "outflow": (_("outflow to work"), Q(outflow_to_work=True)),
    "benefit_ended": (_("bijstand ended"), Q(benefit_ended=True)),
    "self_reliant": (_("financially self-reliant now"), Q(latest_category=Category.SELF_RELIANT)),
    "improved": (
        _("higher category than at the baseline"),
        Q(latest_category__gt=F("first_category")),
    ),
    "no_arrears": (_("no known arrears"), Q(arrears_now_cents=0)),
    "less_debt": (
        _("less debt than at the start (inventory)"),
        Q(debt_now_cents__lt=F("debt_start_cents")),
    ),
    "less_stress": (
        _("less money stress than at the first measurement"),
        Q(stress_latest__gt=F("stress_first")),
    ),
    "language_up": (
        _("higher language level than at the first measurement"),
        Q(language_latest__gt=F("language_first")),
    ),
}
# The outcomes side by side in the table per group (the page's columns); all of them can be
# chosen for the breakdowns.
OVERALL = ("outflow", "benefit_ended", "self_reliant", "improved", "no_arrears", "less_debt")
BREAKDOWNS = {
    "household_type": (_("household"), HouseholdType.choices),
    "age_band": (_("age"), AgeBand.choices),
    "literacy": (_("literacy"), Literacy.choices),
    "mode": (_("mode of ontzorgen"), Mode.choices),
    "guidance_organisation": (_("guiding organisation"), None),
}
# Compared side by side; who waits for the draw or a plan is counted, not compared.
COMPARED = [g for g in ComparisonGroup if g != ComparisonGroup.WAITING]
NO_START = ""


@dataclass(frozen=True)
class Cell:
    """n people of whom `count` had the outcome; None where suppressed."""

    n: int | None
    count: int | None
    percent: float | None
    too_small: bool = False

    @property
    def empty(self) -> bool:
        return self.n == 0


def cell(n: int, count: int, suppress: bool) -> Cell:
    if suppress and 0 < n < SMALLEST_GROUP:
        return Cell(None, None, None, too_small=True)
    if suppress and 0 < count < SMALLEST_GROUP:
        return Cell(n, None, None)
    return Cell(n, count, round(100 * count / n, 1) if n else None)


@dataclass
class Comparison:
    snapshots: list
    outcome: str
    outcome_label: str
    breakdown: str
    breakdown_label: str
    suppress: bool
    groups: list[tuple[str, str]]  # compared groups present: (value, label)
    overall: list[tuple[str, Cell, dict]]  # per group: label, people, {outcome: cell}
    bands: list[tuple[str, str]]
    over_time: list[tuple[str, list[Cell]]]  # per group: label, a cell per band
    time_chart: object
    per_value: list[tuple[str, list[Cell]]]  # per characteristic value: a cell per group
    value_chart: object

    @property
    def comparable(self) -> bool:
        """Whether there is anyone to compare the participants with."""
        return len(self.groups) > 1


def _counted(rows, breakdown: str) -> list[dict]:
    return list(
        rows.values("comparison_group", "months_since_start", breakdown)
        .annotate(
            n=Count("pk"),
            **{name: Count("pk", filter=q) for name, (_label, q) in OUTCOMES.items()},
        )
        .order_by()
    )


def _add(totals: dict, key, found: dict) -> None:
    total = totals.setdefault(key, dict.fromkeys(("n", *OUTCOMES), 0))
    for name in total:
        total[name] += found[name]


def _text(c: Cell) -> str:
    if c.too_small:
        return str(_("group too small"))
    if c.count is None:
        return f"<5 (n = {c.n})"
    return f"{c.percent or 0:.0f}% (n = {c.n})".replace(".", ",")


def _chart(items: list[tuple[str, Cell]]):
    """Bars of the percentages; a suppressed or empty cell is named but not drawn."""
    return charts.bars(
        [(label, c.percent, _text(c)) for label, c in items if not c.empty], maximum=100
    )


def compare(region_ids: list[int], *, outcome: str, breakdown: str, suppress: bool) -> Comparison:
    snapshots = Snapshot.objects.latest_per_region(region_ids)
    rows = SnapshotRow.objects.filter(snapshot__in=[s.pk for s in snapshots])
    by_group: dict = {}
    by_band: dict = {}
    by_value: dict = {}
    for found in _counted(rows, breakdown):
        # Rows of version 1 hold no group and no time: they were all participants.
        group = found["comparison_group"] or ComparisonGroup.PARTICIPANT
        band = months_band(found["months_since_start"])
        _add(by_group, group, found)
        _add(by_band, (group, band), found)
        _add(by_value, (found[breakdown] or "", group), found)

    groups = [(g.value, g.label) for g in COMPARED if g in by_group]
    overall = [
        (
            g.label,
            cell(by_group[g]["n"], by_group[g]["n"], suppress),
            {name: cell(by_group[g]["n"], by_group[g][name], suppress) for name in OVERALL},
        )
        for g in ComparisonGroup
        if g in by_group
    ]

    present = {band for _group, band in by_band}
    bands = [(b.value, b.label) for b in MonthsBand if b in present]
    if NO_START in present:
        bands.append((NO_START, _("start not known")))
    empty = dict.fromkeys(("n", *OUTCOMES), 0)
    over_time = []
    time_items = []
    for value, label in groups:
        cells = []
        for band, band_label in bands:
            counts = by_band.get((value, band), empty)
            cells.append(cell(counts["n"], counts[outcome], suppress))
            time_items.append((f"{band_label} · {label}", cells[-1]))
        over_time.append((label, cells))

    title, choices = BREAKDOWNS[breakdown]
    if choices is None:  # organisations: by name, those without one last
        names = sorted({v for v, _g in by_value if v})
        choices = [(name, name) for name in names]
        if any(not v for v, _g in by_value):
            choices.append(("", _("no guiding organisation")))
    per_value = []
    value_items = []
    for value, label in choices:
        if not any((value, g) in by_value for g, _l in groups):
            continue
        cells = []
        for group, group_label in groups:
            counts = by_value.get((value, group), empty)
            cells.append(cell(counts["n"], counts[outcome], suppress))
            value_items.append((f"{label} · {group_label}", cells[-1]))
        per_value.append((label, cells))

    return Comparison(
        snapshots=snapshots,
        outcome=outcome,
        outcome_label=OUTCOMES[outcome][0],
        breakdown=breakdown,
        breakdown_label=title,
        suppress=suppress,
        groups=groups,
        overall=overall,
        bands=bands,
        over_time=over_time,
        time_chart=_chart(time_items),
        per_value=per_value,
        value_chart=_chart(value_items),
    )
