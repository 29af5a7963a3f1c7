"""PostgreSQL keeps the payment instructions of an approved run as they were approved.

Once a run is approved (and also after it was exported, booked or cancelled after approval),
its instructions cannot be added, changed or removed, not even with raw SQL: what the second
pair of eyes approved is what goes into the bank file. The app never does any of these; it
only inserts instructions while a run is being computed or is a draft. One change stays
possible for erasure under the retention rules (ontzorg.privacy): emptying the payee's
snapshot fields (name, account, address, remittance) or setting them to its marker
"geanonimiseerd", which can never redirect a payment.

A run, once approved, also cannot be made a draft again, lose or change its approval, or
move to another region or month: otherwise un-approving would open its instructions again.
SQLite has no such trigger; the services refuse all of it there as well."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION ontzorg_run_was_approved(run bigint) RETURNS boolean AS $$
    SELECT approved_at IS NOT NULL OR status IN ('approved', 'exported', 'booked')
        FROM payments_paymentrun WHERE id = run
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION ontzorg_instruction_frozen() RETURNS trigger AS $$
DECLARE
    payee text[] := ARRAY['name', 'iban', 'bic', 'street', 'building_number', 'postcode',
                          'town', 'country', 'remittance'];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND ontzorg_run_was_approved(OLD.run_id) THEN
        IF TG_OP = 'UPDATE'
            AND (to_jsonb(NEW) - payee) = (to_jsonb(OLD) - payee)
            AND NOT EXISTS (
                SELECT 1 FROM jsonb_each_text(to_jsonb(NEW)) AS n
                    JOIN jsonb_each_text(to_jsonb(OLD)) AS o USING (key)
                WHERE n.key = ANY (payee) AND n.value <> o.value
                    AND n.value NOT IN ('', 'geanonimiseerd')
            )
        THEN
            RETURN NEW;  -- only payee fields erased
        END IF;
        RAISE EXCEPTION 'payment instruction % belongs to an approved run and cannot be %',
            OLD.end_to_end_id, CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND ontzorg_run_was_approved(NEW.run_id) THEN
        RAISE EXCEPTION 'payment run % is approved: no instruction can be added to it',
            NEW.run_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS payments_instruction_frozen ON payments_paymentinstruction;
CREATE TRIGGER payments_instruction_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON payments_paymentinstruction
    FOR EACH ROW EXECUTE FUNCTION ontzorg_instruction_frozen();

CREATE OR REPLACE FUNCTION ontzorg_run_approval_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'payment run % was approved and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.approved_at IS DISTINCT FROM OLD.approved_at
        OR NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id
        OR NEW.region_id <> OLD.region_id
        OR NEW.period <> OLD.period
        OR NEW.status IN ('preparing', 'draft')
    THEN
        RAISE EXCEPTION 'payment run % was approved: its approval, region and month stay',
            OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS payments_run_approval_kept ON payments_paymentrun;
CREATE TRIGGER payments_run_approval_kept BEFORE UPDATE OR DELETE ON payments_paymentrun
    FOR EACH ROW
    WHEN (OLD.approved_at IS NOT NULL OR OLD.status IN ('approved', 'exported', 'booked'))
    EXECUTE FUNCTION ontzorg_run_approval_kept();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS payments_instruction_frozen ON payments_paymentinstruction;
DROP TRIGGER IF EXISTS payments_run_approval_kept ON payments_paymentrun;
DROP FUNCTION IF EXISTS ontzorg_instruction_frozen();
DROP FUNCTION IF EXISTS ontzorg_run_approval_kept();
DROP FUNCTION IF EXISTS ontzorg_run_was_approved(bigint);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0005_payee_case_carried_to")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
