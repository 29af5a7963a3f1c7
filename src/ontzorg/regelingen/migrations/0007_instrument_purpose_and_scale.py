# Instruments of other outcomes than self-reliance (issue 12): stress, language progress and
# agencies approached; a count instead of levels; levels of such outcomes have no category.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regelingen", "0006_first_payment_and_handover_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="instrument",
            name="max_count",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a count: the highest plausible number, for example 30.",
                null=True,
                verbose_name="highest count",
            ),
        ),
        migrations.AddField(
            model_name="instrument",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("self_reliance", "Financial self-reliance"),
                    ("stress", "Stress"),
                    ("language", "Language progress"),
                    ("agencies", "Agencies approached"),
                ],
                default="self_reliance",
                help_text=(
                    "Only financial self-reliance decides whether ontzorgen may end; the other "
                    "outcomes are measured alongside it."
                ),
                max_length=20,
                verbose_name="measures",
            ),
        ),
        migrations.AddField(
            model_name="instrument",
            name="scale",
            field=models.CharField(
                choices=[("levels", "Ordered levels"), ("count", "Count")],
                default="levels",
                max_length=10,
                verbose_name="recorded as",
            ),
        ),
        migrations.AlterField(
            model_name="instrumentlevel",
            name="category",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "not financially self-reliant"),
                    (2, "partly financially self-reliant"),
                    (3, "financially self-reliant"),
                ],
                null=True,
                verbose_name="category",
            ),
        ),
        migrations.AddConstraint(
            model_name="instrument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("scale", "count"), _negated=True),
                    models.Q(
                        ("max_count__gt", 0),
                        models.Q(("purpose", "self_reliance"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="instrument_count_has_maximum",
            ),
        ),
    ]
