"""A participant with a plan running today: dates relative to today, two fixed costs with
machtigingen and bijstand, so the payment run pays them."""

from datetime import date, timedelta

from django.utils import timezone

from ontzorg.core.dates import add_months, planned_end_on
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.models import Machtiging
from ontzorg.plans.tests.factories import (
    CreditorFactory,
    IncomeFactory,
    PlanFactory,
    PlanLineFactory,
)
from ontzorg.regelingen.constants import CostCategory


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def running_plan(regeling, *, months_ago: int = 5, **participant):
    """A plan that started `months_ago` months ago on the first; with the regeling's minimum
    of six months its planned end is the last day of next month minus (months_ago - 5)."""
    start = add_months(this_month(), -months_ago)
    person = ParticipantFactory(
        regeling=regeling, bijstand_start_on=start, arrival_on=start, **participant
    )
    plan = PlanFactory(
        participant=person,
        start_on=start,
        planned_end_on=planned_end_on(start, regeling.min_duration_months),
    )
    rent = PlanLineFactory(plan=plan, category=CostCategory.HUUR, amount_cents=65_000)
    energy = PlanLineFactory(
        plan=plan,
        category=CostCategory.ENERGIE,
        creditor=CreditorFactory(category=CreditorCategory.ENERGIE),
        day_of_month=5,
        amount_cents=12_000,
    )
    for line in (rent, energy):
        Machtiging.objects.create(
            participant=person, creditor=line.creditor, signed_on=start - timedelta(days=3)
        )
    IncomeFactory(participant=person, amount_cents=130_061, valid_from=start)
    return plan, rent, energy


def measure(participant, instrument, rank, *, moment=Moment.EINDMETING, days_ago=3, by=None):
    from ontzorg.accounts.tests.factories import UserFactory

    return Measurement.objects.create(
        participant=participant,
        instrument=instrument,
        moment=moment,
        measured_on=timezone.localdate() - timedelta(days=days_ago),
        level=instrument.levels.get(rank=rank),
        perspective=Perspective.CASE_WORKER,
        assessed_by=by or UserFactory(),
    )
