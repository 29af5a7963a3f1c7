"""Ship the six roles as data. Frozen: the values are literals, as they were when this
migration was written; a later change of a role's rights is a new migration."""

from django.db import migrations

ROLES = {
    "klantmanager": {
        "name": "Klantmanager",
        "scope": "region",
        "sees_bsn": True,
        "sees_bank": True,
        "edits_participants": True,
        "records_guidance": True,
    },
    "backoffice": {
        "name": "Backoffice / budgetbeheerder",
        "scope": "region",
        "sees_bsn": True,
        "sees_bank": True,
        "prepares_payments": True,
        "approves_payments": True,
    },
    "budgetcoach": {
        "name": "Budgetcoach",
        "scope": "organisation",
        "records_guidance": True,
    },
    "projectleider": {
        "name": "Projectleider",
        "scope": "region",
        "exports_pseudonymised": True,
    },
    "evaluator": {
        "name": "Evaluator",
        "scope": "none",
        "exports_pseudonymised": True,
    },
    "beheerder": {
        "name": "Beheerder",
        "scope": "all",
        "sees_bsn": True,
        "sees_bank": True,
        "edits_participants": True,
        "views_audit": True,
    },
}


def load_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, fields in ROLES.items():
        Role.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
