from datetime import date

import factory

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import InstrumentFactory


def three_level_instrument(name="Driedelige schaal"):
    return InstrumentFactory(
        name=name,
        levels=[("niet zelfredzaam", 1), ("beperkt zelfredzaam", 2), ("zelfredzaam", 3)],
        levels__exit_rank=3,
    )


class MeasurementFactory(factory.django.DjangoModelFactory):
    """`MeasurementFactory(participant=..., instrument=..., rank=3)`."""

    class Meta:
        model = Measurement
        exclude = ("rank",)

    participant = factory.SubFactory(ParticipantFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    rank = 1
    level = factory.LazyAttribute(lambda o: o.instrument.levels.get(rank=o.rank))
    moment = Moment.NULMETING
    measured_on = date(2025, 9, 15)
    perspective = Perspective.CASE_WORKER
    assessed_by = factory.SubFactory(UserFactory)
