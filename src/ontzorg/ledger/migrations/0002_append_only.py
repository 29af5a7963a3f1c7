"""Refuse UPDATE and DELETE on ledger transactions and entries in the database itself."""

from django.db import migrations

from ontzorg.core.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("audit", "0002_append_only")]
    operations = [AppendOnly("Transaction"), AppendOnly("Entry")]
