"""PostgreSQL keeps an approved payment run as it was approved (payments migration 0006),
tried as the app's database role (docs/production.md): its instructions cannot be changed,
added or deleted, the run cannot be made a draft again, and the role can neither TRUNCATE
nor switch the trigger off. The app's own flow, approval to booking, still runs as that
role; emptying the payee fields for erasure stays possible."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F

from ontzorg.core.tests.app_role import as_app_role
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PaymentInstruction, PaymentRun

from .factories import PERIOD
from .test_runs import decide

NEXT = date(2025, 12, 1)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
REFUSED = "approved run|is approved|was approved"


def approved_run(backoffice, approver, region):
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    return services.approve_run(approver, run)


def refused(action):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        action()


def test_approved_instructions_cannot_change(backoffice, approver, region, ready_region):
    run = approved_run(backoffice, approver, region)
    payment = run.instructions.filter(kind=InstructionKind.CREDITOR).first()
    same = PaymentInstruction.objects.filter(pk=payment.pk)
    fields = ("amount_cents", "due_cents", "iban", "name")
    before, count = same.values_list(*fields).get(), run.instructions.count()
    with as_app_role():
        refused(lambda: same.update(amount_cents=1))
        refused(lambda: same.update(iban="NL91ABNA0417164300"))
        refused(lambda: same.update(name="Iemand Anders"))
        refused(lambda: same.update(due_cents=F("due_cents") + 1))
        refused(lambda: same.update(name="", amount_cents=1))  # erasure changes nothing else
        refused(lambda: same.delete())
        refused(lambda: PaymentRun.objects.filter(pk=run.pk).update(status=RunStatus.DRAFT))
        refused(lambda: PaymentRun.objects.filter(pk=run.pk).update(approved_at=None))

        def add_one():
            payment.pk, payment.end_to_end_id = None, "OZ-EXTRA-1"
            payment.save()

        refused(add_one)
    assert same.values_list(*fields).get() == before
    assert run.instructions.count() == count
    assert not PaymentInstruction.objects.filter(end_to_end_id="OZ-EXTRA-1").exists()


def test_a_temporary_table_cannot_stand_in_for_the_runs(backoffice, approver, region, ready_region):
    """The app role may make temporary tables (ontzorg.bulk does); one named
    payments_paymentrun saying the run is a draft must not be what the guard reads."""
    run = approved_run(backoffice, approver, region)
    payment = run.instructions.filter(kind=InstructionKind.CREDITOR).first()
    with as_app_role():

        def forge():
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMPORARY TABLE payments_paymentrun ON COMMIT DROP AS "
                    "SELECT * FROM public.payments_paymentrun"
                )
                cursor.execute(
                    "UPDATE payments_paymentrun SET status = %s, approved_at = NULL",
                    [RunStatus.DRAFT],
                )
                cursor.execute(
                    "UPDATE public.payments_paymentinstruction SET amount_cents = 999999 "
                    "WHERE id = %s",
                    [payment.pk],
                )

        refused(forge)
    payment.refresh_from_db()
    assert payment.amount_cents != 999999


def test_instructions_stay_frozen_after_the_run_is_cancelled(
    backoffice, approver, region, ready_region
):
    run = approved_run(backoffice, approver, region)
    with as_app_role():
        services.cancel_run(backoffice, run)
        refused(lambda: run.instructions.update(amount_cents=1))


def test_instructions_cannot_move_between_an_approved_and_a_draft_run(
    backoffice, approver, region, ready_region
):
    """Neither out of an approved run into a draft (where it could be changed) nor into an
    approved run from a draft; nor can an approved run be deleted or a cancelled one made a
    draft again."""
    run = approved_run(backoffice, approver, region)
    draft = services.prepare_run(backoffice, region, NEXT)
    moved_out = PaymentInstruction.objects.filter(pk=run.instructions.first().pk)
    moved_in = PaymentInstruction.objects.filter(pk=draft.instructions.first().pk)
    with as_app_role():
        refused(lambda: moved_out.update(run=draft))
        refused(lambda: moved_in.update(run=run))

        def delete_run():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM payments_paymentrun WHERE id = %s", [run.pk])

        refused(delete_run)
        services.cancel_run(backoffice, run)
        refused(lambda: PaymentRun.objects.filter(pk=run.pk).update(status=RunStatus.DRAFT))
    assert moved_out.get().run_id == run.pk and moved_in.get().run_id == draft.pk


def test_draft_instructions_are_not_frozen(backoffice, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    with as_app_role():
        assert run.instructions.update(remittance="concept") == run.instructions.count()


def test_the_whole_flow_runs_as_the_app_role(backoffice, approver, region, ready_region):
    with as_app_role():
        run = approved_run(backoffice, approver, region)
        services.export_run(approver, run)
        services.export_run(approver, run)  # a lost download fetched again
        services.book_run(backoffice, run)
    run.refresh_from_db()
    assert run.status == RunStatus.BOOKED


def test_payee_fields_can_be_emptied_for_erasure(backoffice, approver, region, ready_region):
    run = approved_run(backoffice, approver, region)
    allowance = run.instructions.filter(kind=InstructionKind.ALLOWANCE)
    # As ontzorg.privacy.retention does it: the name becomes its marker, the rest empty.
    fields = dict(name="geanonimiseerd", iban="", bic="", street="", town="", remittance="")
    with as_app_role():
        assert allowance.update(**fields) == allowance.count() > 0
    assert set(allowance.values_list("name", "iban")) == {("geanonimiseerd", "")}


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE payments_paymentinstruction CASCADE",
        "ALTER TABLE payments_paymentinstruction DISABLE TRIGGER ALL",
        "ALTER TABLE payments_paymentinstruction DISABLE TRIGGER payments_instruction_frozen",
        "DROP TRIGGER payments_instruction_frozen ON payments_paymentinstruction",
    ],
)
def test_the_app_role_cannot_get_around_the_guard(
    backoffice, approver, region, ready_region, statement
):
    run = approved_run(backoffice, approver, region)
    with as_app_role():
        with (
            pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        refused(lambda: run.instructions.update(amount_cents=1))
