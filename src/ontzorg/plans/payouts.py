"""Money paid out of what is held for a participant: out of a savings pot (a payout, or the
rest when the pot is ended) or out of their own money (a one-off payment, eenmalige betaling).

Each is a money decision, so each is a proposal (``ontzorg.approvals.proposals``) until a
colleague approves it:

- ``propose_payout`` / ``propose_end`` / ``propose_one_off`` check what they can and record
  the proposal; nothing changes yet.
- On approval, the handlers in ``payments.extras`` call ``record_payout`` / ``record_end`` /
  ``record_one_off``, which check again (the balance may have moved since) and write the
  approved ``PotPayout`` / ``OneOffPayment``. The payment run of the chosen month pays it as
  an instruction of its own kind, and booking the run books it.

Rules:

- The month is this month or later, and its run is not approved yet (a pending proposal for
  a month keeps that month's run from being approved, see ``approvals``).
- A payout never takes more than the pot's available balance (``balances.PotBalance``).
- A one-off payment may take more than the participant's own money (``balances.free_balance``)
  only as an advance (voorschot) with its own reason; the approved payment records how much
  of it was advanced (``advance_cents``).
- Ending a pot stops the reservation from the chosen month and pays what is left then to the
  participant; the run of that month must not be reserving for the pot already.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.approvals import proposals
from ontzorg.approvals.models import Proposal
from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.core.dates import month_label, next_month
from ontzorg.core.money import euro
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import InstructionKind, RunStatus

from . import balances, events
from .models import Creditor, OneOffPayment, PotPayout, SavingsPot
from .services import required_reason

PAYOUT = "pot.payout"
END = "pot.end"
ONE_OFF = "oneoff.pay"
BRIDGING = "bridging.pay"
KINDS = (PAYOUT, END, ONE_OFF, BRIDGING)
LABELS = {
    PAYOUT: gettext_lazy("Payout from savings pot"),
    END: gettext_lazy("Close savings pot"),
    ONE_OFF: gettext_lazy("One-off payment"),
    BRIDGING: gettext_lazy("Bridging payment"),
}
PROPOSE_RIGHT = "prepares_payments"
# Runs whose instructions are fixed: approved, exported or booked.
FIXED_RUN_STATUSES = (RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.BOOKED)


def first_open_month(region, today: date | None = None) -> date:
    """The first month from this one on whose run may still take a new payment."""
    period = (today or timezone.localdate()).replace(day=1)
    fixed = set(
        region.payment_runs.filter(period__gte=period, status__in=FIXED_RUN_STATUSES).values_list(
            "period", flat=True
        )
    )
    while period in fixed:
        period = next_month(period)
    return period


def _check_month(region, period: date) -> date:
    """The first day of `period`'s month, if a run of that month may still pay something."""
    if period is None:
        raise Refused(_("Choose the month of the payment."))
    period = period.replace(day=1)
    if period < timezone.localdate().replace(day=1):
        raise Refused(_("Choose this month or a later month."))
    run = region.payment_runs.filter(period=period, status__in=FIXED_RUN_STATUSES).first()
    if run is not None:
        raise Refused(
            _("The payment run of %(month)s is already %(status)s. Choose a later month.")
            % {"month": month_label(period), "status": run.get_status_display()}
        )
    return period


def _check_payee(region, participant, creditor_id: int | None, reference: str) -> Creditor | None:
    """The creditor to pay (None: the participant), if a payment to them can be made."""
    if creditor_id is None:
        if not participant.iban:
            raise Refused(_("No IBAN is known for the participant; fill that in first."))
        return None
    creditor = Creditor.objects.for_region(region).filter(pk=creditor_id).first()
    if creditor is None:
        raise Refused(_("This creditor does not work in this region or is not active."))
    if not (reference or "").strip():
        raise Refused(_("Fill in the payment reference, such as the invoice or customer number."))
    return creditor


def _payee_label(participant, creditor) -> str:
    return creditor.name if creditor is not None else participant.full_name


def _pot(user, pot) -> SavingsPot:
    access.visible(user, pot)
    return SavingsPot.objects.select_related("plan__participant", "plan__regeling__region").get(
        pk=pot.pk
    )


def _approved(proposal, approver) -> dict:
    """The approval fields every record made by an approved proposal carries."""
    return {
        "proposal": proposal,
        "proposed_by_id": proposal.proposed_by_id,
        "approved_by": approver,
        "approved_at": timezone.now(),
    }


# --- payouts out of a pot ---------------------------------------------------------------------


def _check_payout(pot: SavingsPot, amount_cents: int) -> None:
    if amount_cents is None or amount_cents <= 0:
        raise Refused(_("The amount must be greater than zero."))
    balance = balances.pot_balance(pot)
    if balance.refund_pending:
        raise Refused(
            _("This savings pot is being closed; the remainder already goes to the participant.")
        )
    if amount_cents > balance.available_cents:
        raise Refused(
            _(
                "%(available)s is available in savings pot %(pot)s (booked %(booked)s, "
                "already promised %(promised)s). Choose a lower amount."
            )
            % {
                "available": euro(balance.available_cents),
                "pot": pot.name,
                "booked": euro(balance.booked_cents),
                "promised": euro(balance.promised_cents),
            }
        )


def propose_payout(
    user,
    pot: SavingsPot,
    *,
    amount_cents: int,
    period: date,
    reason: str,
    creditor: Creditor | None = None,
    reference: str = "",
) -> Proposal:
    """Propose paying `amount_cents` out of `pot` to `creditor` (None: the participant)."""
    access.require(user, PROPOSE_RIGHT)
    pot = _pot(user, pot)
    participant, region = pot.plan.participant, pot.plan.regeling.region
    reason = required_reason(reason)
    period = _check_month(region, period)
    creditor = _check_payee(region, participant, creditor and creditor.pk, reference)
    _check_payout(pot, amount_cents)
    payee = _payee_label(participant, creditor)
    return proposals.propose(
        user,
        PAYOUT,
        region=region,
        participant=participant,
        period=period,
        amount_cents=amount_cents,
        target=pot,
        summary=_("%(amount)s from savings pot %(pot)s to %(payee)s in %(month)s: %(reason)s")
        % {
            "amount": euro(amount_cents),
            "pot": pot.name,
            "payee": payee,
            "month": month_label(period),
            "reason": reason,
        },
        payload={
            "pot": pot.pk,
            "amount_cents": amount_cents,
            "period": period.isoformat(),
            "creditor": creditor.pk if creditor else None,
            "reference": reference.strip(),
            "reason": reason,
        },
        right=PROPOSE_RIGHT,
    )


def _locked_pot(pk: int) -> SavingsPot:
    return (
        SavingsPot.objects.select_for_update()
        .select_related("plan__participant", "plan__regeling__region")
        .get(pk=pk)
    )


def record_payout(proposal: Proposal, approver) -> PotPayout:
    """Carry out an approved payout proposal (inside the approving transaction)."""
    data = proposal.payload
    pot = _locked_pot(data["pot"])
    participant, region = pot.plan.participant, pot.plan.regeling.region
    period = _check_month(region, date.fromisoformat(data["period"]))
    creditor = _check_payee(region, participant, data["creditor"], data["reference"])
    _check_payout(pot, data["amount_cents"])
    payout = PotPayout.objects.create(
        pot=pot,
        period=period,
        amount_cents=data["amount_cents"],
        creditor=creditor,
        reference=data["reference"] if creditor else "",
        reason=data["reason"],
        **_approved(proposal, approver),
    )
    audit.record(
        approver,
        events.POT_PAYOUT_APPROVED,
        payout,
        participant=participant,
        changes={k: [None, v] for k, v in audit.snapshot(payout).items()},
        pot=pot.name,
        amount=euro(payout.amount_cents),
        payee=_payee_label(participant, creditor),
        month=month_label(period),
    )
    return payout


# --- ending a pot -----------------------------------------------------------------------------


def _check_end(pot: SavingsPot, period: date) -> None:
    if pot.is_ended:
        raise Refused(_("This savings pot has already been closed."))
    reserving = (
        pot.instructions.filter(kind=InstructionKind.SAVINGS, period__gte=period)
        .exclude(run__status=RunStatus.CANCELLED)
        .order_by("period")
        .first()
    )
    if reserving is not None:
        raise Refused(
            _(
                "The payment run of %(month)s already reserves money for this savings "
                "pot. Choose the month after, or cancel that payment run and compute "
                "it again."
            )
            % {"month": month_label(reserving.period)}
        )


def propose_end(user, pot: SavingsPot, *, period: date, reason: str) -> Proposal:
    """Propose ending `pot`: no reservation from `period` on, and the rest to the participant
    in the run of `period`."""
    access.require(user, PROPOSE_RIGHT)
    pot = _pot(user, pot)
    participant, region = pot.plan.participant, pot.plan.regeling.region
    reason = required_reason(reason)
    period = _check_month(region, period)
    _check_payee(region, participant, None, "")
    _check_end(pot, period)
    balance = balances.pot_balance(pot)
    return proposals.propose(
        user,
        END,
        region=region,
        participant=participant,
        period=period,
        amount_cents=balance.available_cents,
        target=pot,
        one_at_a_time=True,
        summary=_(
            "Close savings pot %(pot)s from %(month)s; the remainder (now "
            "%(available)s) goes to the participant: %(reason)s"
        )
        % {
            "pot": pot.name,
            "month": month_label(period),
            "available": euro(balance.available_cents),
            "reason": reason,
        },
        payload={"pot": pot.pk, "period": period.isoformat(), "reason": reason},
        right=PROPOSE_RIGHT,
    )


def record_end(proposal: Proposal, approver) -> PotPayout:
    """Carry out an approved end of a pot: stop reserving, and pay the rest (as a refund
    whose amount the run of the month fixes)."""
    data = proposal.payload
    pot = _locked_pot(data["pot"])
    participant, region = pot.plan.participant, pot.plan.regeling.region
    period = _check_month(region, date.fromisoformat(data["period"]))
    _check_payee(region, participant, None, "")
    _check_end(pot, period)
    before = audit.snapshot(pot, ["ends_on", "ended_at"])
    last_day = period - timedelta(days=1)
    if pot.ends_on is None or pot.ends_on > last_day:
        pot.ends_on = last_day
    pot.ended_at = timezone.now()
    pot.save(update_fields=["ends_on", "ended_at"])
    refund = PotPayout.objects.create(
        pot=pot,
        period=period,
        is_refund=True,
        reason=data["reason"],
        **_approved(proposal, approver),
    )
    audit.record(
        approver,
        events.POT_ENDED,
        pot,
        participant=participant,
        changes=audit.diff(before, audit.snapshot(pot, ["ends_on", "ended_at"])),
        pot=pot.name,
        month=month_label(period),
    )
    return refund


# --- one-off payments -------------------------------------------------------------------------


def advance_needed(participant, amount_cents: int) -> int:
    """How much of `amount_cents` the participant's own money does not cover."""
    own = balances.free_balance(participant)
    return max(0, amount_cents - max(0, own.available_cents))


def _check_one_off(participant, amount_cents: int, advance_reason: str) -> tuple[int, str]:
    """(advance in cents, its reason) for a one-off payment, or Refused."""
    if amount_cents is None or amount_cents <= 0:
        raise Refused(_("The amount must be greater than zero."))
    advance = advance_needed(participant, amount_cents)
    if not advance:
        return 0, ""
    own = max(0, balances.free_balance(participant).available_cents)
    reason = required_reason(
        advance_reason,
        _(
            "This is more than the participant's own money (%(own)s). The "
            "difference (%(advance)s) is an advance: give a reason for it of at "
            "least ten characters, or choose a lower amount."
        )
        % {"own": euro(own), "advance": euro(advance)},
    )
    return advance, reason


def propose_one_off(
    user,
    participant,
    *,
    amount_cents: int,
    period: date,
    reason: str,
    creditor: Creditor | None = None,
    reference: str = "",
    advance_reason: str = "",
) -> Proposal:
    """Propose a one-off payment out of the participant's own money, in the run of `period`."""
    access.require(user, PROPOSE_RIGHT)
    participant = access.visible(user, participant)
    region = participant.regeling.region
    reason = required_reason(reason)
    period = _check_month(region, period)
    creditor = _check_payee(region, participant, creditor and creditor.pk, reference)
    advance, advance_reason = _check_one_off(participant, amount_cents, advance_reason)
    payee = _payee_label(participant, creditor)
    summary = _("One-off %(amount)s to %(payee)s in %(month)s: %(reason)s") % {
        "amount": euro(amount_cents),
        "payee": payee,
        "month": month_label(period),
        "reason": reason,
    }
    if advance:
        summary += _(" (advance %(advance)s: %(why)s)") % {
            "advance": euro(advance),
            "why": advance_reason,
        }
    return proposals.propose(
        user,
        ONE_OFF,
        region=region,
        participant=participant,
        period=period,
        amount_cents=amount_cents,
        target=participant,
        summary=summary,
        payload={
            "participant": participant.pk,
            "amount_cents": amount_cents,
            "period": period.isoformat(),
            "creditor": creditor.pk if creditor else None,
            "reference": reference.strip(),
            "reason": reason,
            "advance_reason": advance_reason,
        },
        right=PROPOSE_RIGHT,
    )


def record_one_off(proposal: Proposal, approver) -> OneOffPayment:
    """Carry out an approved one-off payment; the advance is what the participant's own money
    does not cover at this moment."""
    data = proposal.payload
    participant = (
        Participant.objects.select_for_update()
        .select_related("regeling__region")
        .get(pk=data["participant"])
    )
    region = participant.regeling.region
    period = _check_month(region, date.fromisoformat(data["period"]))
    creditor = _check_payee(region, participant, data["creditor"], data["reference"])
    advance, advance_reason = _check_one_off(
        participant, data["amount_cents"], data["advance_reason"]
    )
    return _create_one_off(
        proposal, approver, participant, period, creditor, advance, advance_reason
    )


def _create_one_off(
    proposal, approver, participant, period, creditor, advance, advance_reason, *, bridging=False
) -> OneOffPayment:
    """The approved one-off (or bridging) payment of `proposal`, recorded in the audit trail."""
    data = proposal.payload
    payment = OneOffPayment.objects.create(
        participant=participant,
        period=period,
        amount_cents=data["amount_cents"],
        creditor=creditor,
        reference=data["reference"] if creditor else "",
        reason=data["reason"],
        advance_cents=advance,
        advance_reason=advance_reason,
        is_bridging=bridging,
        **_approved(proposal, approver),
    )
    audit.record(
        approver,
        events.BRIDGING_APPROVED if bridging else events.ONE_OFF_APPROVED,
        payment,
        participant=participant,
        changes={k: [None, v] for k, v in audit.snapshot(payment).items()},
        amount=euro(payment.amount_cents),
        payee=_payee_label(participant, creditor),
        month=month_label(period),
        advance=_(", of which advance %(advance)s") % {"advance": euro(advance)} if advance else "",
    )
    return payment


# --- bridging payments ------------------------------------------------------------------------


def _check_bridging(participant, amount_cents: int) -> None:
    """Bridging is for the wait for the first payment: only while a payee is still waiting,
    and all bridging payments of a participant together at most the regeling's maximum."""
    from .first_payment import for_participant

    maximum = participant.regeling.bridging_max_cents
    if not maximum:
        raise Refused(_("This regeling has no bridging payments."))
    if not for_participant(participant).waiting:
        raise Refused(
            _("A bridging payment is only possible while a first payment is still awaited.")
        )
    earlier = (
        OneOffPayment.objects.filter(participant=participant, is_bridging=True).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    if amount_cents is not None and earlier + amount_cents > maximum:
        raise Refused(
            _(
                "Bridging payments are at most %(max)s together in this regeling "
                "(%(earlier)s paid before). Choose a lower amount."
            )
            % {"max": euro(maximum), "earlier": euro(earlier)}
        )


def propose_bridging(
    user,
    participant,
    *,
    amount_cents: int,
    period: date,
    reason: str,
    creditor: Creditor | None = None,
    reference: str = "",
) -> Proposal:
    """Propose a bridging payment (overbruggingsbetaling) while the first payment is awaited:
    a one-off payment to the participant or a creditor, at most the regeling's maximum. What
    the participant's own money does not cover is an advance, for the same reason. One
    proposal per participant waits at a time, so a form sent twice proposes once."""
    access.require(user, PROPOSE_RIGHT)
    access.visible(user, participant)
    with transaction.atomic():
        # Locked, so that a form sent twice at the same moment proposes once.
        participant = (
            Participant.objects.select_for_update()
            .select_related("regeling__region")
            .get(pk=participant.pk)
        )
        return _propose_bridging(
            user, participant, amount_cents, period, reason, creditor, reference
        )


def _propose_bridging(user, participant, amount_cents, period, reason, creditor, reference):
    region = participant.regeling.region
    reason = required_reason(reason)
    period = _check_month(region, period)
    creditor = _check_payee(region, participant, creditor and creditor.pk, reference)
    _check_bridging(participant, amount_cents)
    _check_one_off(participant, amount_cents, reason)
    summary = _("Bridging payment %(amount)s to %(payee)s in %(month)s: %(reason)s") % {
        "amount": euro(amount_cents),
        "payee": _payee_label(participant, creditor),
        "month": month_label(period),
        "reason": reason,
    }
    return proposals.propose(
        user,
        BRIDGING,
        region=region,
        participant=participant,
        period=period,
        amount_cents=amount_cents,
        target=participant,
        one_at_a_time=True,
        summary=summary,
        payload={
            "participant": participant.pk,
            "amount_cents": amount_cents,
            "period": period.isoformat(),
            "creditor": creditor.pk if creditor else None,
            "reference": reference.strip(),
            "reason": reason,
        },
        right=PROPOSE_RIGHT,
    )


def record_bridging(proposal: Proposal, approver) -> OneOffPayment:
    """Carry out an approved bridging payment: a one-off payment marked as bridging, checked
    again against the maximum and the participant's own money of this moment."""
    data = proposal.payload
    participant = (
        Participant.objects.select_for_update()
        .select_related("regeling__region")
        .get(pk=data["participant"])
    )
    region = participant.regeling.region
    period = _check_month(region, date.fromisoformat(data["period"]))
    creditor = _check_payee(region, participant, data["creditor"], data["reference"])
    _check_bridging(participant, data["amount_cents"])
    advance, advance_reason = _check_one_off(participant, data["amount_cents"], data["reason"])
    return _create_one_off(
        proposal, approver, participant, period, creditor, advance, advance_reason, bridging=True
    )


# --- what the approver sees -------------------------------------------------------------------


def _payee_rows(participant, creditor_id, reference) -> list[tuple[str, object]]:
    creditor = Creditor.objects.filter(pk=creditor_id).first() if creditor_id else None
    if creditor is None:
        return [(_("To"), participant.full_name), (_("IBAN"), participant.iban or "-")]
    return [
        (_("To"), creditor.name),
        (_("IBAN"), creditor.iban),
        (_("Payment reference"), reference),
    ]


def payout_details(proposal: Proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    pot = SavingsPot.objects.select_related("plan__participant").get(pk=data["pot"])
    balance = balances.pot_balance(pot)
    return [
        (_("Savings pot"), pot.name),
        (_("Amount"), euro(data["amount_cents"])),
        (_("Available in the pot now"), euro(balance.available_cents)),
        *_payee_rows(pot.plan.participant, data["creditor"], data["reference"]),
        (_("Payment run"), month_label(date.fromisoformat(data["period"]))),
        (_("Reason"), data["reason"]),
    ]


def end_details(proposal: Proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    pot = SavingsPot.objects.select_related("plan__participant").get(pk=data["pot"])
    return [
        (_("Savings pot"), pot.name),
        (_("Available in the pot now"), euro(balances.pot_balance(pot).available_cents)),
        *_payee_rows(pot.plan.participant, None, ""),
        (_("No more reserving from"), month_label(date.fromisoformat(data["period"]))),
        (_("Reason"), data["reason"]),
    ]


def one_off_details(proposal: Proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    participant = Participant.objects.get(pk=data["participant"])
    advance = advance_needed(participant, data["amount_cents"])
    rows = [
        (_("Amount"), euro(data["amount_cents"])),
        (
            _("Participant's own money now"),
            euro(max(0, balances.free_balance(participant).available_cents)),
        ),
        *_payee_rows(participant, data["creditor"], data["reference"]),
        (_("Payment run"), month_label(date.fromisoformat(data["period"]))),
        (_("Reason"), data["reason"]),
    ]
    if advance:
        rows += [
            (_("Advance"), euro(advance)),
            (_("Reason for the advance"), data["advance_reason"]),
        ]
    return rows


def bridging_details(proposal: Proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    participant = Participant.objects.select_related("regeling").get(pk=data["participant"])
    advance = advance_needed(participant, data["amount_cents"])
    return [
        (_("Amount"), euro(data["amount_cents"])),
        (_("Maximum bridging payment"), euro(participant.regeling.bridging_max_cents)),
        (
            _("Participant's own money now"),
            euro(max(0, balances.free_balance(participant).available_cents)),
        ),
        *_payee_rows(participant, data["creditor"], data["reference"]),
        (_("Payment run"), month_label(date.fromisoformat(data["period"]))),
        (_("Reason"), data["reason"]),
        *([(_("Advance"), euro(advance))] if advance else []),
    ]
