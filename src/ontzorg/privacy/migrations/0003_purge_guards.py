"""Close the forged-purge path of migration 0002 in the database itself, against any SQL the
app's role can send:

- a `PurgeLease` never outlives its transaction: on PostgreSQL a DEFERRABLE INITIALLY DEFERRED
  constraint trigger refuses the COMMIT of any transaction that still holds a lease row
  (`purge_audit` deletes its lease before it commits), so no lease can be left open for later
  deletes;
- an `AuditPurge` record is dated by the database and cannot reach into the term: a BEFORE
  INSERT trigger sets `performed_at` to now() (PostgreSQL) and refuses a `retention_years`
  below MIN_YEARS and a cutoff later than now() minus `retention_years`.

SQLite has no deferred triggers and its BEFORE triggers cannot change the new row: there the
cutoff and the floor are checked, the lease's lifetime and `performed_at` are not (see
docs/retention.md). The SQL is literal here, so the migration is frozen."""

from django.db import migrations

# The shortest audit term the database accepts for a purge record, whatever the settings say.
MIN_YEARS = 1

POSTGRES_FORWARD = [
    """
CREATE OR REPLACE FUNCTION ontzorg_purge_lease_open() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM privacy_purgelease WHERE id = NEW.id) THEN
        RAISE EXCEPTION 'a purge lease cannot outlive its transaction (purge %)', NEW.purge_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS privacy_purgelease_not_committed ON privacy_purgelease",
    "CREATE CONSTRAINT TRIGGER privacy_purgelease_not_committed "
    "AFTER INSERT OR UPDATE ON privacy_purgelease DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION ontzorg_purge_lease_open()",
    f"""
CREATE OR REPLACE FUNCTION ontzorg_purge_record_checked() RETURNS trigger AS $$
BEGIN
    NEW.performed_at := now();
    IF NEW.retention_years < {MIN_YEARS} THEN
        RAISE EXCEPTION 'an audit purge keeps at least {MIN_YEARS} year(s), not %',
            NEW.retention_years USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.cutoff > now() - make_interval(years => NEW.retention_years) THEN
        RAISE EXCEPTION 'audit purge cutoff % is within the % year term',
            NEW.cutoff, NEW.retention_years USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS privacy_auditpurge_checked ON privacy_auditpurge",
    "CREATE TRIGGER privacy_auditpurge_checked BEFORE INSERT ON privacy_auditpurge "
    "FOR EACH ROW EXECUTE FUNCTION ontzorg_purge_record_checked()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS privacy_auditpurge_checked ON privacy_auditpurge",
    "DROP FUNCTION IF EXISTS ontzorg_purge_record_checked()",
    "DROP TRIGGER IF EXISTS privacy_purgelease_not_committed ON privacy_purgelease",
    "DROP FUNCTION IF EXISTS ontzorg_purge_lease_open()",
]
# Django stores datetimes on SQLite as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]', the form of
# datetime('now'), so the two compare as text.
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS privacy_auditpurge_checked",
    "CREATE TRIGGER privacy_auditpurge_checked BEFORE INSERT ON privacy_auditpurge "
    f"WHEN NEW.retention_years < {MIN_YEARS} "
    "OR NEW.cutoff > datetime('now', '-' || NEW.retention_years || ' years') "
    "BEGIN SELECT RAISE(ABORT, 'audit purge cutoff is within its term'); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS privacy_auditpurge_checked"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_guards")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
