"""Comparison groups (issue 12): every person who entered intake is in a snapshot.

The new columns are nullable without a default, so SQLite adds them in place (ALTER TABLE ADD
COLUMN) instead of copying the table, which would drop its append-only triggers, and
PostgreSQL adds them without touching a row; installing the guards again is then a no-op.
Undoing the migration removes the columns, which on SQLite does copy the table: the guards
are installed again after that as well (`GuardsAfterUndo`, the first operation)."""

from django.db import migrations, models

from ontzorg.core.appendonly import AppendOnly


class GuardsAfterUndo(AppendOnly):
    """Nothing forwards; when the migration is undone, install the triggers again last."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)


class Migration(migrations.Migration):

    dependencies = [
        ('monitor', '0004_english_message_ids'),
    ]

    operations = [
        GuardsAfterUndo("Snapshot"),
        GuardsAfterUndo("SnapshotRow"),
        migrations.AddField(
            model_name='snapshot',
            name='version',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='version of the facts'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='benefit_ended',
            field=models.BooleanField(null=True, verbose_name='bijstand ended'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='comparison_group',
            field=models.CharField(choices=[('participant', 'participant'), ('not_drawn', 'not drawn'), ('not_eligible', 'not eligible'), ('opted_out', 'opted out'), ('waiting', 'waiting for draw or plan')], max_length=16, null=True, verbose_name='comparison group'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='guidance_organisation',
            field=models.CharField(blank=True, max_length=160, null=True, verbose_name='guiding organisation (name)'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='months_since_start',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='months since the start'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='debt_now_cents',
            field=models.BigIntegerField(null=True, verbose_name='debts on the reference date (cents)'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='debt_start_cents',
            field=models.BigIntegerField(null=True, verbose_name='debts at the start (cents)'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='referrals',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='referrals to regular services'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='agencies_first',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='agencies approached at the first measurement'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='agencies_latest',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='agencies approached at the latest measurement'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='language_first',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='language level at the first measurement'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='language_latest',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='language level at the latest measurement'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='stress_first',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='stress at the first measurement'),
        ),
        migrations.AddField(
            model_name='snapshotrow',
            name='stress_latest',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='stress at the latest measurement'),
        ),
        AppendOnly("Snapshot"),
        AppendOnly("SnapshotRow"),
    ]
