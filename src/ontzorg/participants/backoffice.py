"""The back office's work on the dashboard: payment runs waiting for approval, returned
payments to handle and the work queue of bank entries, each read through the query that its
own page uses (so the counts are what those pages show, in the user's scope)."""

from dataclasses import dataclass, field

from ontzorg.banking import querysets as banking
from ontzorg.banking.constants import BANK_RIGHT, ReturnStatus
from ontzorg.core import access
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg.payments.querysets import PAYMENT_RIGHTS

APPROVES = "approves_payments"
SHOWN_RUNS = 5


@dataclass
class RunToApprove:
    run: PaymentRun
    own: bool  # prepared by the user: a colleague approves it (four eyes)


@dataclass
class BackOfficeWork:
    may_approve: bool
    runs: list[RunToApprove] = field(default_factory=list)
    runs_total: int = 0
    sees_bank: bool = False
    open_returns: int = 0
    queue: int = 0


def work_for(user) -> BackOfficeWork | None:
    """The back office's work that `user` may see; None for a role without payment rights."""
    if not access.may(user, *PAYMENT_RIGHTS):
        return None
    drafts = (
        PaymentRun.objects.visible_to(user)
        .filter(status=RunStatus.DRAFT)
        .select_related("region", "prepared_by")
        .order_by("period", "pk")
    )
    work = BackOfficeWork(
        may_approve=access.may(user, APPROVES),
        runs=[RunToApprove(run, run.prepared_by_id == user.pk) for run in drafts[:SHOWN_RUNS]],
        runs_total=drafts.count(),
    )
    if access.may(user, BANK_RIGHT):
        work.sees_bank = True
        work.open_returns = banking.visible_returns(user).filter(status=ReturnStatus.OPEN).count()
        work.queue = banking.work_queue(user).count()
    return work
