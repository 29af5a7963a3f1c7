"""What approving a payout from a pot, the end of a pot or a one-off payment does: record it
(``plans.payouts``) and, when the run of its month is already a draft, add its instruction
to that run at once (``services.add_extras``). A run that is still computing picks it up when
it finishes; a run already approved is refused by ``plans.payouts`` (pick a later month).

The run of the month is locked first, so the approval and the end of a computation do not
pass each other: whichever comes second sees what the first did."""

from ontzorg.approvals import proposals
from ontzorg.plans import payouts
from ontzorg.plans.models import OneOffPayment, PotPayout

from . import services
from .constants import RunStatus
from .models import PaymentRun


def _open_run(proposal) -> PaymentRun | None:
    return (
        PaymentRun.objects.open()
        .select_for_update()
        .filter(region_id=proposal.region_id, period=proposal.period)
        .first()
    )


def _pay_in_draft(run, *, one_off=None, payout=None) -> None:
    if run is not None and run.status == RunStatus.DRAFT:
        services.add_extras(
            run,
            one_offs=OneOffPayment.objects.filter(pk=getattr(one_off, "pk", None)),
            payouts=PotPayout.objects.filter(pk=getattr(payout, "pk", None)),
        )


@proposals.action(
    payouts.PAYOUT, label=payouts.LABELS[payouts.PAYOUT], details=payouts.payout_details
)
def _apply_payout(proposal, approver):
    run = _open_run(proposal)
    _pay_in_draft(run, payout=payouts.record_payout(proposal, approver))


@proposals.action(payouts.END, label=payouts.LABELS[payouts.END], details=payouts.end_details)
def _apply_end(proposal, approver):
    run = _open_run(proposal)
    _pay_in_draft(run, payout=payouts.record_end(proposal, approver))


@proposals.action(
    payouts.ONE_OFF, label=payouts.LABELS[payouts.ONE_OFF], details=payouts.one_off_details
)
def _apply_one_off(proposal, approver):
    run = _open_run(proposal)
    _pay_in_draft(run, one_off=payouts.record_one_off(proposal, approver))


@proposals.action(
    payouts.BRIDGING, label=payouts.LABELS[payouts.BRIDGING], details=payouts.bridging_details
)
def _apply_bridging(proposal, approver):
    run = _open_run(proposal)
    _pay_in_draft(run, one_off=payouts.record_bridging(proposal, approver))
