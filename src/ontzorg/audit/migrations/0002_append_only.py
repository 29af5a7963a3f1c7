"""Refuse UPDATE and DELETE on the audit table in the database itself."""

from django.db import migrations

from ontzorg.core.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [AppendOnly("AuditEntry")]
