"""The bijstand asset limits of 1 January 2025 (Rijksoverheid: € 7,895 for a single person,
€ 15,790 for a couple or a single parent). Later figures are added in the admin (or a new
migration): the limits change every 1 January."""

from datetime import date

from django.db import migrations

VALID_FROM = date(2025, 1, 1)
LIMITS = {"single": 789_500, "family": 1_579_000}


def load(apps, schema_editor):
    AssetLimit = apps.get_model("inventory", "AssetLimit")
    for household, amount_cents in LIMITS.items():
        AssetLimit.objects.update_or_create(
            household=household, valid_from=VALID_FROM, defaults={"amount_cents": amount_cents}
        )


def unload(apps, schema_editor):
    AssetLimit = apps.get_model("inventory", "AssetLimit")
    AssetLimit.objects.filter(valid_from=VALID_FROM, household__in=list(LIMITS)).delete()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_debts_assets_integration")]
    operations = [migrations.RunPython(load, unload)]
