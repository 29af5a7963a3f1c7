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
        _("%(creditor)s, kenmerk %(reference)s, %(amount)s per maand")
        % {
            "creditor": line.creditor.name,
            "reference": line.reference,
            "amount": euro(line.amount_on(max(starts_on or line.starts_on, line.starts_on)) or 0),
        }
        for line in found
    )
    return _(
        "Let op: in dit plan staat al een vaste last %(category)s (%(lines)s). Moet er echt "
        "nog een bij? Dat kan, bijvoorbeeld bij twee verzekeringen. Is het dezelfde rekening, "
        "dan betaalt de gemeente die twee keer."
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
        raise Refused(_("Deze vaste last is al verwijderd."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Refused(_("Geef een reden van ten minste tien tekens; die is verplicht."))
    held = set(
        line.instructions.filter(run__status__in=HOLDING_RUN_STATUSES).values_list(
            "run__status", "period"
        )
    )
    if any(status not in OPEN_RUN_STATUSES for status, _period in held):
        raise Refused(
            _(
                "Deze vaste last is al betaald; stop hem per een datum of corrigeer met een "
                "terugboeking."
            )
        )
    if held:
        month = min(period for _status, period in held)
        raise Refused(
            _(
                "Deze vaste last staat in de betaalrun van %(month)s, die nog niet is "
                "goedgekeurd. Laat die run eerst annuleren, of stop de vaste last per een datum."
            )
            % {"month": month.strftime("%m-%Y")}
        )
    region = line.plan.regeling.region
    if region.payment_runs.filter(status=RunStatus.PREPARING).exists():
        raise Refused(
            _("Er wordt nu een betaalrun berekend voor deze regio. Probeer het straks opnieuw.")
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
