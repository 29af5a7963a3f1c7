# Four eyes on shortfall decisions: who approved the proposal, never who decided.

import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_plan_first_rent_gift"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="shortfalldecision",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="goedgekeurd door",
            ),
        ),
        migrations.AddConstraint(
            model_name="shortfalldecision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_by__isnull", True),
                    models.Q(
                        ("approved_by", django.db.models.expressions.F("decided_by")),
                        _negated=True,
                    ),
                    _connector="OR",
                ),
                name="shortfall_decision_four_eyes",
            ),
        ),
    ]
