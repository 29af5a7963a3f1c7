"""The figures of the projectleider's dashboard, for one region or several, as aggregate
queries (a handful per page, whatever the number of participants).

Two sources, both named on the page: the phases and the monthly series (shortfalls,
returns, signals after the end) are current; the outcomes (self-reliance, outflow, money,
guidance hours, comparisons by mode and group) come from each region's latest snapshot, so
they match what the evaluators export. They are of the participants; the comparison groups
(not drawn, not eligible, opted out, waiting) have one table of their own here and the
"what works for whom" page (`whatworks`). With `suppress`, groups of 1 to 4 are not shown."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.constants import Literacy, Phase
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import ShortfallCase
from ontzorg.plans.models import next_month
from ontzorg.regelingen.constants import Mode
from ontzorg.signals.models import Signal

from . import charts, returns
from .constants import (
    PILOT_PHASES,
    SMALLEST_GROUP,
    AgeBand,
    Category,
    ComparisonGroup,
    HouseholdType,
)
from .facts_time import end_of_day
from .models import Snapshot, SnapshotRow

MONTHS_SHOWN = 12
HOUR_BANDS = [
    (_("none"), 0, 0),
    (_("under 2 hours"), 1, 119),
    (_("2 to 5 hours"), 120, 299),
    (_("5 to 10 hours"), 300, 599),
    (_("10 to 20 hours"), 600, 1199),
    (_("20 hours or more"), 1200, None),
]
GROUPS = [
    ("age_band", _("Age"), AgeBand),
    ("household_type", _("Household"), HouseholdType),
    ("literacy", _("Literacy"), Literacy),
]


def _hide(count: int, suppress: bool):
    return None if suppress and 0 < count < SMALLEST_GROUP else count


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _months(today: date) -> list[date]:
    """The first days of the last MONTHS_SHOWN months, this one included."""
    last = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(last - MONTHS_SHOWN + 1, last + 1)]


@dataclass
class Outcome:
    """Outcomes of a group: counts, or None where the group is too small to show."""

    label: str
    n: int | None
    self_reliant: int | None = None
    improved: int | None = None
    outflow: int | None = None
    too_small: bool = False

    @property
    def self_reliant_percent(self):
        return None if self.too_small else _percent(self.self_reliant or 0, self.n or 0)

    @property
    def improved_percent(self):
        return None if self.too_small else _percent(self.improved or 0, self.n or 0)

    @property
    def outflow_percent(self):
        return None if self.too_small else _percent(self.outflow or 0, self.n or 0)


@dataclass
class Figures:
    snapshots: list
    phases: list[tuple[str, str, int]]
    totals: dict
    transition: dict
    transition_chart: object
    unmeasured: dict
    hours: list[tuple[str, int | None]]
    hours_chart: object
    by_mode: list[Outcome]
    mode_chart: object
    by_group: list[tuple[str, list[Outcome], object, str]]
    months: list[date]
    monthly: list[dict]
    money_chart: object
    signals_chart: object
    phase_chart: object
    suppress: bool
    regions: list = field(default_factory=list)


OUTCOME_COUNTS = dict(
    n=Count("pk"),
    self_reliant=Count("pk", filter=Q(latest_category=Category.SELF_RELIANT)),
    improved=Count("pk", filter=Q(latest_category__gt=F("first_category"))),
    outflow=Count("pk", filter=Q(outflow_to_work=True)),
)


GROUPED_BY = ("mode", "age_band", "household_type", "literacy", "first_category")
GROUPED_BY += ("latest_category", "comparison_group", "guidance_organisation")
_EMPTY_GROUP = dict.fromkeys(
    ["g_n", "g_outflow", "g_withheld_cents", "g_withheld_months", "g_reserves_cents"]
    + ["g_with_shortfall", "g_returned", "g_signals_total", "g_with_signal_after_end"]
    + ["g_guidance_total", "g_arrears_start_cents", "g_arrears_now_cents"]
    + ["g_debt_start_cents", "g_debt_now_cents", "g_with_debt_known", "g_referred"]
    + [f"g_hours_{i}" for i in range(len(HOUR_BANDS))],
    0,
)


def _outcome(label, row, suppress) -> Outcome:
    if suppress and row["n"] < SMALLEST_GROUP:
        return Outcome(label, _hide(row["n"], suppress), too_small=True)
    return Outcome(
        label,
        row["n"],
        _hide(row["self_reliant"], suppress),
        _hide(row["improved"], suppress),
        _hide(row["outflow"], suppress),
    )


def _outcomes(groups, field_name, choices, suppress) -> list[Outcome]:
    """Outcomes per value of `field_name`, added up from the grouped rows."""
    found = _added_up(groups, field_name)
    return [
        _outcome(label, found[value], suppress)
        for value, label in choices.choices
        if value in found
    ]


def _organisation_outcomes(groups, suppress) -> list[Outcome]:
    """Outcomes per guiding organisation (by name, as the snapshot holds it)."""
    found = _added_up(groups, "guidance_organisation")
    named = sorted(name for name in found if name)
    outcomes = [_outcome(name, found[name], suppress) for name in named]
    if "" in found:
        outcomes.append(_outcome(str(_("no guiding organisation")), found[""], suppress))
    return outcomes


def _added_up(groups, field_name) -> dict:
    found: dict = {}
    for group in groups:
        total = found.setdefault(
            group[field_name], {"n": 0, "self_reliant": 0, "improved": 0, "outflow": 0}
        )
        first, latest = group["first_category"], group["latest_category"]
        total["n"] += group["g_n"]
        total["outflow"] += group["g_outflow"]
        if latest == Category.SELF_RELIANT:
            total["self_reliant"] += group["g_n"]
        if first is not None and latest is not None and latest > first:
            total["improved"] += group["g_n"]
    return found


def _outcome_chart(outcomes: list[Outcome]):
    return charts.bars(
        [
            (
                o.label,
                o.self_reliant_percent,
                _("group too small")
                if o.too_small
                else f"{o.self_reliant_percent or 0:.0f}% (n = {o.n})".replace(".", ","),
            )
            for o in outcomes
        ],
        maximum=100,
    )


def figures(region_ids: list[int], *, today: date, suppress: bool) -> Figures:
    snapshots = Snapshot.objects.latest_per_region(region_ids)
    rows = SnapshotRow.objects.filter(snapshot__in=[s.pk for s in snapshots]).order_by()

    phase_counts = dict(
        Participant.objects.filter(regeling__region_id__in=region_ids, phase__in=PILOT_PHASES)
        .order_by()
        .values("phase")
        .annotate(n=Count("pk"))
        .values_list("phase", "n")
    )
    phases = [(value, Phase(value).label, phase_counts.get(value, 0)) for value in PILOT_PHASES]

    # One pass over the snapshot rows: grouped by everything the page breaks down by (a few
    # thousand groups at most), then added up here for each table and chart.
    everyone = list(
        rows.values(*GROUPED_BY).annotate(
            g_n=Count("pk"),
            g_outflow=Count("pk", filter=Q(outflow_to_work=True)),
            g_withheld_cents=Sum("withheld_cents"),
            g_withheld_months=Sum("withheld_months"),
            g_reserves_cents=Sum("reserves_cents"),
            g_with_shortfall=Count("pk", filter=Q(shortfall_months__gt=0)),
            g_returned=Sum("returned_payments"),
            g_signals_total=Sum("signals_after_end"),
            g_with_signal_after_end=Count("pk", filter=Q(signals_after_end__gt=0)),
            g_guidance_total=Sum("guidance_minutes"),
            g_arrears_start_cents=Sum("arrears_start_cents"),
            g_arrears_now_cents=Sum("arrears_now_cents"),
            g_debt_start_cents=Sum("debt_start_cents"),
            g_debt_now_cents=Sum("debt_now_cents"),
            g_with_debt_known=Count("pk", filter=Q(debt_now_cents__isnull=False)),
            g_referred=Count("pk", filter=Q(referrals__gt=0)),
            **{
                f"g_hours_{i}": _band_count(low, high)
                for i, (_l, low, high) in enumerate(HOUR_BANDS)
            },
        )
    )
    for group in everyone:  # version 1 rows hold neither: they were all participants
        group["comparison_group"] = group["comparison_group"] or ComparisonGroup.PARTICIPANT
        group["guidance_organisation"] = group["guidance_organisation"] or ""
    groups = [g for g in everyone if g["comparison_group"] == ComparisonGroup.PARTICIPANT]
    totals = {
        name[2:]: sum(group[name] or 0 for group in groups)
        for name in (groups[0] if groups else _EMPTY_GROUP)
        if name.startswith("g_")
    }
    n = totals["n"]
    totals["outflow_percent"] = _percent(totals["outflow"], n)
    totals["withheld_per_month_cents"] = (
        round(totals["withheld_cents"] / totals["withheld_months"])
        if totals["withheld_months"]
        else 0
    )
    totals["guidance_hours_average"] = round(totals["guidance_total"] / 60 / n, 1) if n else None

    transition = {}
    unmeasured = {"first": 0, "latest": 0}
    for row in groups:
        first, latest = row["first_category"], row["latest_category"]
        if first is None:
            unmeasured["first"] += row["g_n"]
        if latest is None:
            unmeasured["latest"] += row["g_n"]
        if first is not None and latest is not None:
            transition[(first, latest)] = transition.get((first, latest), 0) + row["g_n"]
    shown = {key: _hide(value, suppress) for key, value in transition.items()}
    transition_chart = charts.transition([label for _v, label in Category.choices], shown)

    hours = [
        (label, _hide(totals[f"hours_{i}"], suppress))
        for i, (label, _lo, _hi) in enumerate(HOUR_BANDS)
    ]
    hours_chart = charts.bars(
        [(label, count, "<5" if count is None else str(count)) for label, count in hours]
    )

    by_mode = _outcomes(groups, "mode", Mode, suppress)
    by_group = []
    for field_name, title, choices in GROUPS:
        outcomes = _outcomes(groups, field_name, choices, suppress)
        by_group.append((title, outcomes, _outcome_chart(outcomes), field_name))
    organisations = _organisation_outcomes(groups, suppress)
    if organisations:
        chart = _outcome_chart(organisations)
        by_group.append((_("Guiding organisation"), organisations, chart, "guidance_organisation"))
    compared = _outcomes(everyone, "comparison_group", ComparisonGroup, suppress)
    if len(compared) > 1:
        chart = _outcome_chart(compared)
        by_group.append((_("Comparison group"), compared, chart, "comparison_group"))

    months = _months(today)
    monthly = _monthly(region_ids, months)
    money_chart = charts.columns(
        months,
        [
            (_("Shortfalls"), [m["shortfalls"] for m in monthly]),
            (_("Returned payments"), [m["returns"] for m in monthly]),
        ],
    )
    signals_chart = charts.columns(
        months, [(_("Signals after the end"), [m["signals_after_end"] for m in monthly])]
    )
    phase_chart = charts.bars([(label, count, str(count)) for _v, label, count in phases])
    return Figures(
        snapshots=snapshots,
        phases=phases,
        totals=totals,
        transition={
            "rows": [
                (label, [shown.get((first, latest), 0) for latest in Category.values])
                for first, label in Category.choices
            ],
            "total": sum(transition.values()),
        },
        transition_chart=transition_chart,
        unmeasured=unmeasured,
        hours=hours,
        hours_chart=hours_chart,
        by_mode=by_mode,
        mode_chart=_outcome_chart(by_mode),
        by_group=by_group,
        months=months,
        monthly=monthly,
        money_chart=money_chart,
        signals_chart=signals_chart,
        phase_chart=phase_chart,
        suppress=suppress,
    )


def _band_count(low: int, high: int | None):
    condition = Q(guidance_minutes__gte=low)
    if high is not None:
        condition &= Q(guidance_minutes__lte=high)
    return Count("pk", filter=condition)


def _monthly(region_ids, months: list[date]) -> list[dict]:
    first, last = months[0], next_month(months[-1])
    shortfalls = dict(
        ShortfallCase.objects.filter(
            run__region_id__in=region_ids, run__period__gte=first, run__period__lt=last
        )
        .exclude(run__status=RunStatus.CANCELLED)
        .order_by()
        .values("run__period")
        .annotate(n=Count("pk"))
        .values_list("run__period", "n")
    )
    returned = returns.count_per_month(region_ids, first, last - date.resolution)
    signals = {}
    rows = (
        Signal.objects.filter(
            participant__regeling__region_id__in=region_ids,
            after_end=True,
            received_at__gte=end_of_day(first - date.resolution),
            received_at__lt=end_of_day(last - date.resolution),
        )
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        signals[month] = signals.get(month, 0) + row["n"]
    return [
        {
            "month": month,
            "label": charts.month_label(month),
            "shortfalls": shortfalls.get(month, 0),
            "returns": returned.get(month, 0),
            "signals_after_end": signals.get(month, 0),
        }
        for month in months
    ]


def per_region(region_ids: list[int], *, suppress: bool) -> list[dict]:
    """One line per region for the overview: its latest snapshot's main outcomes."""
    snapshots = Snapshot.objects.latest_per_region(region_ids)
    found = {
        row["snapshot__region_id"]: row
        for row in SnapshotRow.objects.filter(snapshot__in=[s.pk for s in snapshots])
        .participants()
        .order_by()
        .values("snapshot__region_id")
        .annotate(**OUTCOME_COUNTS)
    }
    result = []
    for snapshot in snapshots:
        row = found.get(
            snapshot.region_id, {"n": 0, "self_reliant": 0, "improved": 0, "outflow": 0}
        )
        result.append(
            {"snapshot": snapshot, "outcome": _outcome(snapshot.region_id, row, suppress)}
        )
    return result
