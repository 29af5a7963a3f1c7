"""Section (b) of bench/payment_run.py: the whole run with ledger writes on the configured
database, for N participants with open plans (4 to 8 fixed costs each).

    from bench.support.payments import run_with_ledger
    figures = run_with_ledger(10_000)   # Django set up; creates and drops a test database

Also builds the paid run that bench/camt_import.py reads back. Never imported by the
application."""

import random
import tempfile
import time
from datetime import date

from django.db import connection
from django.test.utils import override_settings, setup_databases, teardown_databases

PERIOD = date(2026, 12, 1)
CATEGORIES = ["huur", "energie", "water", "zorgverzekering", "telecom", "verzekering"]
CATEGORIES += ["gemeentebelasting", "kinderopvang"]


def build(n_participants: int, seed: int = 2026):
    """A region with a debtor account, two backoffice users and N ready participants."""
    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.models import Organisation, Role, User
    from ontzorg.participants.models import Household, Participant
    from ontzorg.payments.models import DebtorAccount
    from ontzorg.plans.constants import CreditorCategory
    from ontzorg.plans.models import Creditor, Income, LineAmount, Machtiging, Plan, PlanLine
    from ontzorg.regelingen.models import Municipality, Regeling, Region
    from ontzorg_demo.testdata import fake_bsn, fake_iban

    rng = random.Random(seed)
    region = Region.objects.create(name="Benchmark", slug="benchmark")
    regeling = Regeling.objects.create(region=region, name="Bench", valid_from=date(2025, 1, 1))
    municipality = Municipality.objects.create(region=region, name="Benchstad", is_lead=True)
    DebtorAccount.objects.create(
        region=region, name="Gemeente Benchstad", iban="NL38BNGH0285000123", bic="BNGHNL2G"
    )
    org = Organisation.objects.create(name="Gemeente Benchstad", kind="municipality", region=region)
    role = Role.objects.get(code=RoleCode.BACKOFFICE)
    users = [User.objects.create(username=f"bench{i}", organisation=org, role=role) for i in (1, 2)]
    creditors = Creditor.objects.bulk_create(
        Creditor(
            name=f"Schuldeiser {category} {k}",
            account_holder_name=f"Schuldeiser {category} {k}",
            iban=fake_iban(900_000 + 10 * i + k),
            category=CreditorCategory.OVERIG,
            town="Benchstad",
            street="Markt",
            building_number=str(k + 1),
            postcode="1234 AB",
        )
        for i, category in enumerate(CATEGORIES)
        for k in range(3)
    )
    by_category = {c: creditors[3 * i : 3 * i + 3] for i, c in enumerate(CATEGORIES)}
    households = Household.objects.bulk_create(
        (
            Household(municipality=municipality, street="Laan", house_number=str(i), city="Bench")
            for i in range(n_participants)
        ),
        batch_size=5000,
    )
    participants = Participant.objects.bulk_create(
        (
            Participant(
                household=h,
                regeling=regeling,
                phase="active",
                bsn=fake_bsn(i),
                first_name=f"Deelnemer{i}",
                last_name="Bench",
                account_holder_name=f"Deelnemer{i} Bench",
                date_of_birth=date(1990, 1, 1),
                gender="x",
                country_of_origin="Eritrea",
                arrival_on=date(2026, 1, 1),
                bijstand_start_on=date(2026, 9, 1),
                iban=fake_iban(i),
            )
            for i, h in enumerate(households)
        ),
        batch_size=5000,
    )
    plans = Plan.objects.bulk_create(
        (
            Plan(
                participant=p,
                regeling=regeling,
                start_on=date(2026, 9, 1),
                planned_end_on=date(2027, 2, 28),
            )
            for p in participants
        ),
        batch_size=5000,
    )
    lines = []
    for plan in plans:
        for category in CATEGORIES[: rng.randint(4, 8)]:
            lines.append(
                PlanLine(
                    plan=plan,
                    category=category,
                    creditor=rng.choice(by_category[category]),
                    reference=f"K{plan.pk}{category[:3]}",
                    day_of_month=rng.choice((1, 15, 25)),
                    starts_on=plan.start_on,
                )
            )
    lines = PlanLine.objects.bulk_create(lines, batch_size=5000)
    LineAmount.objects.bulk_create(
        (
            LineAmount(
                line=line, amount_cents=rng.randint(1_000, 20_000), valid_from=line.starts_on
            )
            for line in lines
        ),
        batch_size=5000,
    )
    by_plan = {plan.pk: plan.participant_id for plan in plans}
    Machtiging.objects.bulk_create(
        (
            Machtiging(
                participant_id=by_plan[line.plan_id],
                creditor_id=line.creditor_id,
                signed_on=date(2026, 8, 20),
            )
            for line in lines
        ),
        batch_size=5000,
    )
    Income.objects.bulk_create(
        (
            Income(
                participant=p, kind="bijstand", amount_cents=130_061, valid_from=date(2026, 9, 1)
            )
            for p in participants
        ),
        batch_size=5000,
    )
    return region, users


def timed_run(region, preparer, approver) -> dict:
    """Prepare (compute), approve, export and book one run; seconds per step."""
    from ontzorg.approvals import proposals
    from ontzorg.ledger.models import Entry, Transaction
    from ontzorg.payments import services
    from ontzorg.plans.constants import ShortfallChoice

    figures = {}
    start = time.perf_counter()
    run = services.prepare_run(preparer, region, PERIOD)
    services.compute_run(run.pk)
    figures["compute_s"] = time.perf_counter() - start
    step = time.perf_counter()
    # Costs above the income (rare in this data) wait for a decision, as in real life.
    # Four eyes: the preparer proposes, the approver approves each decision.
    for case in run.shortfalls.filter(decision__isnull=True):
        proposal = services.propose_shortfall_decision(
            preparer, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Benchmark: voorrang"
        )
        proposals.approve(approver, proposal)
    figures["shortfalls"] = run.shortfalls.count()
    services.approve_run(approver, run)
    services.export_run(approver, run)
    figures["export_s"] = time.perf_counter() - step
    step = time.perf_counter()
    services.book_run(preparer, run)
    figures["book_s"] = time.perf_counter() - step
    figures["total_s"] = time.perf_counter() - start
    figures["instructions"] = run.instructions.count()
    figures["transactions"] = Transaction.objects.count()
    figures["entries"] = Entry.objects.count()
    figures["balanced"] = services.ledger.balance_check(run=run).balanced
    return figures


def run_with_ledger(n_participants: int) -> dict:
    """Build N participants in a fresh test database, time the run, drop the database."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        MEDIA_ROOT=tempfile.mkdtemp(prefix="ontzorg-bench-"),
    ):
        old = setup_databases(verbosity=0, interactive=False)
        try:
            start = time.perf_counter()
            region, (preparer, approver) = build(n_participants)
            figures = {"vendor": connection.vendor, "participants": n_participants}
            figures["build_s"] = time.perf_counter() - start
            figures |= timed_run(region, preparer, approver)
        finally:
            teardown_databases(old, verbosity=0)
    return figures
