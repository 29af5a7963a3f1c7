"""The guards of approved runs read payments_paymentrun by a fixed search path
(core/pinning.py)."""

from django.db import migrations

from ontzorg.core.pinning import pin_search_path


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_approved_instructions_frozen")]
    operations = [
        pin_search_path(
            "ontzorg_run_was_approved(bigint)",
            "ontzorg_instruction_frozen()",
            "ontzorg_run_approval_kept()",
        )
    ]
