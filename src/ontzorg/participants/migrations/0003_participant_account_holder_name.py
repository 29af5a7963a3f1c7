# The payee's name as the bank knows it, filled where the name already has a Latin form.

from django.db import migrations, models

import ontzorg.participants.validators
from ontzorg.payments.sepa import latin_form


def fill(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    changed = []
    for participant in Participant.objects.only("pk", "first_name", "last_name").iterator():
        name = latin_form(f"{participant.first_name} {participant.last_name}")
        if name:
            participant.account_holder_name = name
            changed.append(participant)
    Participant.objects.bulk_update(changed, ["account_holder_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_household_dates_and_moves"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
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
