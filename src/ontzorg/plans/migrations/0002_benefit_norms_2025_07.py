"""Bijstand norms of 1 July 2025 (net per month, excl. holiday allowance), from facts.md."""

from datetime import date

from django.db import migrations

VALID_FROM = date(2025, 7, 1)

# (household type, age band, with children, amount in cents)
NORMS = [
    ("single", "adult", False, 130061),
    ("single", "adult", True, 130061),
    ("married", "adult", False, 185801),
    ("married", "adult", True, 185801),
    ("single", "under_21", False, 32108),
    ("single", "under_21", True, 32108),
    ("married", "under_21", False, 64216),
    ("married", "under_21", True, 101376),
    ("married_one_u21", "adult", False, 125009),
    ("married_one_u21", "adult", True, 162169),
    ("single", "aow", False, 145370),
    ("single", "aow", True, 145370),
    ("married", "aow", False, 199023),
    ("married", "aow", True, 199023),
]


def load(apps, schema_editor):
    BenefitNorm = apps.get_model("plans", "BenefitNorm")
    for household_type, age_band, with_children, amount_cents in NORMS:
        BenefitNorm.objects.update_or_create(
            household_type=household_type,
            age_band=age_band,
            with_children=with_children,
            valid_from=VALID_FROM,
            defaults={"amount_cents": amount_cents},
        )


def unload(apps, schema_editor):
    apps.get_model("plans", "BenefitNorm").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
