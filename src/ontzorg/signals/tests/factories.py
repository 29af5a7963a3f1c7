"""Factories for signals and creditor API clients."""

from datetime import date

import factory

from ontzorg.signals import services
from ontzorg.signals.constants import CreditorKind, SignalKind, Source, Status
from ontzorg.signals.models import Signal


def api_client_with_token(region, *, name="Woonstad", active=True):
    """An API client for `region` and its plain token (the database only has the hash)."""
    client, token = services.create_api_client(
        None, name=name, creditor_kind=CreditorKind.HOUSING, regions=[region]
    )
    if not active:
        client.is_active = False
        client.save(update_fields=["is_active"])
    return client, token


class SignalFactory(factory.django.DjangoModelFactory):
    """An internal signal about a participant; pass participant=..."""

    class Meta:
        model = Signal

    source = Source.INTERNAL
    kind = SignalKind.NEGATIVE_BALANCE
    reported_on = date(2025, 3, 1)
    status = Status.NEW
    due_on = date(2025, 3, 10)
    region = factory.LazyAttribute(
        lambda o: o.participant.regeling.region if o.participant else None
    )
