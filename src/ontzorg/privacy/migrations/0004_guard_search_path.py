"""The audit trail's delete guard and the purge checks read the lease and purge tables by a
fixed search path (core/pinning.py)."""

from django.db import migrations

from ontzorg.core.pinning import pin_search_path


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_purge_guards")]
    operations = [
        pin_search_path(
            "ontzorg_audit_append_only()",
            "ontzorg_purge_lease_open()",
            "ontzorg_purge_record_checked()",
        )
    ]
