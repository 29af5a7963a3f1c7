from django.db import migrations, models

from ontzorg.core.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="event",
            field=models.CharField(
                blank=True, db_index=True, max_length=60, null=True, verbose_name="gebeurtenis"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="params",
            field=models.JSONField(blank=True, null=True, verbose_name="gegevens"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="request_id",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="verzoek"),
        ),
        # Nullable columns are added in place; installing the guards again is a no-op then.
        AppendOnly("AuditEntry"),
    ]
