"""A statement knows the region of its paying account, so its entries can be scoped by key."""

import django.db.models.deletion
from django.db import migrations, models


def fill_regions(apps, schema_editor):
    """The region of each stored statement's account, as far as the accounts are known."""
    DebtorAccount = apps.get_model("payments", "DebtorAccount")
    BankStatement = apps.get_model("banking", "BankStatement")
    regions = {
        iban.replace(" ", "").upper(): region_id
        for iban, region_id in DebtorAccount.objects.values_list("iban", "region_id")
    }
    for iban in set(BankStatement.objects.values_list("account_iban", flat=True)):
        region_id = regions.get(iban.replace(" ", "").upper())
        if region_id is not None:
            BankStatement.objects.filter(account_iban=iban).update(region_id=region_id)


class Migration(migrations.Migration):
    dependencies = [
        ("banking", "0002_reconciliation_returns"),
        ("payments", "0001_initial"),
        ("regelingen", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="bankstatement",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="De regio wiens betaalrekening dit is, zoals bekend bij het inlezen.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regelingen.region",
                verbose_name="regio",
            ),
        ),
        migrations.RunPython(fill_regions, migrations.RunPython.noop),
    ]
