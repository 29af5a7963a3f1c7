"""What the participant's letters say, as plain data for letters/templates/letters/letter_*.html:
the fixed costs to take over when ontzorgen ends (``fixed_costs``), and the decisions on the
trajectory: the start of ontzorgen (``start_decision``), an extension or the end
(``plan_decision``). The same data makes the page staff print and the PDF (``pdf.py``)."""

from datetime import date, timedelta

from django.utils import timezone

from ontzorg.plans.constants import PlanDecisionKind
from ontzorg.plans.models import Plan, PlanDecision
from ontzorg.regelingen import local
from ontzorg.trajectory.services import current_plan

from .terms import category_label

# Rough lead between the benefit arriving and a direct debit that is safe to collect.
DEBIT_DAYS_AFTER_BENEFIT = 3
# A direct debit on the 29th-31st would skip short months.
LAST_SAFE_DEBIT_DAY = 28

START, EXTENSION, END, FIXED_COSTS = "start", "extension", "end", "fixed_costs"


def _rows(plan: Plan | None, today: date, debit_day: int) -> list[dict]:
    """One row per fixed cost: the line, its category as the participant reads it, the amount
    a month, a direct-debit day, and from when the participant pays it themselves (None: the
    municipality still does)."""
    if plan is None:
        return []
    lines = (
        plan.lines.current().select_related("creditor").prefetch_related("amounts").order_by("pk")
    )
    rows = []
    for line in lines:
        amounts = sorted(line.amounts.all(), key=lambda a: a.valid_from)
        amount = line.amount_on(today) or (amounts[-1].amount_cents if amounts else 0)
        rows.append(
            {
                "line": line,
                "category": category_label(line.category),
                "amount_cents": amount,
                "debit_day": max(line.day_of_month, debit_day),
                "pays_self_from": line.ends_on + timedelta(days=1) if line.ends_on else None,
            }
        )
    return rows


def _debit_day(benefit_day: int) -> int:
    return min(benefit_day + DEBIT_DAYS_AFTER_BENEFIT, LAST_SAFE_DEBIT_DAY)


def fixed_costs(participant, today: date | None = None) -> dict:
    """The end-of-trajectory letter: every fixed cost of the current plan, its creditor,
    amount and a direct-debit day after the benefit arrives."""
    today = today or timezone.localdate()
    plan = current_plan(participant)
    benefit_day = local.for_participant(participant).benefit_payment_day
    debit_day = _debit_day(benefit_day)
    rows = _rows(plan, today, debit_day)
    return {
        "kind": FIXED_COSTS,
        "participant": participant,
        "plan": plan,
        "rows": rows,
        "total_cents": sum(row["amount_cents"] for row in rows),
        "benefit_day": benefit_day,
        "debit_day": debit_day,
        "today": today,
    }


def start_decision(plan: Plan, today: date | None = None) -> dict:
    """The letter that ontzorgen starts: from when, until when, and which fixed costs the
    municipality pays from the benefit."""
    today = today or timezone.localdate()
    rows = _rows(
        plan,
        max(today, plan.start_on),
        _debit_day(local.for_participant(plan.participant).benefit_payment_day),
    )
    return {
        "kind": START,
        "participant": plan.participant,
        "plan": plan,
        "rows": rows,
        "total_cents": sum(row["amount_cents"] for row in rows),
        "today": today,
    }


def plan_decision(decision: PlanDecision, today: date | None = None) -> dict:
    """The letter on an end-or-extend decision; the end letter lists the fixed costs the
    participant takes over."""
    plan = decision.plan
    context = {
        "kind": EXTENSION if decision.kind == PlanDecisionKind.EXTEND else END,
        "participant": plan.participant,
        "plan": plan,
        "decision": decision,
        "today": today or timezone.localdate(),
    }
    if context["kind"] == END:
        costs = fixed_costs(plan.participant, context["today"])
        context.update(rows=costs["rows"], total_cents=costs["total_cents"])
        context.update(benefit_day=costs["benefit_day"], debit_day=costs["debit_day"])
    return context
