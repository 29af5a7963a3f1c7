"""Refuse UPDATE and DELETE on snapshots and their rows in the database itself."""

from django.db import migrations

from ontzorg.core.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("monitor", "0001_initial"), ("audit", "0002_append_only")]
    operations = [AppendOnly("Snapshot"), AppendOnly("SnapshotRow")]
