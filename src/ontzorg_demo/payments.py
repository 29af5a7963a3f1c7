"""Demo step: a paying account per region and, in every region, last month's run booked.

The current month is left unprepared everywhere, so a backoffice user can prepare it, a
second one approve it and download the pain.001 file. Loading twice changes nothing: a
region that has an account or a run for last month is left alone."""

from datetime import date, timedelta

from schwifty import IBAN

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.approvals import proposals
from ontzorg.payments import services
from ontzorg.payments.models import DebtorAccount, PaymentRun
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.regelingen.models import Region

# The region whose booked month also has its bank statement (demo/statements.py).
BOOKED_REGION = "zoetermeer"


def load(stdout) -> None:
    for region in Region.objects.order_by("pk"):
        DebtorAccount.objects.get_or_create(
            region=region,
            municipality=None,
            defaults=dict(
                name=f"Gemeente {region.name}"[:70],
                iban=str(
                    IBAN.generate("NL", bank_code="BNGH", account_code=str(285_000_000 + region.pk))
                ),
                bic="BNGHNL2G",
            ),
        )
    previous = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    for region in Region.objects.order_by("slug"):
        _book_month(region, previous, stdout)


def _book_month(region, period, stdout) -> None:
    if PaymentRun.objects.open().filter(region=region, period=period).exists():
        return
    users = list(
        User.objects.filter(
            role__code=RoleCode.BACKOFFICE, organisation__region=region, is_active=True
        ).order_by("username")[:2]
    )
    if len(users) < 2:
        return
    preparer, approver = users
    run = services.prepare_run(preparer, region, period)
    # The task worker is not running while demo data loads: compute here; the queued task
    # finds the run done and does nothing.
    services.compute_run(run.pk)
    # Four eyes: the preparer proposes each shortfall decision, the colleague approves it.
    for case in run.shortfalls.filter(decision__isnull=True):
        proposal = services.propose_shortfall_decision(
            preparer,
            case,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Demo: huur en energie gaan voor, rest met de klantmanager bespreken.",
        )
        proposals.approve(approver, proposal)
    services.approve_run(approver, run)
    services.export_run(approver, run)
    services.book_run(preparer, run)
    stdout.write(
        f"Betaalrun {region} {period:%m-%Y} geboekt ({run.instructions.count()} opdrachten)."
    )
