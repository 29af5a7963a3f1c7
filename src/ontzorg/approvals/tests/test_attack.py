"""The attack from issue 13: a second back-office user enters an unverified €5,000 of
"extra income" in a shortfall decision on a run someone else prepared, and then approves
that run alone. Both steps are refused now, through the services and the pages."""

import pytest
from django.urls import reverse

from ontzorg.approvals import proposals
from ontzorg.approvals.constants import ProposalStatus
from ontzorg.approvals.tests.helpers import colleague_of
from ontzorg.exceptions import Refused
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.tests.factories import PERIOD
from ontzorg.plans.constants import ShortfallChoice

pytestmark = pytest.mark.django_db

EXTRA = 500_000  # € 5.000,00 of "extra income", unverified


def _allowance(run, participant):
    return run.instructions.filter(participant=participant, kind=InstructionKind.ALLOWANCE)


def test_extra_income_then_approving_the_run_alone_is_refused(
    client, backoffice, region, ready_region
):
    a = backoffice  # prepares the run
    b = colleague_of(a, "bo-b")  # the insider
    run = services.prepare_run(a, region, PERIOD)
    case = run.shortfalls.get()
    short = ready_region["short"]

    # B enters the decision on the run page: it becomes a proposal, nothing is paid.
    client.force_login(b)
    prefix = f"tekort-{case.pk}"
    client.post(
        reverse("payments:decide", args=[run.pk, case.pk]),
        {
            f"{prefix}-choice": ShortfallChoice.EXTRA_INCOME,
            f"{prefix}-extra_euros": "5000.00",
            f"{prefix}-reason": "Extra inkomen volgens de deelnemer",
        },
    )
    proposal = proposals.pending(region=region, period=PERIOD).get()
    assert (proposal.proposed_by, proposal.amount_cents) == (b, EXTRA)
    case.refresh_from_db()
    assert not case.is_decided and not _allowance(run, short).exists()

    # B cannot approve their own proposal: not on the page, not through the service.
    page = client.post(
        reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"}, follow=True
    )
    assert "eigen voorstel" in page.text
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(b, proposal)

    # B cannot approve the run while the proposal waits ...
    page = client.post(reverse("payments:approve", args=[run.pk]), follow=True)
    assert "wacht nog 1 voorstel" in page.text
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and not _allowance(run, short).exists()

    # ... nor after a colleague approved it: B proposed something for this run.
    proposals.approve(a, proposal)
    assert proposal.__class__.objects.get(pk=proposal.pk).status == ProposalStatus.APPROVED
    assert _allowance(run, short).get().amount_cents == 50_000 + EXTRA - 77_000
    page = client.post(reverse("payments:approve", args=[run.pk]), follow=True)
    assert "zelf iets voorgesteld" in page.text
    with pytest.raises(Refused, match="zelf iets voorgesteld"):
        services.approve_run(b, run)
    # A prepared the run: A cannot approve it either.
    with pytest.raises(Refused, match="zelf voorbereid"):
        services.approve_run(a, run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.approved_by is None

    # A third person, who neither prepared nor proposed, may.
    c = colleague_of(a, "bo-c")
    services.approve_run(c, run)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == c


def test_a_withdrawn_or_rejected_proposal_pays_nothing(backoffice, region, ready_region):
    b = colleague_of(backoffice, "bo-b")
    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.shortfalls.get()

    def propose():
        return services.propose_shortfall_decision(
            b,
            case,
            choice=ShortfallChoice.EXTRA_INCOME,
            extra_cents=EXTRA,
            reason="Extra inkomen volgens de deelnemer",
        )

    proposals.withdraw(b, propose())
    proposals.reject(backoffice, propose(), reason="Geen bewijs van het extra inkomen.")
    case.refresh_from_db()
    assert not case.is_decided
    assert not _allowance(run, ready_region["short"]).exists()
    # Neither counts as "proposed something for this run": nothing of it was carried out.
    assert proposals.proposers(region=region, period=PERIOD) == set()


def test_who_may_change_plans_approves_no_money(backoffice, region, ready_region):
    """Segregation of duties, on the rights a user has now: a back-office role widened in the
    admin with "wijzigt deelnemers" (so its holder could raise an income), or a superuser,
    approves neither a proposal nor a run."""
    from ontzorg.accounts.models import Role

    run = services.prepare_run(backoffice, region, PERIOD)
    b = colleague_of(backoffice, "bo-b")
    proposal = services.propose_shortfall_decision(
        backoffice,
        run.shortfalls.get(),
        choice=ShortfallChoice.EXTRA_INCOME,
        extra_cents=EXTRA,
        reason="Nabetaling van de uitkering",
    )
    Role.objects.filter(pk=b.role_id).update(edits_participants=True)
    b.refresh_from_db()
    with pytest.raises(Refused, match="functiescheiding"):
        proposals.approve(b, proposal)
    with pytest.raises(Refused, match="functiescheiding"):
        services.approve_run(b, run)
    root = colleague_of(backoffice, "root")
    root.is_superuser = True
    root.save()
    with pytest.raises(Refused, match="functiescheiding"):
        services.approve_run(root, run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert proposals.pending(region=region).get() == proposal


def test_a_payee_change_holds_the_run_and_its_proposer_does_not_approve_it(
    backoffice, region, ready_region
):
    """A change of where money goes has no month, yet it is part of the next run: while it
    waits the region's run cannot be approved (else it pays the old, perhaps closed, account),
    and whoever proposed it does not approve the run that first pays to it."""
    from ontzorg.plans import payees

    b, c = colleague_of(backoffice, "bo-b"), colleague_of(backoffice, "bo-c")
    run = services.prepare_run(backoffice, region, PERIOD)
    decided = services.propose_shortfall_decision(
        c,
        run.shortfalls.get(),
        choice=ShortfallChoice.PAY_PARTIALLY,
        reason="Huur eerst, de rest volgt",
    )
    proposals.approve(b, decided)
    person = ready_region["paid"][0]
    change = payees.propose_change(
        b, person, {"account_holder_name": "Nieuwe Naam", "iban": person.iban}
    )
    with pytest.raises(Refused, match="rekeninggegevens"):
        services.approve_run(b, run)
    proposals.approve(c, change)
    with pytest.raises(Refused, match="rekeninggegevens laten wijzigen"):
        services.approve_run(b, run)
    assert services.approve_run(colleague_of(backoffice, "bo-d"), run).status == (
        RunStatus.APPROVED
    )


def test_a_shortfall_proposal_made_on_figures_that_changed_is_refused(
    backoffice, region, ready_region
):
    """The approver sees the income and costs of the computation; when they change before
    the approval (a higher rent entered meanwhile), the proposal is refused, nothing paid."""
    from datetime import date

    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.tests.factories import UserFactory
    from ontzorg.plans import services as plans
    from ontzorg.plans.models import PlanLine

    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.shortfalls.get()
    proposal = services.propose_shortfall_decision(
        backoffice,
        case,
        choice=ShortfallChoice.PAY_PARTIALLY,
        reason="Huur eerst, de rest volgt",
    )
    rent = PlanLine.objects.filter(plan=case.plan, category="huur").get()
    klantmanager = UserFactory(
        username="km", role_code=RoleCode.KLANTMANAGER, organisation=backoffice.organisation
    )
    plans.change_amount(klantmanager, rent, 70_000, date(2025, 11, 1))
    with pytest.raises(Refused, match="veranderd sinds de berekening"):
        proposals.approve(colleague_of(backoffice, "bo-b"), proposal)
    case.refresh_from_db()
    assert not case.is_decided
    assert not _allowance(run, ready_region["short"]).exists()
