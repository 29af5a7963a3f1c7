"""The balance guard reads ledger_entry by a fixed search path (core/pinning.py)."""

from django.db import migrations

from ontzorg.core.pinning import pin_search_path


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_balanced_transactions")]
    operations = [pin_search_path("ontzorg_ledger_balanced()")]
