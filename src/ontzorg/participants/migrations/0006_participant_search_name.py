"""The participants' names folded for an accent-insensitive search, filled for the rows
that exist (new and changed rows fill it when they are saved: core.search.SearchField)."""

from django.db import migrations

import ontzorg.core.search


def fill(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    rows = list(Participant.objects.values_list("pk", "first_name", "last_name"))
    Participant.objects.bulk_update(
        [
            Participant(pk=pk, search_name=ontzorg.core.search.fold(f"{first} {last}")[:255])
            for pk, first, last in rows
        ],
        ["search_name"],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0005_english_message_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="search_name",
            field=ontzorg.core.search.SearchField(
                blank=True,
                default="",
                editable=False,
                max_length=255,
                sources=("first_name", "last_name"),
                verbose_name="name for searching",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
