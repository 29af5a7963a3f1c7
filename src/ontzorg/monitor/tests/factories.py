"""Monitor test helpers: moments, and a small pilot region with every kind of fact."""

from dataclasses import dataclass
from datetime import date, datetime

import factory
from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.banking.models import BankEntry, BankStatement, ReturnedPayment, StatementImport
from ontzorg.guidance.tests.factories import ActivityFactory, ContactFactory, SessionFactory
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import AccountKind
from ontzorg.measurements.constants import Moment
from ontzorg.measurements.tests.factories import MeasurementFactory, three_level_instrument
from ontzorg.monitor.models import MeasurementMoment
from ontzorg.participants.constants import Literacy, MemberKind
from ontzorg.participants.models import HouseholdMember
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.models import PaymentInstruction, PaymentRun, ShortfallCase
from ontzorg.plans.constants import IncomeKind, PlanDecisionKind
from ontzorg.plans.models import PlanDecision
from ontzorg.plans.tests.factories import IncomeFactory, PlanFactory
from ontzorg.signals.constants import SignalKind, Source, Status
from ontzorg.signals.tests.factories import SignalFactory

AS_OF = date(2026, 3, 31)


class MomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasurementMoment

    name = factory.Sequence(lambda n: f"Meetmoment {n + 1}")
    on = AS_OF


def withhold(participant, cents: int, period: date, *, booked_on: date | None = None):
    """Book a month's withholding like a payment run: income in, fixed costs withheld."""
    income = ledger.account(AccountKind.INCOME_RECEIVED, participant=participant)
    withheld = ledger.account(AccountKind.WITHHELD, participant=participant)
    bank = ledger.account(AccountKind.BANK, region=participant.regeling.region)
    transaction, _ = ledger.post(
        f"test:{participant.pk}:{period:%Y%m}",
        [(bank, cents), (income, -cents), (income, cents), (withheld, -cents)],
        booked_on=booked_on or period,
        period=period,
        description="test",
    )
    return transaction


def reserve(participant, cents: int, period: date, pot: str = "Onvoorzien"):
    income = ledger.account(AccountKind.INCOME_RECEIVED, participant=participant)
    savings = ledger.account(AccountKind.SAVINGS, participant=participant, pot=pot)
    ledger.post(
        f"test:{participant.pk}:{period:%Y%m}:{pot}",
        [(income, cents), (savings, -cents)],
        booked_on=period,
        period=period,
        description="test",
    )


def returned_payment(run, participant, booked_on: date):
    """An allowance payment of `run` that the bank returned on `booked_on`."""
    instruction = PaymentInstruction.objects.create(
        run=run,
        participant=participant,
        period=run.period,
        kind=InstructionKind.ALLOWANCE,
        name=participant.full_name,
        iban=participant.iban,
        amount_cents=25_000,
        due_cents=25_000,
        pay_on=run.period,
        end_to_end_id=f"OZ-TEST-{participant.pk}-{run.pk}",
    )
    upload = StatementImport.objects.create(file_name="camt.xml", uploaded_by=run.prepared_by)
    statement = BankStatement.objects.create(
        account_iban="NL20INGB0001234567",
        statement_id=f"ST-{instruction.pk}",
        version="camt.053.001.02",
        currency="EUR",
        first_import=upload,
    )
    entry = BankEntry.objects.create(
        statement=statement,
        statement_import=upload,
        account_iban=statement.account_iban,
        entry_key=f"RET-{instruction.pk}",
        amount_cents=25_000,
        currency="EUR",
        booked_on=booked_on,
        reversal=True,
        end_to_end_id=instruction.end_to_end_id,
        return_reason="AC04",
    )
    return ReturnedPayment.objects.create(
        instruction=instruction, entry=entry, reason_code="AC04", amount_cents=25_000
    )


@dataclass
class Pilot:
    regeling: object
    instrument: object
    people: list
    staff: object


def pilot(regeling, n: int = 6) -> Pilot:
    """n participants in `regeling` with plans, measurements, guidance, bookings, a shortfall
    and signals; every other one is a couple with a child and low literacy."""
    instrument = three_level_instrument(f"Schaal {regeling.region.slug}")
    regeling.instruments.add(instrument)
    staff = UserFactory(role_code=RoleCode.BACKOFFICE, organisation__region=regeling.region)
    run = PaymentRun.objects.create(
        region=regeling.region, period=date(2026, 1, 1), prepared_by=staff
    )
    activity = ActivityFactory(training__regeling=regeling)
    session = SessionFactory(activity=activity, held_on=date(2026, 1, 10), duration_minutes=90)
    people = []
    for i in range(n):
        participant = ParticipantFactory(
            regeling=regeling,
            date_of_birth=date(1960 + 7 * i, 6, 1),
            literacy=Literacy.LOW if i % 2 else Literacy.LITERATE,
        )
        if i % 2:
            # A partner who does not take part: registered at intake, they would be in the
            # snapshot themselves (comparison group "waiting", see test_comparison).
            HouseholdMember.objects.create(
                household=participant.household,
                kind=MemberKind.PARTNER,
                first_name="Partner",
                date_of_birth=date(1985, 1, 1),
            )
            HouseholdMember.objects.create(
                household=participant.household,
                kind=MemberKind.CHILD,
                first_name="Kind",
                date_of_birth=date(2020, 1, 1),
            )
        plan = PlanFactory(
            participant=participant,
            start_on=date(2025, 10, 1),
            planned_end_on=date(2026, 3, 31),
        )
        if i == 0:
            PlanDecision.objects.create(
                plan=plan,
                kind=PlanDecisionKind.EXTEND,
                new_end_on=date(2026, 9, 30),
                reason="nog niet zelfredzaam",
                decided_on=date(2026, 3, 1),
                decided_by=staff,
            )
        MeasurementFactory(
            participant=participant,
            instrument=instrument,
            rank=1 + i % 2,
            moment=Moment.NULMETING,
            measured_on=date(2025, 10, 5),
        )
        MeasurementFactory(
            participant=participant,
            instrument=instrument,
            rank=min(3, 2 + i % 3),
            moment=Moment.EINDMETING,
            measured_on=date(2026, 3, 20),
        )
        ContactFactory(participant=participant, duration_minutes=30 + 15 * i)
        session.attendances.create(participant=participant, attended=True, recorded_by=staff)
        for month in (1, 2, 3):
            withhold(participant, 80_000 + 1_000 * i, date(2026, month, 1))
        reserve(participant, 2_500, date(2026, 2, 1))
        if i == 1:
            ShortfallCase.objects.create(
                run=run,
                participant=participant,
                plan=plan,
                income_cents=100_000,
                costs_cents=120_000,
                shortfall_cents=20_000,
            )
            returned_payment(run, participant, date(2026, 1, 20))
            IncomeFactory(
                participant=participant, kind=IncomeKind.WAGES, valid_from=date(2026, 2, 1)
            )
        if i == 2:
            SignalFactory(
                participant=participant,
                kind=SignalKind.ARREARS,
                source=Source.INTERNAL,
                amount_cents=45_000,
                reported_on=date(2025, 9, 1),
                status=Status.NEW,
            )
            SignalFactory(
                participant=participant,
                after_end=True,
                received_at=timezone.make_aware(datetime(2026, 3, 15, 10)),
            )
        people.append(participant)
    return Pilot(regeling, instrument, people, staff)
