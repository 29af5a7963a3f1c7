"""Plan lines that users get wrong: a second line of the same cost type, and a line entered
by mistake.

- A second open line of the same cost type is allowed (two insurance policies), but the
  confirmation page warns about it (`duplicate_warning`).
- A line that was never paid (no payment instruction in any payment run that was not
  cancelled) can be removed (`remove_line`). Removal is a flag (`removed_at`, `removed_by`,
  `removal_reason`): the line stays for the audit trail and the ledger, but it is no longer
  paid, withheld or shown to the participant (``PlanLine.objects.current()``).
- A paid line cannot be removed: it is stopped from a date (``services.close_line``) or a
  payment is corrected by a reversal."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.core.money import euro
from ontzorg.exceptions import Refused
from ontzorg.payments.constants import RunStatus
from ontzorg.regelingen.constants import CostCategory

from . import events
from .models import PlanLine

MIN_REASON_LENGTH = 10
# Every run that holds its instructions: all but a cancelled one.
HOLDING_RUN_STATUSES = tuple(s for s in RunStatus.values if s != RunStatus.CANCELLED)
# Runs still being computed or checked: their instructions are not paid yet.
OPEN_RUN_STATUSES = (RunStatus.PREPARING, RunStatus.DRAFT)


def same_category_lines(plan, category: str, starts_on: date | None = None) -> list[PlanLine]:
    """The plan's current lines of `category` that still run on `starts_on` (or later)."""
    lines = plan.lines.current().filter(category=category)
    if starts_on is not None:
        lines = lines.open_on(starts_on)
    return list(lines.select_related("creditor").prefetch_related("amounts").order_by("pk"))


def duplicate_warning(plan, category: str, starts_on: date | None = None) -> str:
    """A warning for the confirmation page when the plan already has an open line of this
    cost type; empty when it has none."""
    found = same_category_lines(plan, category, starts_on)
    if not found:
        return ""
    described = "; ".join(
        _("%(creditor)s, reference %(reference)s, %(amount)s per month")
        % {
            "creditor": line.creditor.name,
            "reference": line.reference,
            "amount": euro(line.amount_on(max(starts_on or line.starts_on, line.starts_on)) or 0),
        }
        for line in found
    )
    return _(
        "Note: this plan already has a fixed cost %(category)s (%(lines)s). Is "
        "another one really needed? That is possible, for example with two "
        "insurances. If it is the same bill, the municipality pays it twice."
    ) % {"category": str(CostCategory(category).label).lower(), "lines": described}


def paid_line_ids(line_ids) -> set[int]:
    """The lines among `line_ids` that a payment run holds (any run not cancelled)."""
    return set(
        PlanLine.objects.filter(
            pk__in=list(line_ids), instructions__run__status__in=HOLDING_RUN_STATUSES
        ).values_list("pk", flat=True)
    )


def is_removable(line: PlanLine) -> bool:
    return not line.is_removed and not paid_line_ids([line.pk])


@transaction.atomic
def remove_line(user, line, reason: str) -> PlanLine:
    """Remove a line that was entered by mistake and never paid. A paid line is refused:
    stop it from a date, or correct a payment with a reversal."""
    access.require(user, "edits_participants")
    access.visible(user, line)
    line = (
        PlanLine.objects.select_for_update()
        .select_related("plan__participant", "plan__regeling__region", "creditor")
        .get(pk=line.pk)
    )
    if line.is_removed:
        raise Refused(_("This fixed cost has already been removed."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Refused(_("Give a reason of at least ten characters; it is required."))
    held = set(
        line.instructions.filter(run__status__in=HOLDING_RUN_STATUSES).values_list(
            "run__status", "period"
        )
    )
    if any(status not in OPEN_RUN_STATUSES for status, _period in held):
        raise Refused(
            _(
                "This fixed cost has already been paid; stop it from a date or correct "
                "it with a reversal."
            )
        )
    if held:
        month = min(period for _status, period in held)
        raise Refused(
            _(
                "This fixed cost is in the payment run of %(month)s, which has not "
                "been approved yet. Have that run cancelled first, or stop the fixed "
                "cost from a date."
            )
            % {"month": month.strftime("%m-%Y")}
        )
    region = line.plan.regeling.region
    if region.payment_runs.filter(status=RunStatus.PREPARING).exists():
        raise Refused(
            _("A payment run is being computed for this region now. Please try again later.")
        )
    fields = ["removed_at", "removed_by", "removal_reason"]
    before = audit.snapshot(line, fields)
    line.removed_at = timezone.now()
    line.removed_by = user
    line.removal_reason = reason[:200]
    line.save(update_fields=fields)
    audit.record(
        user,
        events.LINE_REMOVED,
        line,
        participant=line.plan.participant,
        changes=audit.diff(before, audit.snapshot(line, fields)),
        line=str(line),
        reason=reason,
    )
    return line
