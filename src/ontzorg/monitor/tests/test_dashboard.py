"""Dashboard figures equal the same figures computed straight from the ledger, the
measurements and the other source tables."""

from datetime import date

import pytest
from django.db.models import Sum

from ontzorg.banking.models import ReturnedPayment
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.monitor import dashboard, services
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.participants.constants import Phase
from ontzorg.payments.models import ShortfallCase
from ontzorg.signals.models import Signal

TODAY = date(2026, 4, 15)


@pytest.fixture
def data(regeling, projectleider):
    found = pilot(regeling, n=8)
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    return found


@pytest.fixture
def shown(data):
    return dashboard.figures([data.regeling.region_id], today=TODAY, suppress=False)


def test_money_equals_the_ledger(db, data, shown):
    entries = Entry.objects.filter(
        account__participant__in=data.people, transaction__booked_on__lte=AS_OF
    )
    withheld = -entries.filter(account__kind=AccountKind.WITHHELD, amount_cents__lt=0).aggregate(
        t=Sum("amount_cents")
    )["t"]
    reserves = -entries.filter(account__kind=AccountKind.SAVINGS).aggregate(t=Sum("amount_cents"))[
        "t"
    ]
    assert (
        shown.totals["withheld_cents"]
        == withheld
        == sum(3 * (80_000 + 1_000 * i) for i in range(8))
    )
    assert shown.totals["reserves_cents"] == reserves == 8 * 2_500
    assert shown.totals["withheld_per_month_cents"] == round(withheld / 24)


def test_self_reliance_movement_equals_the_measurements(db, data, shown):
    expected = {}
    for participant in data.people:
        measured = Measurement.objects.filter(participant=participant, measured_on__lte=AS_OF)
        measured = measured.exclude(perspective=Perspective.PARTICIPANT).order_by(
            "measured_on", "created_at", "pk"
        )
        first = measured.filter(moment=Moment.NULMETING).first()
        latest = measured.last()
        key = (first.level.category, latest.level.category)
        expected[key] = expected.get(key, 0) + 1
    for first, (label, cells) in zip((1, 2, 3), shown.transition["rows"], strict=True):
        assert label
        for latest, count in zip((1, 2, 3), cells, strict=True):
            assert count == expected.get((first, latest), 0)
    assert shown.transition["total"] == len(data.people)
    improved = sum(n for (first, latest), n in expected.items() if latest > first)
    assert sum(o.improved for o in shown.by_mode) == improved


def test_current_figures_equal_the_source_tables(db, data, shown):
    phases = {value: n for value, _label, n in shown.phases}
    assert phases[Phase.ACTIVE] == len(data.people)
    assert sum(phases.values()) == len(data.people)
    january = next(m for m in shown.monthly if m["month"] == date(2026, 1, 1))
    assert (
        january["shortfalls"]
        == ShortfallCase.objects.filter(run__period=date(2026, 1, 1)).count()
        == 1
    )
    assert january["returns"] == ReturnedPayment.objects.count() == 1
    assert shown.totals["returned"] == 1
    march = next(m for m in shown.monthly if m["month"] == date(2026, 3, 1))
    assert march["signals_after_end"] == Signal.objects.filter(after_end=True).count() == 1
    assert shown.totals["outflow"] == 1
    assert shown.totals["with_shortfall"] == 1


def test_guidance_hours_per_participant(db, data, shown):
    hours = dict(shown.hours)
    # 30 + 15 i minutes of contact plus a 90-minute session: 120 to 225 minutes each.
    assert hours["2 tot 5 uur"] == 8
    assert sum(n for label, n in hours.items() if label != "2 tot 5 uur") == 0
    assert shown.totals["guidance_hours_average"] == round(
        sum(30 + 15 * i + 90 for i in range(8)) / 60 / 8, 1
    )


def test_groups_below_five_are_suppressed_for_who_may_not_see_them(db, data):
    region = [data.regeling.region_id]
    exact = dashboard.figures(region, today=TODAY, suppress=False)
    hidden = dashboard.figures(region, today=TODAY, suppress=True)
    literacy = dict((t, o) for t, o, _c, _k in exact.by_group)["Geletterdheid"]
    assert [o.n for o in literacy] == [4, 4]
    literacy = dict((t, o) for t, o, _c, _k in hidden.by_group)["Geletterdheid"]
    assert all(o.too_small and o.n is None for o in literacy)
    assert all(
        count is None or count == 0 or count >= 5
        for row in hidden.transition["rows"]
        for count in row[1]
    )


def test_without_a_snapshot_only_current_figures(db, regeling):
    shown = dashboard.figures([regeling.region_id], today=TODAY, suppress=False)
    assert shown.snapshots == [] and shown.totals["n"] == 0
    assert shown.transition["total"] == 0
