"""Is what a plan pays plausible? Two guards, configured per regeling (or region):

- **Ceilings per cost category** (``regelingen.ceilings``): a monthly amount above the
  ceiling is refused, one in the warning band only goes through once someone confirms it.
  `check_amount` is called by the plan services that set an amount (``add_line``,
  ``change_amount``), so the pages, the admin and imports all obey it.
- **Leefgeld floor**: a warning when what the participant keeps to live on in a month falls
  below ``Regeling.low_allowance_share`` of the bijstand norm (per person in the benefit who
  has a plan of their own). Shown on the plan page and, per run, to the approver.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ontzorg.core.dates import month_end
from ontzorg.core.money import euro
from ontzorg.exceptions import Refused
from ontzorg.regelingen import ceilings
from ontzorg.regelingen.constants import CostCategory

from . import norms, reading, withholding
from .models import Plan

# --- ceilings per cost category ---------------------------------------------------------------


@dataclass(frozen=True)
class HighAmount:
    instruction: object  # payments.PaymentInstruction
    ceiling: ceilings.Ceiling

    @property
    def refused(self) -> bool:
        return self.ceiling.refuses(self.instruction.amount_cents)


def high_amounts(run, *, limit: int = 200) -> list[HighAmount]:
    """The run's monthly fixed-cost payments above their category's warning level: confirmed
    in the warning band, or stored above the ceiling before it was set. The approver looks
    at these twice. One query for the ceilings, one for the payments."""
    from ontzorg.payments.constants import InstructionKind
    from ontzorg.regelingen.models import Regeling

    found = ceilings.ceilings_of(Regeling.objects.filter(region_id=run.region_id))
    condition = Q()
    for (regeling_id, category), ceiling in found.items():
        level = ceiling.warn_above_cents or ceiling.refuse_above_cents
        if level is not None:
            condition |= Q(
                plan_line__plan__regeling_id=regeling_id,
                plan_line__category=category,
                amount_cents__gt=level,
            )
    if not condition:
        return []
    rows = (
        run.instructions.filter(condition, kind=InstructionKind.CREDITOR)
        .select_related("participant", "plan_line__plan")
        .order_by("-amount_cents", "pk")[:limit]
    )
    return [
        HighAmount(row, found[row.plan_line.plan.regeling_id, row.plan_line.category])
        for row in rows
    ]


def _label(category: str) -> str:
    return str(CostCategory(category).label) if category in CostCategory.values else category


def amount_refusal(regeling, category: str, amount_cents: int) -> str | None:
    """Why `amount_cents` a month of `category` is refused in `regeling` (Dutch), or None."""
    ceiling = ceilings.ceiling_for(regeling, category)
    if not ceiling.refuses(amount_cents):
        return None
    return _(
        "%(amount)s per month for %(category)s is not plausible: the maximum "
        "is %(ceiling)s (according to %(source)s). Check the amount. If it is "
        "correct after all, ask the administrator to raise the maximum for "
        "this regeling."
    ) % {
        "amount": euro(amount_cents),
        "category": _label(category),
        "ceiling": euro(ceiling.refuse_above_cents),
        "source": ceiling.source,
    }


def amount_warning(regeling, category: str, amount_cents: int) -> str | None:
    """Why `amount_cents` a month of `category` needs a confirmation (Dutch), or None."""
    ceiling = ceilings.ceiling_for(regeling, category)
    if not ceiling.warns(amount_cents):
        return None
    return _(
        "%(amount)s per month for %(category)s is higher than usual (more than "
        "%(warn)s). Check the amount and confirm that it is correct."
    ) % {
        "amount": euro(amount_cents),
        "category": _label(category),
        "warn": euro(ceiling.warn_above_cents),
    }


def check_amount(regeling, category: str, amount_cents: int, *, confirmed: bool) -> None:
    """Refuse an amount above the ceiling, and one in the warning band unless `confirmed`."""
    refusal = amount_refusal(regeling, category, amount_cents)
    if refusal:
        raise Refused(refusal)
    warning = amount_warning(regeling, category, amount_cents)
    if warning and not confirmed:
        raise Refused(warning)


# --- leefgeld below a share of the norm -------------------------------------------------------


@dataclass(frozen=True)
class AllowanceFloor:
    """Below `floor_cents` of leefgeld a month, the plan and the run warn."""

    norm_cents: int  # the norm per person in the benefit with a plan of their own
    share: Decimal
    floor_cents: int


def allowance_floors(plans, period: date) -> dict[int, AllowanceFloor]:
    """Per plan id the leefgeld floor of the month `period`, in four queries however many
    plans. Plans of a regeling that does not warn, or without a norm for the household, are
    left out. The plans need `regeling` and `participant` loaded."""
    plans = [plan for plan in plans if plan.regeling.low_allowance_share]
    if not plans:
        return {}
    rows = reading.norm_rows()
    households = reading.households_for_norm([plan.participant for plan in plans], period)
    # Partners who both take part each have a plan and an income: each gets their share.
    planned = defaultdict(set)
    for household_id, participant_id in (
        Plan.objects.running_in(period, month_end(period))
        .filter(participant__household_id__in={plan.participant.household_id for plan in plans})
        .values_list("participant__household_id", "participant_id")
    ):
        planned[household_id].add(participant_id)
    floors = {}
    for plan in plans:
        household = households[plan.participant_id]
        try:
            norm = norms.monthly_norm(rows, household, period)
        except (LookupError, ValueError):
            continue
        persons = max(
            1, min(len(household.partner_ages), len(planned[plan.participant.household_id]))
        )
        per_person = norm.amount_cents // persons
        share = plan.regeling.low_allowance_share
        floor = int((per_person * share).to_integral_value(rounding=ROUND_HALF_UP))
        floors[plan.pk] = AllowanceFloor(per_person, share, floor)
    return floors


def allowance_floor(plan, period: date) -> AllowanceFloor | None:
    return allowance_floors([plan], period).get(plan.pk)


def is_low(result: withholding.WithholdingResult, floor: AllowanceFloor | None) -> bool:
    """Whether the month leaves less to live on than the floor. A month that still needs a
    shortfall decision pays nothing yet and is flagged as a shortfall instead."""
    return (
        floor is not None
        and not result.needs_decision
        and result.remainder_cents < floor.floor_cents
    )


def low_allowance_text(result: withholding.WithholdingResult, floor: AllowanceFloor) -> str:
    return _(
        "In %(month)s the participant has %(allowance)s left to live on: less "
        "than %(share)s%% of the benefit norm (%(norm)s, threshold %(floor)s). "
        "Check whether the fixed costs are correct and whether there is a "
        "right to toeslagen or special assistance."
    ) % {
        "month": date_format(result.period, "F Y"),
        "allowance": euro(result.remainder_cents),
        "share": int(floor.share * 100),
        "norm": euro(floor.norm_cents),
        "floor": euro(floor.floor_cents),
    }
