"""The three outcome instruments the pilots named (issue 12), shipped as data: a region uses
them by choosing them in its regeling. Levels run from worst (1) to best, as on the
self-reliance instruments, so a rising line is progress on every chart."""

from django.db import migrations

STRESS = (
    "Ervaren geldstress",
    "Hoeveel stress de deelnemer over geld en rekeningen ervaart (vijfpuntsschaal, zelf "
    "aangegeven of samen met de klantmanager of coach).",
    [
        "Zeer veel stress over geld",
        "Veel stress over geld",
        "Matig: soms stress over geld",
        "Weinig stress over geld",
        "Geen stress over geld",
    ],
)
LANGUAGE = (
    "Taalvoortgang Nederlands (ERK)",
    "Het niveau Nederlands volgens het Europees Referentiekader, zoals bij de inburgering "
    "vastgesteld of door de docent ingeschat. B1 is het doel van de inburgering.",
    [
        "Nog geen Nederlands (onder A1)",
        "A1: eenvoudige zinnen",
        "A2: alledaagse situaties",
        "B1: zelfstandig (doel inburgering)",
        "B2 of hoger",
    ],
)
AGENCIES = (
    "Aantal benaderde instanties",
    "Hoeveel instanties (gemeente, Belastingdienst, zorgverzekeraar, woningcorporatie, "
    "energieleverancier, DUO, CJIB...) de deelnemer sinds de vorige meting zelf heeft "
    "benaderd, met een vraag, een wijziging of een betalingsregeling.",
    30,
)


def add_instruments(apps, schema_editor):
    Instrument = apps.get_model("regelingen", "Instrument")
    InstrumentLevel = apps.get_model("regelingen", "InstrumentLevel")
    for purpose, (name, description, labels) in (("stress", STRESS), ("language", LANGUAGE)):
        instrument, created = Instrument.objects.get_or_create(
            name=name,
            defaults={"description": description, "purpose": purpose, "scale": "levels"},
        )
        if created:
            InstrumentLevel.objects.bulk_create(
                InstrumentLevel(instrument=instrument, rank=rank, label=label, is_exit=False)
                for rank, label in enumerate(labels, start=1)
            )
    name, description, max_count = AGENCIES
    Instrument.objects.get_or_create(
        name=name,
        defaults={
            "description": description,
            "purpose": "agencies",
            "scale": "count",
            "max_count": max_count,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("regelingen", "0007_instrument_purpose_and_scale"),
    ]

    operations = [
        migrations.RunPython(add_instruments, migrations.RunPython.noop),
    ]
