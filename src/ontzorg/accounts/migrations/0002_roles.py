"""Ship the six roles as data."""

from django.db import migrations


def load_roles(apps, schema_editor):
    from ontzorg.accounts.roles import ROLES

    Role = apps.get_model("accounts", "Role")
    for code, fields in ROLES.items():
        Role.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
