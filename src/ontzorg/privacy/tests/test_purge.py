"""The audit purge: the one deliberate delete through the audit trail's append-only guard.
It deletes exactly the entries past their term, leaves a record of itself, and everything
else (an ordinary delete, raw SQL, a record without a lease, a forged record, a lease left
open past its transaction) is still refused.

The database counts the term by its own clock, which no test can move: the entries are
written in the past (time_machine) relative to the database's current time instead."""

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AppendOnlyError, AuditEntry
from ontzorg.audit.services import record
from ontzorg.privacy import purge
from ontzorg.privacy.models import AuditPurge, PurgeLease

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def entry_at(moment, user):
    with time_machine.travel(moment, tick=False):
        return record(user, Action.VIEW, user, summary="deelnemerspagina bekeken")


@pytest.fixture
def now(db):
    return purge.database_now()


@pytest.fixture
def entries(klantmanager, now):
    """Two entries past the seven-year term and two within it."""
    old = [now - timedelta(days=9 * 365), now - timedelta(days=7 * 365 + 10)]
    young = [now - timedelta(days=7 * 365 - 10), now - timedelta(days=1)]
    return [entry_at(moment, klantmanager) for moment in old + young]


def commit_checks():
    """Run the checks PostgreSQL defers to COMMIT now (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_purge_deletes_what_is_past_its_term_and_records_it(entries, now):
    old, young = entries[:2], entries[2:]

    done = purge.purge_audit(now, performed_by="manage.py apply_retention")

    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {e.pk for e in young}
    assert done == AuditPurge.objects.get()
    assert done.deleted_count == 2
    assert (done.first_at, done.last_at) == (old[0].at, old[1].at)
    assert done.cutoff == purge.cutoff_for(now)
    assert timezone.localtime(done.cutoff).time() == timezone.localtime(done.cutoff).time().min
    assert done.retention_years == 7
    assert done.performed_by == "manage.py apply_retention"
    assert not PurgeLease.objects.exists()  # the lease never outlives the purge
    if connection.vendor == "postgresql":
        commit_checks()  # and the purge would commit


def test_a_clock_moved_ahead_cannot_reach_into_the_term(entries, now):
    """The app's clock says ten years later; the term is still counted from the database's."""
    done = purge.purge_audit(now + timedelta(days=10 * 365), performed_by="test")
    assert done.cutoff == purge.cutoff_for(now)
    assert AuditEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("years", "cutoff_days_ago"),
    [(7, -365), (7, 0), (7, 3 * 365), (0, 30)],
    ids=["future", "now", "within-term", "no-term"],
)
def test_a_forged_purge_record_is_refused(entries, now, years, cutoff_days_ago):
    """Raw SQL as the app could send it: a record whose cutoff reaches into the term (or with
    no term at all), with its lease, to delete chosen entries."""
    forged = (
        "INSERT INTO privacy_auditpurge (performed_at, performed_by, retention_years, cutoff, "
        "deleted_count) VALUES (%s, 'forged', %s, %s, 0)"
    )
    adapt = connection.ops.adapt_datetimefield_value
    cutoff = now - timedelta(days=cutoff_days_ago)
    with (
        pytest.raises(DatabaseError, match=r"within|at least"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(forged, [adapt(now), years, adapt(cutoff)])
        cursor.execute(
            "INSERT INTO privacy_purgelease (purge_id) SELECT max(id) FROM privacy_auditpurge"
        )
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 4
    assert not AuditPurge.objects.exists()


@pytest.mark.postgres_only
@on_postgres
def test_a_lease_left_open_cannot_commit(entries, now):
    """A lease committed would keep deletes open for later transactions: PostgreSQL refuses
    to commit while one exists, even for a record that is itself in order."""
    with pytest.raises(DatabaseError, match="outlive"), transaction.atomic():
        done = AuditPurge.objects.create(
            performed_by="test", retention_years=7, cutoff=purge.cutoff_for(now), deleted_count=0
        )
        PurgeLease.objects.create(purge=done)
        commit_checks()
    assert not PurgeLease.objects.exists()


@pytest.mark.postgres_only
@on_postgres
def test_the_database_dates_the_purge_record(entries, now):
    done = AuditPurge.objects.create(
        performed_by="test", retention_years=7, cutoff=purge.cutoff_for(now), deleted_count=0
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT performed_at = now() FROM privacy_auditpurge WHERE id = %s", [done.pk]
        )
        assert cursor.fetchone()[0]


def test_nothing_due_writes_no_record(entries, now):
    assert purge.purge_audit(now - timedelta(days=3 * 365), performed_by="test") is None
    assert AuditEntry.objects.count() == 4
    assert not AuditPurge.objects.exists()


def test_term_follows_the_setting(entries, settings, now):
    settings.ONTZORG_AUDIT_RETENTION_YEARS = 10
    assert purge.purge_audit(now, performed_by="test") is None
    assert AuditEntry.objects.count() == 4


@pytest.mark.parametrize(
    "statement", ["DELETE FROM audit_auditentry", "UPDATE audit_auditentry SET summary = 'x'"]
)
def test_an_ordinary_delete_is_still_refused(entries, statement, now):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entries[0].pk).delete()
    with pytest.raises(AppendOnlyError):
        entries[0].delete()
    # A purge's record alone (without its lease in the same transaction) opens nothing.
    purge.purge_audit(now, performed_by="test")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.count() == 2


def test_a_lease_opens_only_rows_before_its_cutoff(entries, now):
    """The trigger checks the row against the purge's recorded cutoff: a lease cannot be
    used to delete entries the record does not cover."""
    young = entries[-1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        done = AuditPurge.objects.create(
            performed_by="test", retention_years=7, cutoff=purge.cutoff_for(now), deleted_count=0
        )
        PurgeLease.objects.create(purge=done)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [young.pk])
    assert AuditEntry.objects.filter(pk=young.pk).exists()


@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM privacy_auditpurge", "UPDATE privacy_auditpurge SET deleted_count = 0"],
)
def test_the_record_of_a_purge_is_append_only(entries, statement, now):
    done = purge.purge_audit(now, performed_by="test")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditPurge.objects.get().deleted_count == done.deleted_count == 2
