# The creditor's name as the bank knows it, filled where the name already has a Latin form.

from django.db import migrations, models

import ontzorg.participants.validators
from ontzorg.payments.sepa import latin_form


def fill(apps, schema_editor):
    Creditor = apps.get_model("plans", "Creditor")
    changed = []
    for creditor in Creditor.objects.only("pk", "name").iterator():
        name = latin_form(creditor.name)
        if name:
            creditor.account_holder_name = name
            changed.append(creditor)
    Creditor.objects.bulk_update(changed, ["account_holder_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_shortfall_decision_approved_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditor",
            name="account_holder_name",
            field=models.CharField(
                blank=True,
                help_text="De naam zoals de bank die kent, in Latijnse letters (SEPA-tekenset).",
                max_length=70,
                validators=[ontzorg.participants.validators.validate_account_holder_name],
                verbose_name="naam rekeninghouder",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
