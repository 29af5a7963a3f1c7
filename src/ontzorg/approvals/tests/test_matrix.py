"""The four-eyes matrix: for every money-changing action, the same user can never both do it
and approve it: not through the service, not through the pages, not in the admin, not by a
command, and not in the database.

Three tables drive it, and each is checked against what the project really has, so that a
new proposal action, admin model or management command without a row FAILS this test:

- ``SCENARIOS``: one per registered proposal action (``proposals.registry``). A scenario
  returns ``propose(user) -> Proposal`` in the shared world. **Adding an action? Add its
  scenario here** (a few lines: call your ``propose_...`` service as `user`).
- ``MONEY_ADMIN`` / ``OTHER_ADMIN``: every model registered in the admin, either with the
  fields that must be read-only (money or payee data), or with the reason it holds none.
- ``COMMANDS``: every management command of the project, with the reason it changes no
  money (a command that does must go through the services, which propose).

Run with ``-s`` to see the count line."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import get_commands
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.roles import ROLES
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.approvals import proposals
from ontzorg.approvals.constants import ProposalStatus
from ontzorg.approvals.models import Proposal
from ontzorg.banking import imports, repay
from ontzorg.banking.models import ReturnedPayment
from ontzorg.banking.tests.conftest import return_of, statement
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.payments import debtor_accounts
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.tests.factories import debtor_account, ready_participant
from ontzorg.plans import payees, payouts
from ontzorg.plans import services as plans
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.plans.models import Creditor, SavingsPot
from ontzorg.regelingen.tests.factories import RegelingFactory

pytestmark = pytest.mark.django_db

NOV, DEC, JAN = date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)
NEW_IBAN = "NL91ABNA0417164300"


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    region: object
    proposer: object  # A: proposes, then tries to approve it alone
    colleague: object  # B: the second pair of eyes
    preparer: object  # C: prepares the runs
    superuser: object
    december: object  # the DRAFT run of December, with an undecided shortfall
    returned: ReturnedPayment  # a returned payment of the booked November run
    saver: object  # a participant with a filled savings pot
    short: object  # income too low: November paid the rent only, energy still awaits
    pot: SavingsPot
    creditor: Creditor


@pytest.fixture
def world(frozen_clock, region, municipality_org) -> World:
    """November booked (one payment returned by the bank), December prepared: every kind of
    money decision has something to decide on. Reached through the services, as users do."""
    frozen_clock.move_to("2025-11-16 10:00:00+01:00")
    debtor_account(region)
    regeling = RegelingFactory(region=region, has_savings_pots=True)

    def backoffice(name):
        return UserFactory(
            username=name, role_code=RoleCode.BACKOFFICE, organisation=municipality_org
        )

    proposer, colleague, preparer = backoffice("bo-a"), backoffice("bo-b"), backoffice("bo-c")
    saver = ready_participant(regeling, pots=[("Buffer", 2500)])
    short = ready_participant(regeling, income_cents=50_000)

    november = payments.prepare_run(preparer, region, NOV)
    for case in november.shortfalls.all():
        proposal = payments.propose_shortfall_decision(
            preparer,
            case,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Huur gaat voor, rest later",
        )
        proposals.approve(colleague, proposal)
    payments.approve_run(colleague, november)
    payments.export_run(colleague, november)
    payments.book_run(preparer, november)
    allowance = november.instructions.get(participant=saver, kind=InstructionKind.ALLOWANCE)
    imports.import_statement(preparer, statement([return_of(allowance, "MS03")]))

    december = payments.prepare_run(preparer, region, DEC)
    december.refresh_from_db()
    assert december.status == RunStatus.DRAFT and december.shortfalls.count() == 1
    return World(
        region=region,
        proposer=proposer,
        colleague=colleague,
        preparer=preparer,
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True, role=None),
        december=december,
        returned=ReturnedPayment.objects.get(),
        saver=saver,
        short=short,
        pot=SavingsPot.objects.get(plan__participant=saver),
        creditor=Creditor.objects.filter(plan_lines__plan__participant=saver).distinct().first(),
    )


# --- SCENARIOS: one per registered proposal action ---------------------------------------------
# kind -> scenario(world) -> propose(user) -> Proposal. Add a row for every new action.

SCENARIOS = {
    "shortfall.decide": lambda w: (
        lambda user: payments.propose_shortfall_decision(
            user,
            w.december.shortfalls.get(),
            choice=ShortfallChoice.EXTRA_INCOME,
            extra_cents=500_000,
            reason="Extra inkomen volgens de deelnemer",
        )
    ),
    "payment.repay": lambda w: lambda user: repay.propose_retry(user, w.returned),
    "payee.change": lambda w: (
        lambda user: payees.propose_change(
            user,
            w.creditor,
            {
                "account_holder_name": w.creditor.account_holder_name or "Stroom en Gas BV",
                "iban": NEW_IBAN,
                "bic": "ABNANL2A",
            },
        )
    ),
    "pot.payout": lambda w: (
        lambda user: payouts.propose_payout(
            user, w.pot, amount_cents=2000, period=DEC, reason="Nieuwe wasmachine nodig"
        )
    ),
    "pot.end": lambda w: (
        lambda user: payouts.propose_end(
            user, w.pot, period=JAN, reason="Deelnemer wil de pot opheffen"
        )
    ),
    "debtor_account.change": lambda w: (
        lambda user: debtor_accounts.propose_change(
            user,
            w.region.debtor_accounts.get(municipality=None),
            {"name": "Gemeente Elders", "iban": NEW_IBAN, "bic": "ABNANL2A"},
        )
    ),
    "oneoff.pay": lambda w: (
        lambda user: payouts.propose_one_off(
            user,
            w.saver,
            amount_cents=4_000_00,
            period=DEC,
            reason="Eenmalige betaling aan de deelnemer",
            advance_reason="Voorschot op de toeslag van januari",
        )
    ),
    "bridging.pay": lambda w: (
        lambda user: payouts.propose_bridging(
            user,
            w.short,
            amount_cents=300_00,
            period=DEC,
            reason="Eerste uitkering laat op zich wachten",
        )
    ),
}


def _run_of(world, period):
    """The run of `period` in the world's region, prepared by the preparer if not yet."""
    run = world.region.payment_runs.open().filter(period=period).first()
    if run is None:
        run = payments.prepare_run(world.preparer, world.region, period)
        run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    return run


def _state() -> dict:
    """Every row of every Ontzorg table except the proposals, the audit trail and the users
    (a login touches those): what a refused approval must leave exactly as it was."""
    skip = {"approvals.Proposal", "audit.AuditEntry", "accounts.User", "accounts.FailedLogin"}
    return {
        model._meta.label: repr(list(model._default_manager.order_by("pk").values_list()))
        for model in apps.get_models()
        if model.__module__.startswith("ontzorg.") and model._meta.label not in skip
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_registered_action_has_a_scenario():
    registered = set(proposals.load_actions())
    assert registered - set(SCENARIOS) == set(), "add a scenario for each new action"
    assert set(SCENARIOS) - registered == set(), "a scenario for an action that is gone"


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_nobody_approves_their_own_proposal(world, kind):
    propose = SCENARIOS[kind](world)
    proposer, colleague = world.proposer, world.colleague
    before = _state()
    proposal = propose(proposer)
    assert proposal.kind == kind and proposal.status == ProposalStatus.PENDING
    assert _state() == before, "a proposal changes nothing until it is approved"

    # The service.
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(proposer, proposal)
    # The handler itself, called directly with the proposer as approver.
    with pytest.raises((Refused, PermissionDenied, IntegrityError)), transaction.atomic():
        proposals.registry[kind].apply(proposal, proposer)
    # The pages: the approve step, confirmed.
    page = _client(proposer).post(
        reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"}, follow=True
    )
    assert "eigen voorstel" in page.text
    detail = _client(proposer).get(reverse("approvals:detail", args=[proposal.pk]))
    assert reverse("approvals:approve", args=[proposal.pk]) not in detail.text
    # The admin: a proposal is never changed there, not even by a superuser.
    staff = _client(world.superuser)
    change = reverse("admin:approvals_proposal_change", args=[proposal.pk])
    assert staff.post(change, {"status": ProposalStatus.APPROVED}).status_code == 403
    # The database.
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.APPROVED, decided_by=proposer, decided_at=proposal.proposed_at
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert _state() == before, "a refused approval changed data"

    # A colleague may: the scenario really changes money.
    _client(colleague).post(reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by == colleague
    assert _state() != before

    # Nor does the proposer approve the run of the month the proposal is about.
    if proposal.period is not None:
        run = _run_of(world, proposal.period)
        with pytest.raises(Refused, match="zelf iets voorgesteld"):
            payments.approve_run(proposer, run)
        page = _client(proposer).post(reverse("payments:approve", args=[run.pk]), follow=True)
        assert "zelf iets voorgesteld" in page.text
        run.refresh_from_db()
        assert run.status == RunStatus.DRAFT


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_a_pending_proposal_holds_the_run_of_its_month(world, kind):
    proposal = SCENARIOS[kind](world)(world.proposer)
    if proposal.period is None:
        pytest.skip("not about a month's run")
    # Shortfalls need a decision anyway; decide them first where that is not the scenario.
    run = _run_of(world, proposal.period)
    for case in run.shortfalls.filter(decision__isnull=True):
        if proposals.pending(target=case).exists():
            continue
        other = payments.propose_shortfall_decision(
            world.preparer, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Huur gaat voor"
        )
        proposals.approve(world.colleague, other)
    third = UserFactory(role_code=RoleCode.BACKOFFICE, organisation=world.preparer.organisation)
    with pytest.raises(Refused, match="wacht nog 1 voorstel"):
        payments.approve_run(third, run)
    # Once decided, the run may go on (a shortfall needs its decision; the rest is declined).
    if kind == payments.SHORTFALL_DECIDE:
        proposals.approve(world.colleague, proposal)
    else:
        proposals.reject(world.colleague, proposal, reason="Niet nodig deze maand.")
    payments.approve_run(third, run)


# --- money-changing services outside the proposals ----------------------------------------------
# Each: the one user who does it tries to be its second pair of eyes as well -> refused.


def _run_prepared_and_approved_alone(w):
    with pytest.raises(Refused, match="zelf voorbereid"):
        payments.approve_run(w.preparer, w.december)


def _shortfall_recorded_and_approved_alone(w):
    case = w.december.shortfalls.get()
    with pytest.raises(Refused, match="collega"):
        plans.decide_shortfall(
            w.colleague,
            case.plan,
            DEC,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Zonder tweede paar ogen",
            approved_by=w.colleague,
        )


def _repaid_without_a_proposal(w):
    # Paying a return again has no one-step service any more: only propose + approve.
    assert not hasattr(repay, "retry_payment")
    assert not hasattr(payments, "decide_shortfall")


def _plans_changed_and_run_approved_by_one_role(w):
    # Plan changes (lines, amounts, incomes, machtigingen) need edits_participants; the run
    # that pays them needs approves_payments. No shipped role has both.
    both = [
        code
        for code, rights in ROLES.items()
        if rights.get("edits_participants") and rights.get("approves_payments")
    ]
    assert both == []


SERVICES = {
    "payments.approve_run by its preparer": _run_prepared_and_approved_alone,
    "plans.decide_shortfall approved by its decider": _shortfall_recorded_and_approved_alone,
    "banking.repay / payments: no one-step path": _repaid_without_a_proposal,
    "plans.services (plan changes) vs run approval": _plans_changed_and_run_approved_by_one_role,
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_money_services_need_a_second_person(world, name):
    before = _state()
    SERVICES[name](world)
    assert _state() == before


# --- the admin ----------------------------------------------------------------------------------
# Registered models with money or payee data -> fields nobody may change there ("__all__": the
# model is read-only in the admin).

MONEY_ADMIN = {
    # The bank gets the account holder's name (pain.001 Nm); `name` is how the app shows it.
    "plans.Creditor": ["iban", "bic", "account_holder_name"],
    "participants.Participant": ["iban", "account_holder_name"],
    "payments.DebtorAccount": ["iban", "bic", "name", "region", "municipality"],
    "plans.Plan": "__all__",
    "plans.PlanLine": "__all__",
    "ledger.Account": "__all__",
    "ledger.Transaction": "__all__",
    "approvals.Proposal": "__all__",
    "audit.AuditEntry": "__all__",
}
# Registered models without money or payee data, and why.
OTHER_ADMIN = {
    "accounts.Organisation": "organisations: no money",
    "accounts.Role": "rights of roles (audited); no shipped role both edits plans and approves",
    "accounts.User": "users (audited)",
    "auth.Group": "unused by Ontzorg",
    "banking.AccountAlias": "which statements belong to a region; pays nothing",
    "django_tasks_database.DBTaskResult": "background task results",
    # DigiD for the participants' personal page (portal): SAML settings and certificates.
    "digid_eherkenning.ConfigCertificate": "DigiD/eHerkenning certificates; no money",
    "digid_eherkenning.DigidConfiguration": "DigiD SAML settings of the personal page; no money",
    "digid_eherkenning.EherkenningConfiguration": "eHerkenning SAML settings (unused); no money",
    "digid_eherkenning.MockDigidUser": "mock DigiD users (development, demo); no money",
    "simple_certmanager.Certificate": "certificates for DigiD; no money",
    "simple_certmanager.SigningRequest": "certificate signing requests for DigiD; no money",
    "guidance.Activity": "guidance, read-only",
    "guidance.Contact": "guidance, read-only",
    "guidance.PracticalCondition": "guidance, read-only",
    "guidance.Referral": "referrals to regular services, read-only",
    "inventory.Asset": "intake inventory, read-only; moves no money",
    "inventory.AssetLimit": "asset limits of the bijstand: a check, pays nothing",
    "inventory.Debt": "intake inventory, read-only; moves no money",
    "inventory.IntegrationRecord": "duaal-traject facts, read-only",
    "measurements.Assignment": "measurements",
    "measurements.ChecklistItem": "measurements",
    "measurements.Measurement": "measurements, read-only",
    "monitor.Study": "evaluation studies (the pseudonym key is never shown); no money",
    "otp_static.StaticDevice": "a staff user's second factor; pays nothing",
    "otp_totp.TOTPDevice": "a staff user's second factor; pays nothing",
    "participants.Decision": "eligibility decisions, read-only",
    "participants.Household": "households, read-only",
    "participants.SelectionDraw": "the draw, read-only",
    "plans.BenefitNorm": "norm table: only for the low-leefgeld warning, pays nothing",
    "regelingen.CostCeiling": "plausibility ceilings: refuse or warn, pay nothing",
    "regelingen.Instrument": "guidance instruments",
    "regelingen.Regeling": "the regeling's configuration (audited); runs are approved apart",
    "regelingen.Region": "regions and their municipalities",
    "signals.ApiClient": "API clients of creditors; pay nothing",
    "signals.Signal": "signals, read-only",
    "signals.SignalRoute": "who a region's signals of a kind of creditor go to; pays nothing",
}


def test_every_admin_model_is_classified():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(MONEY_ADMIN) - set(OTHER_ADMIN) == set(), "classify each new admin"
    assert set(MONEY_ADMIN) & set(OTHER_ADMIN) == set()
    assert (set(MONEY_ADMIN) | set(OTHER_ADMIN)) - registered == set(), "an admin that is gone"


@pytest.mark.parametrize("label", sorted(MONEY_ADMIN))
def test_money_is_never_changed_in_the_admin(world, label):
    """For an existing object: the money fields are not in the admin's form (so a POST
    cannot change them), or the admin may not change the model at all."""
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/beheer/")
    request.user = world.superuser
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world has no {label}"
    fields = MONEY_ADMIN[label]
    if fields == "__all__":
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_delete_permission(request, obj)
        return
    if not model_admin.has_change_permission(request, obj):
        return
    form = model_admin.get_form(request, obj, change=True)
    editable = set(form.base_fields) & set(fields)
    assert editable == set(), f"{label}: {sorted(editable)} can be changed in the admin"
    # The region's own paying account is set up once, when the region starts, by beheer;
    # every change after that is four-eyes (checked above). Payees are never added with an
    # account in one step.
    if model_admin.has_add_permission(request) and label not in SET_UP_ONCE:
        form = model_admin.get_form(request, None, change=False)
        settable = set(form.base_fields) & set(fields)
        assert settable == set(), f"{label}: {sorted(settable)} can be set when adding"


SET_UP_ONCE = {"payments.DebtorAccount"}


def test_a_creditors_iban_posted_to_the_admin_stays_as_it_was(world):
    creditor = world.creditor
    before = (creditor.iban, creditor.name)
    url = reverse("admin:plans_creditor_change", args=[creditor.pk])
    staff = _client(world.superuser)
    page = staff.get(url)
    assert page.status_code == 200
    assert reverse("plans:creditor_payee", args=[creditor.pk]) in page.text  # where to go
    data = {
        "name": "Iemand Anders",
        "iban": NEW_IBAN,
        "category": creditor.category,
        "town": creditor.town,
        "country": creditor.country,
        "region": creditor.region_id or "",
        "is_active": "on",
    }
    response = staff.post(url, data)
    assert response.status_code == 302  # the form was valid and saved ...
    creditor.refresh_from_db()
    assert creditor.name == "Iemand Anders"  # ... what may change here did ...
    assert creditor.iban == before[0]  # ... and the account did not

    # Nor can a creditor be added with an account in one step.
    response = staff.post(reverse("admin:plans_creditor_add"), data | {"name": "Nieuw"})
    assert response.status_code == 302
    assert type(creditor).objects.get(name="Nieuw").iban == ""


# --- management commands ------------------------------------------------------------------------

COMMANDS = {
    "camt_dump": "prints a bank file; stores nothing",
    "mark_dead_tasks": "marks crashed background tasks; pays nothing",
    "monitor_snapshots": "monitor snapshots; no money",
    "signals_create_token": "API tokens for creditors; no money",
    "signals_scan_internal": "raises signals; pays nothing",
    "end_nazorg": "closes nazorg periods; no money",
    "check_handovers": "raises signals for missing handover checks; pays nothing",
    "apply_retention": "anonymises and erases by retention term; amounts and ledger untouched",
    "totp_code": "prints a demo user's current second-factor code",
    # Demo data (dev settings only): decides shortfalls by proposal, approved by a colleague.
    "load_demo": "demo data: proposals approved by a second demo user",
    "demo_logins": "prints the demo logins",
    "demo_statements": "writes demo bank files",
}


def test_every_command_is_classified():
    ours = {
        name for name, app in get_commands().items() if app.startswith(("ontzorg", "ontzorg_demo"))
    }
    assert ours - set(COMMANDS) == set(), "classify each new management command"


# --- the count ----------------------------------------------------------------------------------


def test_matrix_size(capsys):
    n = len(proposals.load_actions())
    m = len(MONEY_ADMIN)
    with capsys.disabled():
        print(
            f"\nfour-eyes matrix: {n} actions, {m} admin models"
            f" ({len(SERVICES)} services, {len(COMMANDS)} commands classified)"
        )
    assert n == len(SCENARIOS) >= 7
    assert m >= 9
