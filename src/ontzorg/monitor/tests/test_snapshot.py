"""Snapshots: the facts per participant, frozen, immutable and reproducible."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ontzorg.audit.models import AuditEntry
from ontzorg.core.appendonly import AppendOnlyError
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.measurements.constants import Moment
from ontzorg.measurements.tests.factories import MeasurementFactory
from ontzorg.monitor import facts, services
from ontzorg.monitor.constants import AgeBand, HouseholdType
from ontzorg.monitor.models import Snapshot, SnapshotRow
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot, withhold
from ontzorg.participants import lifecycle
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import ParticipantFactory


@pytest.fixture
def data(regeling):
    return pilot(regeling)


@pytest.fixture
def snapshot(data, projectleider):
    moment = MomentFactory(region=data.regeling.region)
    return services.build_snapshot(projectleider, moment, today=AS_OF)


def _row(snapshot, participant):
    return SnapshotRow.objects.get(snapshot=snapshot, participant=participant)


def test_rows_hold_the_facts_on_the_peildatum(db, data, snapshot):
    assert snapshot.row_count == 6 == snapshot.rows.count()
    assert set(snapshot.rows.values_list("comparison_group", flat=True)) == {"participant"}
    first, second, third = (_row(snapshot, p) for p in data.people[:3])
    assert first.age_band == AgeBand.OLDER  # born 1960
    assert first.household_type == HouseholdType.SINGLE
    assert second.household_type == HouseholdType.COUPLE_CHILDREN
    assert first.extended and not second.extended
    assert (first.first_category, first.latest_category) == (1, 2)
    assert (second.first_category, second.latest_category) == (2, 3)
    assert first.latest_moment == Moment.EINDMETING
    assert first.withheld_cents == 3 * 80_000 and first.withheld_months == 3
    assert first.reserves_cents == 2_500
    assert first.guidance_minutes == 30 + 90 and first.trainings_attended == 1
    assert second.shortfall_months == 1 and second.outflow_to_work
    assert second.returned_payments == 1 and first.returned_payments == 0
    assert second.outflow_on == date(2026, 2, 1)
    assert third.arrears_start_cents == 45_000 == third.arrears_now_cents
    assert third.signals_after_end == 1 and first.signals_after_end == 0
    assert first.start_on == date(2025, 10, 1) and not first.ended


def test_a_snapshot_does_not_change_when_the_data_change_later(db, data, snapshot):
    before = services.stored_rows(snapshot)
    participant = data.people[0]
    MeasurementFactory(
        participant=participant,
        instrument=data.instrument,
        rank=3,
        moment=Moment.FOLLOW_UP,
        measured_on=date(2026, 3, 25),
    )
    withhold(participant, 99_999, date(2026, 4, 1), booked_on=date(2026, 3, 30))
    for step in lifecycle.route(participant.phase, Phase.ENDED):
        lifecycle.move(participant, step, on=date(2026, 3, 31), reason="testopzet")
    participant.country_of_origin = "Eritrea"
    participant.save()
    ParticipantFactory(regeling=data.regeling)

    assert services.stored_rows(snapshot) == before
    assert services.verify_snapshot(snapshot) == {"intact": True, "reproduced": False}


def test_the_same_data_give_the_same_rows(db, data, snapshot):
    assert services.verify_snapshot(snapshot) == {"intact": True, "reproduced": True}
    assert facts.rows(data.regeling.region_id, AS_OF) == services.stored_rows(snapshot)


def test_facts_after_the_peildatum_do_not_count(db, data):
    before = facts.rows(data.regeling.region_id, AS_OF)
    participant = data.people[0]
    MeasurementFactory(
        participant=participant,
        instrument=data.instrument,
        rank=3,
        moment=Moment.FOLLOW_UP,
        measured_on=date(2026, 4, 2),
    )
    withhold(participant, 12_345, date(2026, 4, 1))
    assert facts.rows(data.regeling.region_id, AS_OF) == before


def test_snapshots_refuse_updates_and_deletes(db, snapshot):
    row = snapshot.rows.first()
    row.guidance_minutes = 1
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        SnapshotRow.objects.filter(pk=row.pk).update(guidance_minutes=1)
    with pytest.raises(AppendOnlyError):
        Snapshot.objects.all().delete()


@pytest.mark.parametrize("table", ["monitor_snapshotrow", "monitor_snapshot"])
def test_the_database_refuses_changes_too(db, snapshot, table):
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert SnapshotRow.objects.filter(snapshot=snapshot).count() == 6


def test_one_snapshot_per_moment_and_not_before_its_date(db, data, projectleider):
    moment = MomentFactory(region=data.regeling.region, on=AS_OF)
    with pytest.raises(Refused, match="pas op of na de peildatum"):
        services.build_snapshot(projectleider, moment, today=date(2026, 3, 30))
    services.build_snapshot(projectleider, moment, today=AS_OF)
    with pytest.raises(Refused, match="al een momentopname"):
        services.build_snapshot(projectleider, moment, today=AS_OF)
    assert AuditEntry.objects.filter(object_type="monitor.Snapshot").count() == 1


def test_only_export_roles_build_and_only_for_their_region(db, data, klantmanager, other_pl):
    moment = MomentFactory(region=data.regeling.region)
    with pytest.raises(PermissionDenied):
        services.build_snapshot(klantmanager, moment, today=AS_OF)
    with pytest.raises(PermissionDenied):
        services.build_snapshot(other_pl, moment, today=AS_OF)
    assert not Snapshot.objects.exists()


def test_due_snapshots_are_built_by_the_command(db, data):
    MomentFactory(region=data.regeling.region, on=AS_OF)
    MomentFactory(region=data.regeling.region, on=date(2026, 9, 30))
    built = services.build_due_snapshots(today=date(2026, 4, 1))
    assert [s.as_of for s in built] == [AS_OF]
    assert services.build_due_snapshots(today=date(2026, 4, 1)) == []
