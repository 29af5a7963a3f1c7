"""Make the retention records append-only, and let the audit trail's own guard allow the one
deliberate deletion: a purge that holds a `PurgeLease` in its transaction, for rows older
than its recorded cutoff (privacy.models). Updates of audit rows stay refused; so does every
other delete, also in raw SQL. The SQL is literal here, so the migration is frozen."""

from django.db import migrations

from ontzorg.core.appendonly import AppendOnly

COVERED = (
    "EXISTS (SELECT 1 FROM privacy_purgelease l JOIN privacy_auditpurge p ON p.id = l.purge_id "
    'WHERE OLD."at" < p.cutoff)'
)

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    f"WHEN NOT {COVERED} "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END",
]
POSTGRES_FORWARD = [
    f"""
CREATE OR REPLACE FUNCTION ontzorg_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {COVERED} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION ontzorg_audit_append_only()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION ontzorg_append_only()",
    "DROP FUNCTION IF EXISTS ontzorg_audit_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_retention_records"),
        ("audit", "0003_event_codes"),
    ]

    operations = [
        AppendOnly("Anonymisation"),
        AppendOnly("ErasedFile"),
        AppendOnly("AuditPurge"),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
