""" "Ontzorgen eindigt binnen 30 dagen" follows the plan's end, an extension included; without
a plan it is the provisional end, the last day of the minimum duration (core.dates)."""

from datetime import date

import pytest

from ontzorg.participants import attention
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory, active_participant
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanDecisionKind

pytestmark = pytest.mark.django_db

ENDING_SOON = "einde-binnen-30-dagen"


def ending_soon(user) -> set[Participant]:
    check = attention.get(ENDING_SOON, user)
    return set(check.filter(Participant.objects.visible_to(user), user))


def test_an_extended_participant_is_flagged_at_the_new_end_not_the_old(
    frozen_clock, regeling, klantmanager
):
    # Six months from 1 October 2025: the last day is 31 March 2026, within 30 days of 16 March.
    participant = ParticipantFactory(regeling=regeling, bijstand_start_on=date(2025, 10, 1))
    plan = plans.create_plan(klantmanager, participant)
    assert plan.planned_end_on == date(2026, 3, 31)
    assert ending_soon(klantmanager) == {participant}

    plans.decide_end_or_extend(
        klantmanager,
        plan,
        PlanDecisionKind.EXTEND,
        date(2026, 9, 30),
        "Nog niet zelfredzaam; de vaste lasten lopen nog niet vanzelf.",
    )

    assert ending_soon(klantmanager) == set()
    frozen_clock.move_to("2026-09-01 10:00:00+02:00")
    assert ending_soon(klantmanager) == {participant}
    frozen_clock.move_to("2026-10-01 10:00:00+02:00")
    assert ending_soon(klantmanager) == set()


def test_a_plan_from_the_bijstand_start_ends_on_the_last_day_of_the_minimum_duration(
    frozen_clock, regeling, klantmanager
):
    # 16 March + 30 days is 15 April: the period from 16 October ends on 15 April (flagged),
    # the one from 17 October on 16 April (not yet).
    last_day_in = active_participant(regeling, bijstand_start_on=date(2025, 10, 16))
    active_participant(regeling, bijstand_start_on=date(2025, 10, 17))
    # Ended yesterday: no longer "ends within 30 days".
    active_participant(regeling, bijstand_start_on=date(2025, 9, 16))

    assert last_day_in.provisional_end_on == date(2026, 4, 15)
    assert ending_soon(klantmanager) == {last_day_in}
