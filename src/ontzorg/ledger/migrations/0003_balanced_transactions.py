"""PostgreSQL refuses, at commit, a ledger transaction whose entries do not add up to zero.

`ledger.services.check_lines` refuses such a posting before it is written; this is the
database's own guard against raw SQL and future code. It is a constraint trigger, DEFERRABLE
INITIALLY DEFERRED, so the entries may be inserted one by one after their transaction and
are checked together when the database transaction commits. On the transaction row it also
catches a transaction without entries. SQLite has no deferred triggers: nothing there."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION ontzorg_ledger_balanced() RETURNS trigger AS $$
DECLARE
    checked bigint;
    total numeric;
    lines integer;
BEGIN
    IF TG_TABLE_NAME = 'ledger_entry' THEN
        checked := NEW.transaction_id;
    ELSE
        checked := NEW.id;
    END IF;
    SELECT coalesce(sum(amount_cents), 0), count(*) INTO total, lines
        FROM ledger_entry WHERE transaction_id = checked;
    IF total <> 0 OR lines < 2 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: % entries add up to % cents',
            checked, lines, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_entry;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ontzorg_ledger_balanced();
DROP TRIGGER IF EXISTS ledger_transaction_balanced ON ledger_transaction;
CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ontzorg_ledger_balanced();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_entry;
DROP TRIGGER IF EXISTS ledger_transaction_balanced ON ledger_transaction;
DROP FUNCTION IF EXISTS ontzorg_ledger_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
