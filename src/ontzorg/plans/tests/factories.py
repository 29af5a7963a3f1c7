"""Factories for creditors, plans, lines, machtigingen and income."""

from datetime import date

import factory

from ontzorg.participants.tests.factories import ParticipantFactory, case_worker_for
from ontzorg.payments.sepa import latin_form
from ontzorg.plans import services
from ontzorg.plans.constants import CreditorCategory, IncomeKind
from ontzorg.plans.models import Creditor, Income, LineAmount, Machtiging, Plan, PlanLine
from ontzorg.regelingen.constants import CostCategory
from ontzorg_demo.testdata import fake_iban


class CreditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creditor

    name = factory.Sequence(lambda n: f"Woonstichting {n}")
    # As `create_creditor` fills it in: the name's Latin form, if it has one.
    account_holder_name = factory.LazyAttribute(lambda o: latin_form(o.name) or "")
    iban = factory.Sequence(lambda n: fake_iban(500_000 + n))
    bic = ""
    kvk_number = factory.Sequence(lambda n: f"{41000000 + n}")
    category = CreditorCategory.WONINGCORPORATIE
    street = "Stationsplein"
    building_number = "1"
    postcode = "2711 AA"
    town = "Zoetermeer"
    country = "NL"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    participant = factory.SubFactory(ParticipantFactory)
    regeling = factory.SelfAttribute("participant.regeling")
    start_on = date(2025, 9, 1)
    planned_end_on = date(2026, 2, 28)

    @classmethod
    def _create(cls, model_class, *, participant, regeling, start_on, **fields):
        """Made by a case worker through `plans.services.create_plan`, so the participant
        passes the lifecycle (guards, then ontzorgd) as in real use; other given fields
        (the planned end) are then set on the plan."""
        assert regeling == participant.regeling, "a plan follows its participant's regeling"
        plan = services.create_plan(
            case_worker_for(participant.regeling), participant, start_on=start_on
        )
        changed = {name: value for name, value in fields.items() if getattr(plan, name) != value}
        if changed:
            model_class.objects.filter(pk=plan.pk).update(**changed)
            plan.refresh_from_db()
        participant.refresh_from_db(fields=["phase"])
        return plan


class PlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLine
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    category = CostCategory.HUUR
    creditor = factory.SubFactory(CreditorFactory)
    reference = factory.Sequence(lambda n: f"KLANT-{n:06d}")
    day_of_month = 1
    starts_on = factory.SelfAttribute("plan.start_on")

    @factory.post_generation
    def amount_cents(self, create, extracted, **kwargs):
        if create and extracted is not False:
            LineAmount.objects.create(
                line=self, amount_cents=extracted or 65000, valid_from=self.starts_on
            )


class MachtigingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Machtiging

    line = factory.SubFactory(PlanLineFactory)
    participant = factory.LazyAttribute(lambda o: o.line.plan.participant)
    creditor = factory.LazyAttribute(lambda o: o.line.creditor)
    signed_on = date(2025, 8, 20)


class IncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Income

    participant = factory.SubFactory(ParticipantFactory)
    kind = IncomeKind.BIJSTAND
    amount_cents = 130061
    valid_from = date(2025, 9, 1)
