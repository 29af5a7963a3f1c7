"""The one deliberate way audit entries are ever deleted: at the end of their term.

The audit table is append-only: the model and its queryset refuse deletes, and a database
trigger refuses them too, also in raw SQL. Migration privacy 0002 narrows that trigger by
exactly one exception: a DELETE of a row older than the cutoff of an `AuditPurge` whose
`PurgeLease` exists. `purge_audit` writes that record (how many, which period, when, by what)
and the lease, deletes, and drops the lease, all in one transaction; so the record of a purge
is committed with the purge itself, and outside that transaction every delete is refused.

Migration privacy 0003 makes that hold against any SQL: a transaction that still holds a lease
cannot commit (PostgreSQL), and the database itself refuses a record whose cutoff lies within
the term as counted by its own clock. So the purge counts its term by the database's clock as
well (never later than `now`): a clock moved ahead in the app cannot reach into the term."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from ontzorg.audit.models import AuditEntry
from ontzorg.core.dates import add_months

from .models import AuditPurge, PurgeLease


def cutoff_for(now: datetime) -> datetime:
    """The start of the day, ``ONTZORG_AUDIT_RETENTION_YEARS`` years before `now`'s day."""
    years = settings.ONTZORG_AUDIT_RETENTION_YEARS
    day = add_months(timezone.localdate(now), -12 * years)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def database_now() -> datetime:
    """The database's current time (the one its purge trigger checks against)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite: UTC as text
        value = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def purge_audit(now: datetime, *, performed_by: str) -> AuditPurge | None:
    """Delete the audit entries past their term; the purge's record, or None if none were."""
    cutoff = cutoff_for(min(now, database_now()))
    with transaction.atomic():
        due = AuditEntry.objects.filter(at__lt=cutoff)
        found = due.aggregate(n=Count("pk"), first=Min("at"), last=Max("at"))
        if not found["n"]:
            return None
        done = AuditPurge.objects.create(
            performed_by=performed_by,
            retention_years=settings.ONTZORG_AUDIT_RETENTION_YEARS,
            cutoff=cutoff,
            deleted_count=found["n"],
            first_at=found["first"],
            last_at=found["last"],
        )
        lease = PurgeLease.objects.create(purge=done)
        table = AuditEntry._meta.db_table
        column = AuditEntry._meta.get_field("at").column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(table)} WHERE {quote(column)} < %s",
                [connection.ops.adapt_datetimefield_value(cutoff)],
            )
            deleted = cursor.rowcount
        if deleted != found["n"]:
            # The record must say what happened; anything else undoes the purge.
            raise RuntimeError(f"audit purge deleted {deleted} rows, recorded {found['n']}")
        lease.delete()
    return done
