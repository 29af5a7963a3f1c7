from datetime import date

import factory

from ontzorg.regelingen.constants import LEGAL_CATEGORIES, Inclusion
from ontzorg.regelingen.models import (
    Instrument,
    InstrumentLevel,
    Municipality,
    PackageItem,
    Regeling,
    Region,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    is_lead = True


class RegelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regeling
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"Ontzorgen {o.region.name}")
    valid_from = date(2025, 1, 1)

    @factory.post_generation
    def package(self, create, extracted, **kwargs):
        if not create:
            return
        for category in extracted if extracted is not None else LEGAL_CATEGORIES:
            PackageItem.objects.create(
                regeling=self, category=category, inclusion=Inclusion.STANDARD
            )


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"ZRM Financiën {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        labels = extracted or [
            ("acute problematiek", 1),
            ("niet zelfredzaam", 1),
            ("beperkt zelfredzaam", 2),
            ("voldoende zelfredzaam", 3),
            ("volledig zelfredzaam", 3),
        ]
        exit_rank = kwargs.get("exit_rank", 4)
        for rank, (label, category) in enumerate(labels, start=1):
            InstrumentLevel.objects.create(
                instrument=self,
                rank=rank,
                label=label,
                category=category,
                is_exit=rank >= exit_rank,
            )
