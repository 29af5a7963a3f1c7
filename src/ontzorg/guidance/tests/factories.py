from datetime import date

import factory

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.guidance.constants import ContactKind
from ontzorg.guidance.models import Activity, Contact, Session
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.models import Training
from ontzorg.regelingen.tests.factories import RegelingFactory


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    regeling = factory.SubFactory(RegelingFactory)
    name = "Geldwijzer"
    sessions = 4


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    participant = factory.SubFactory(ParticipantFactory)
    kind = ContactKind.HOME_VISIT
    occurred_on = date(2025, 10, 1)
    duration_minutes = 60
    recorded_by = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("recorded_by.organisation")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    training = factory.SubFactory(TrainingFactory)
    regeling = factory.SelfAttribute("training.regeling")
    name = factory.SelfAttribute("training.name")
    created_by = factory.SubFactory(UserFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    held_on = date(2025, 10, 7)
    duration_minutes = 120
