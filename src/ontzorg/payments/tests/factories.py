"""A region with participants ready for a payment run: plans, lines, machtigingen, income."""

from datetime import date

from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments.models import DebtorAccount
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.models import SavingsPot
from ontzorg.plans.tests.factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)
from ontzorg.regelingen.constants import CostCategory

PERIOD = date(2025, 11, 1)


def debtor_account(region):
    """The region's own paying account."""
    account, _ = DebtorAccount.objects.get_or_create(
        region=region,
        municipality=None,
        defaults=dict(name=f"Gemeente {region.name}", iban="NL20INGB0001234567", bic="INGBNL2A"),
    )
    return account


def municipal_account(municipality, iban="NL91ABNA0417164300"):
    """A municipality's own paying account, within its region."""
    return DebtorAccount.objects.create(
        region=municipality.region,
        municipality=municipality,
        name=f"Gemeente {municipality.name}",
        iban=iban,
        bic="ABNANL2A",
    )


def ready_participant(
    regeling,
    *,
    income_cents=130_061,
    rent_cents=65_000,
    energy_cents=12_000,
    pots=(),
    landlord=None,
    supplier=None,
    **person,
):
    """A participant with an open plan: rent and energy with machtigingen, and bijstand.
    `person`: fields of the participant (a name, a date of birth)."""
    participant = ParticipantFactory(regeling=regeling, **person)
    plan = PlanFactory(participant=participant, regeling=regeling)
    for category, cents, creditor, day in (
        (CostCategory.HUUR, rent_cents, landlord, 1),
        (CostCategory.ENERGIE, energy_cents, supplier, 15),
    ):
        if not cents:
            continue
        extra = {"creditor": creditor} if creditor else {}
        if category == CostCategory.ENERGIE and not creditor:
            extra["creditor"] = CreditorFactory(
                name="Stroom & Gas BV", category=CreditorCategory.ENERGIE
            )
        line = PlanLineFactory(
            plan=plan, category=category, amount_cents=cents, day_of_month=day, **extra
        )
        MachtigingFactory(line=line)
    IncomeFactory(participant=participant, amount_cents=income_cents)
    for name, cents in pots:
        SavingsPot.objects.create(
            plan=plan, name=name, monthly_cents=cents, starts_on=plan.start_on
        )
    return participant
