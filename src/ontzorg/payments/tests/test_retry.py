"""A run survives a crash between any two steps: retried, it pays and books each
instruction exactly once and the ledger balances. Two runs started at once: one proceeds."""

import threading
from collections import Counter

import pytest
from django.db import connection

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import Role
from ontzorg.accounts.roles import ROLES
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.approvals import proposals
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.models import Transaction
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg.plans import reading
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.plans.models import Plan

from .factories import PERIOD, debtor_account, ready_participant
from .test_runs import end_to_end_ids


class Crash(Exception):
    """Stands for the process dying at this point."""


def crash_on_call(monkeypatch, owner, name, nth):
    """Make owner.name raise Crash on its nth call (once); other calls run normally."""
    original = getattr(owner, name)
    calls = Counter()

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == nth:
            raise Crash(f"{name} #{nth}")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


# (where, function, which call): between the steps of preparing, computing (chunk by chunk),
# deciding, approving, exporting (file by file) and booking (chunk by chunk).
CRASH_POINTS = [
    ("prepare: before the run is committed", services, "record", 1),
    ("compute: in the first chunk", services, "_instructions", 1),
    ("compute: between chunks", services, "_compute_chunk", 3),
    ("compute: before the run is marked done", services, "_compute_chunk", 5),
    ("decide: after the decision, before its payments", reading, "compute_month", 1),
    ("approve: before the approval is committed", services, "record", 2),
    ("export: after the first file", services, "_write_file", 2),
    ("export: before the export is committed", services, "record", 3),
    ("book: after the first chunk", services, "book_participants", 2),
    ("book: halfway a chunk's postings", ledger, "post_many", 3),
    ("book: after all postings, before the status", ledger, "balance_check", 1),
    ("book: before the booking is committed", services, "record", 4),
]


def retrying(step, *args, **kwargs):
    try:
        return step(*args, **kwargs)
    except Crash:
        return step(*args, **kwargs)


@pytest.fixture
def scene(regeling, backoffice, approver, settings, monkeypatch):
    settings.ONTZORG_SEPA_BATCH_SIZE = 3
    monkeypatch.setattr(services, "CHUNK_SIZE", 1)
    monkeypatch.setattr(services, "SQLITE_CHUNK_SIZE", 1)
    debtor_account(regeling.region)
    for n in range(3):
        ready_participant(regeling, pots=[("Buffer", 1000)] if n == 1 else ())
    ready_participant(regeling, income_cents=50_000)
    return regeling.region


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "owner", "name", "nth"), CRASH_POINTS, ids=[p[0] for p in CRASH_POINTS]
)
def test_run_retried_after_a_crash_pays_everything_once(
    scene, backoffice, approver, monkeypatch, where, owner, name, nth
):
    calls = crash_on_call(monkeypatch, owner, name, nth)
    region = scene

    try:
        run = services.prepare_run(backoffice, region, PERIOD)
    except Crash:
        run = services.prepare_run(backoffice, region, PERIOD)
    # The task runner records a crashed computation as failed; retrying is running it again.
    services.compute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    for case in run.shortfalls.all():
        proposal = services.propose_shortfall_decision(
            backoffice,
            case,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Huur gaat voor, rest later",
        )
        retrying(proposals.approve, approver, proposal)
    retrying(services.approve_run, approver, run)
    retrying(services.export_run, approver, run)
    retrying(services.book_run, backoffice, run)
    assert calls["n"] >= nth, "the crash point was never reached"

    run.refresh_from_db()
    assert run.status == RunStatus.BOOKED
    assert PaymentRun.objects.count() == 1

    # Exactly what the plans say for this month, once.
    expected = Counter()
    for plan in Plan.objects.all():
        result = reading.compute_month(plan, PERIOD)
        for p in result.creditor_payments:
            expected[(plan.participant_id, "creditor", p.amount_cents)] += 1
        for a in result.allowance_payments:
            expected[(plan.participant_id, "allowance", a.amount_cents)] += 1
        for s in result.savings:
            expected[(plan.participant_id, "savings", s.amount_cents)] += 1
    actual = Counter(run.instructions.values_list("participant_id", "kind", "amount_cents"))
    assert actual == expected

    in_files = end_to_end_ids(run)
    paid = run.instructions.exclude(kind=InstructionKind.SAVINGS)
    assert sorted(in_files) == sorted(paid.values_list("end_to_end_id", flat=True))
    assert len(in_files) == len(set(in_files))

    booked = Counter(
        Transaction.objects.filter(key__startswith="instruction:").values_list("key", flat=True)
    )
    assert set(booked.values()) == {1}
    assert len(booked) == run.instructions.count()
    assert ledger.balance_check(run=run).balanced
    assert ledger.balance_check().balanced


def _prepare_in_thread(user, region, barrier, outcomes):
    try:
        barrier.wait()
        outcomes.append(services.prepare_run(user, region, PERIOD))
    except Refused as exc:
        outcomes.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
# Serialized rollback: the flush afterwards must not re-create content types under new ids
# (PostgreSQL keeps its sequences), or the browser tests after it cannot restore theirs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_started_at_once_one_proceeds(regeling, municipality_org):
    # An earlier transactional test may have flushed the roles that migration 0002 ships.
    for code, fields in ROLES.items():
        Role.objects.get_or_create(code=code, defaults=fields)
    debtor_account(regeling.region)
    for _ in range(3):
        ready_participant(regeling)
    users = [
        UserFactory(role_code=RoleCode.BACKOFFICE, organisation=municipality_org) for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(target=_prepare_in_thread, args=(u, regeling.region, barrier, outcomes))
        for u in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    runs = [o for o in outcomes if isinstance(o, PaymentRun)]
    refusals = [o for o in outcomes if isinstance(o, Refused)]
    assert len(runs) == 1 and len(refusals) == 1
    assert "Er is al een betaalrun" in str(refusals[0])
    run = PaymentRun.objects.get()
    assert run.status == RunStatus.DRAFT
    assert run.instructions.count() == 3 * 3  # rent, energy, allowance each
