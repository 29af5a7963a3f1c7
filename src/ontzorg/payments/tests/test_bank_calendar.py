"""Every pain.001 file a run or a repayment writes asks for TARGET2 business days, never a
day in the past, and the run page says when the money arrives."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from lxml import etree

from ontzorg.core import bankdays
from ontzorg.payments import services
from ontzorg.plans.models import Plan, PlanLine
from ontzorg.regelingen.constants import CostCategory

from .test_runs import decide

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 1)


def execution_dates(run):
    """Every requested execution date in the run's exported files."""
    found = set()
    for payment_file in run.files.all():
        with default_storage.open(payment_file.file.name) as f:
            tree = etree.parse(f)
        for element in tree.iter("{*}ReqdExctnDt"):
            found.add(date.fromisoformat("".join(element.itertext()).strip()))
    return found


def december_run(backoffice, approver, region, *, rent_day, energy_day):
    """An approved December 2026 run whose rent and energy fall on the given days."""
    Plan.objects.update(planned_end_on=date(2027, 6, 30))
    PlanLine.objects.filter(category=CostCategory.HUUR).update(day_of_month=rent_day)
    PlanLine.objects.filter(category=CostCategory.ENERGIE).update(day_of_month=energy_day)
    run = services.prepare_run(backoffice, region, DECEMBER)
    decide(backoffice, run)
    services.approve_run(approver, run)
    return run


@pytest.mark.parametrize(
    ("rent_day", "energy_day", "moved"),
    [
        (5, 25, {date(2026, 12, 7), date(2026, 12, 28)}),  # Saturday; Christmas
        (26, 10, {date(2026, 12, 28), date(2026, 12, 10)}),  # 26 December; a Thursday stays
    ],
)
def test_exported_run_asks_only_for_business_days(
    frozen_clock, backoffice, approver, region, ready_region, rent_day, energy_day, moved
):
    frozen_clock.move_to("2026-11-20 10:00+01:00")
    run = december_run(backoffice, approver, region, rent_day=rent_day, energy_day=energy_day)
    services.export_run(approver, run)
    run.refresh_from_db()
    dates = execution_dates(run)
    assert moved <= dates
    assert all(bankdays.is_business_day(day) for day in dates)
    assert {date(2026, 12, 5), date(2026, 12, 25), date(2026, 12, 26)}.isdisjoint(dates)
    assert {e.execution_on for e in services.execution_days(run)} == dates


def test_a_file_made_late_is_never_dated_in_the_past_or_after_the_cut_off_today(
    frozen_clock, backoffice, approver, region, ready_region, settings
):
    settings.ONTZORG_PAYMENT_CUTOFF = "14:00"
    run = december_run(backoffice, approver, region, rent_day=1, energy_day=3)
    # Made on Thursday 3 December at 15:00: rent (the 1st) and energy (today) both go on Friday.
    frozen_clock.move_to("2026-12-03 15:00+01:00")
    services.export_run(approver, run)
    run.refresh_from_db()
    assert execution_dates(run) == {date(2026, 12, 4)}
    # Exporting again later writes the same file: the dates are those of the first export.
    frozen_clock.move_to("2026-12-10 09:00+01:00")
    services.export_run(approver, run)
    assert execution_dates(run) == {date(2026, 12, 4)}


def test_run_page_shows_the_day_the_money_arrives(
    frozen_clock, client, backoffice, approver, region, ready_region
):
    frozen_clock.move_to("2026-11-20 10:00+01:00")
    run = december_run(backoffice, approver, region, rent_day=5, energy_day=15)
    client.force_login(backoffice)
    page = client.get(reverse("payments:detail", args=[run.pk])).text
    assert "bijgeschreven op maandag 7 december 2026" in page
    assert "zaterdag 5 december" not in page
