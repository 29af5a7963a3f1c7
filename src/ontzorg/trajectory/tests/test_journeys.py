"""Acceptance of issue 10: one participant's whole trajectory per pilot region, driven only
through the pages as a browser sends them (`journey.Journey`).

Factories build only people and configuration: the region, its municipalities, the regeling
(as the pilot describes it: ../shared/domain/pilots.md), organisations, users, creditors and
the municipality's bank account. Everything about the participant happens through the pages:
intake (with a partner or housemate where the region's practice has one), eligibility, the
draw (Den Haag), the plan with its lines and machtigingen, two monthly runs approved by a
second person, exported (the pain.001 files hold exactly the expected payments) and booked, a
measurement at its scheduled moment, the six-month evaluation, extension or afbouw item by
item, nazorg, `end_nazorg` on the right day, and a monitor snapshot with the participant.
After every step the phase is read from the participant's page."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.ledger import services as ledger
from ontzorg.monitor.models import SnapshotRow
from ontzorg.participants.models import Participant
from ontzorg.payments.models import PaymentInstruction, PaymentRun
from ontzorg.payments.tests.factories import debtor_account
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.tests.factories import CreditorFactory
from ontzorg.regelingen.constants import Inclusion
from ontzorg.regelingen.models import PackageItem
from ontzorg.regelingen.tests.factories import (
    InstrumentFactory,
    MunicipalityFactory,
    RegelingFactory,
    RegionFactory,
)
from ontzorg.trajectory.models import NazorgPeriod
from ontzorg_demo.testdata import fake_bsn

from .journey import Journey, Option, Payment

pytestmark = pytest.mark.django_db

ACTIVE, EXTENDED, PHASE_OUT = "active", "extended", "phase_out"
NAZORG, ENDED, CANDIDATE, INTAKE = "nazorg", "ended", "candidate", "intake"

THREE_LEVELS = [("niet zelfredzaam", 1), ("beperkt zelfredzaam", 2), ("zelfredzaam", 3)]


@dataclass
class Pilot:
    """One region configured as its pilot worked, with the people who work in it."""

    region: object
    municipality: object
    regeling: object
    instrument: object
    klantmanager: object
    preparer: object
    approver: object
    projectleider: object
    creditors: dict = field(default_factory=dict)

    def journey(self, clock) -> Journey:
        return Journey(
            clock,
            klantmanager=self.klantmanager,
            preparer=self.preparer,
            approver=self.approver,
            projectleider=self.projectleider,
        )


def pilot(
    slug,
    name,
    municipality,
    *,
    package,
    instrument,
    levels=THREE_LEVELS,
    exit_rank=3,
    optional=(),
    **regeling,
):
    """Region, municipality, regeling (package, instrument, `regeling` settings), the
    municipality's organisation and bank account, a partner organisation, four users and
    one creditor per legal cost category: configuration only, no participant."""
    region = RegionFactory(slug=slug, name=name)
    town = MunicipalityFactory(region=region, name=municipality)
    rules = RegelingFactory(region=region, package=[], **regeling)
    for category in package:
        PackageItem.objects.create(regeling=rules, category=category)
    for category in optional:
        PackageItem.objects.create(regeling=rules, category=category, inclusion=Inclusion.OPTIONAL)
    scale = InstrumentFactory(name=instrument, levels=levels, levels__exit_rank=exit_rank)
    rules.instruments.add(scale)
    org = OrganisationFactory(name=f"Gemeente {municipality}", region=region)
    OrganisationFactory(
        name=f"VluchtelingenWerk {name}", kind=OrganisationKind.PARTNER, region=region
    )
    debtor_account(region)
    people = {
        who: UserFactory(username=f"{slug}-{who}", role_code=role, organisation=org)
        for who, role in (
            ("klantmanager", RoleCode.KLANTMANAGER),
            ("preparer", RoleCode.BACKOFFICE),
            ("approver", RoleCode.BACKOFFICE),  # the second person of four-eyes
            ("projectleider", RoleCode.PROJECTLEIDER),
        )
    }
    return Pilot(
        region=region,
        municipality=town,
        regeling=rules,
        instrument=scale,
        **people,
        creditors={
            "huur": CreditorFactory(
                name=f"Woonstichting {name}", category=CreditorCategory.WONINGCORPORATIE
            ),
            "energie": CreditorFactory(name=f"Energie {name}", category=CreditorCategory.ENERGIE),
            "water": CreditorFactory(name=f"Water {name}", category=CreditorCategory.WATER),
            "zorgverzekering": CreditorFactory(
                name=f"Zorgverzekeraar {name}", category=CreditorCategory.ZORGVERZEKERAAR
            ),
        },
    )


def intake_values(pilot: Pilot, **person):
    return {
        "regeling": pilot.regeling.pk,
        "municipality": pilot.municipality.pk,
        "street": "Dorpsstraat",
        "house_number": "12",
        "postcode": "2711 AB",
        "city": pilot.municipality.name,
        "first_name": person.pop("first_name", "Amina"),
        "last_name": person.pop("last_name", "Haddad"),
        "bsn": person.pop("bsn", "111222333"),
        "date_of_birth": person.pop("date_of_birth", date(1990, 5, 4)),
        "gender": person.pop("gender", "v"),
        "country_of_origin": "Syrië",
        "languages": "Arabisch",
        "literacy": "literate",
        "arrival_on": person.pop("arrival_on", date(2026, 2, 2)),
        "bijstand_start_on": person.pop("bijstand_start_on", date(2026, 4, 1)),
        "iban": person.pop("iban", "NL91ABNA0417164300"),
        "case_worker": pilot.klantmanager.pk,
        **person,
    }


def iban(creditor) -> str:
    return creditor.iban


def assert_booked(run, participant, expected: list[Payment]):
    """The pain.001 files hold exactly `expected`; the run is booked and the ledger closes
    for the run and for the participant."""
    assert sorted(run.payments, key=lambda p: (p.iban, p.amount_cents)) == sorted(
        expected, key=lambda p: (p.iban, p.amount_cents)
    ), f"pain.001 of run {run.pk}"
    booked = PaymentRun.objects.get(pk=run.pk)
    assert booked.status == "booked"
    assert ledger.balance_check(run=booked).balanced
    assert ledger.balance_check(participant=participant).balanced


def snapshot_row(snapshot, participant) -> SnapshotRow:
    rows = SnapshotRow.objects.filter(snapshot=snapshot, participant=participant)
    assert rows.count() == 1, f"snapshot {snapshot} has no row for {participant}"
    return rows.get()


# --- Zoetermeer -------------------------------------------------------------------------------


@pytest.fixture
def zoetermeer(db):
    return pilot(
        "zoetermeer",
        "Zoetermeer",
        "Zoetermeer",
        package=["huur", "energie", "zorgverzekering"],
        instrument="Leefgebiedencheck financiën Zoetermeer",
        exclude_seniors=True,
        exclude_fulltime_students=True,
        both_partners=True,
    )


def test_zoetermeer_basic_package_both_partners(frozen_clock, zoetermeer):
    """Zoetermeer: only huur, energie and zorgverzekering; both partners take part; the
    conversation at six months extends, then afbouw item by item, nazorg and the end."""
    z = zoetermeer
    j = z.journey(frozen_clock)
    rent, energy, insurer = (z.creditors[c] for c in ("huur", "energie", "zorgverzekering"))

    # Intake on 16 March 2026 with bijstand from 1 April; a partner who takes part too.
    amina = j.intake(intake_values(z))
    assert j.phase(amina) == INTAKE  # eligible, and no draw in Zoetermeer
    assert j.eligibility(amina).startswith("Geschikt")
    partner = j.add_member(
        amina,
        "partner (doet ook mee)",
        {
            "first_name": "Omar",
            "last_name": "Haddad",
            "bsn": fake_bsn(7001),
            "gender": Option("man"),
            "date_of_birth": date(1988, 1, 10),
        },
    )
    assert j.phase(amina) == INTAKE and j.phase(partner) == INTAKE

    # The plan: only the basic package can be chosen.
    j.create_plan(amina)
    assert j.phase(amina) == ACTIVE and j.phase(partner) == ACTIVE
    assert j.categories(amina) == ["Huur", "Energie (gas en stroom)", "Zorgverzekering"]
    start = date(2026, 4, 1)
    j.add_line(amina, "Huur", rent, 70_000, starts_on=start, day_of_month=1)
    assert j.phase(amina) == ACTIVE
    j.add_line(amina, "Energie (gas en stroom)", energy, 15_000, starts_on=start, day_of_month=15)
    assert j.phase(amina) == ACTIVE
    j.add_line(amina, "Zorgverzekering", insurer, 28_000, starts_on=start, day_of_month=1)
    assert j.phase(amina) == ACTIVE
    for creditor in (rent, energy, insurer):
        j.sign_machtiging(amina, creditor, j.today())
        assert j.phase(amina) == ACTIVE
    j.record_income(amina, "Bijstandsuitkering", 190_000, start)
    assert j.phase(amina) == ACTIVE

    # Two monthly runs, each approved by a second person, exported and booked.
    month = [
        Payment(iban(rent), 70_000),
        Payment(iban(energy), 15_000),
        Payment(iban(insurer), 28_000),
        Payment("NL91ABNA0417164300", 77_000),  # the rest of the benefit: leefgeld
    ]
    j.at(date(2026, 3, 25))
    april = j.run_month(z.region, date(2026, 4, 1))
    assert_booked(april, amina, month)
    assert j.phase(amina) == ACTIVE
    j.at(date(2026, 4, 24))
    may = j.run_month(z.region, date(2026, 5, 1))
    assert_booked(may, amina, month)
    assert j.phase(amina) == ACTIVE

    # The tussenmeting on its scheduled day.
    due = j.schedule(amina)
    j.at(due["tussenmeting"])
    j.measure(amina, z.instrument.name, "tussenmeting", 2)
    assert j.phase(amina) == ACTIVE
    assert j.schedule_status(amina)["tussenmeting"] == "done"

    # The conversation at six months: extend by three months.
    j.at(date(2026, 8, 31))
    j.evaluate(amina, "verlengen", new_end_on=date(2026, 12, 31))
    assert j.phase(amina) == EXTENDED and j.phase(partner) == EXTENDED

    # Afbouw item by item, in the order the participant chooses.
    j.at(date(2026, 10, 1))
    j.hand_back(amina, "Energie", date(2026, 11, 1))
    assert j.phase(amina) == PHASE_OUT and j.phase(partner) == PHASE_OUT
    j.at(date(2026, 11, 2))
    j.hand_back(amina, "Zorgverzekering", date(2026, 12, 1))
    assert j.phase(amina) == PHASE_OUT

    # The end: nazorg from 1 January 2027.
    j.at(date(2026, 12, 1))
    j.evaluate(amina, "beëindigen", reason="Zelfredzaam, de huur betaalt zij voortaan zelf.")
    assert j.phase(amina) == NAZORG and j.phase(partner) == NAZORG

    # Nazorg ends through the daily command, on the first day after its last day.
    last_day = NazorgPeriod.objects.get(participant=amina).ends_on
    j.end_nazorg(last_day)
    assert j.phase(amina) == NAZORG
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(amina) == ENDED

    snapshot = j.snapshot(z.region, "Eindmeting evaluatie", j.today())
    assert j.phase(amina) == ENDED
    row = snapshot_row(snapshot, amina)
    assert row.phase == ENDED and row.extended and row.ended
    assert row.withheld_cents == 2 * 113_000 and row.withheld_months == 2
    assert row.household_type == "couple"
    assert row.latest_moment == "tussenmeting" and row.latest_rank == 2
    # Both partners take part: the partner is a participant too, with the same trajectory.
    assert isinstance(partner, Participant), f"the partner is {partner!r}, not a participant"
    assert j.phase(partner) == ENDED
    assert snapshot_row(snapshot, partner).household_type == "couple"
    assert ledger.balance_check(participant=amina).balanced


# --- shared steps -----------------------------------------------------------------------------

START = date(2026, 4, 1)  # bijstand (or the lease) starts; the plan runs six months from here
IBAN = "NL91ABNA0417164300"  # the participant's own account, for the leefgeld


def plan_with_lines(j: Journey, person, p: Pilot, lines, *, income=None, **plan):
    """The plan with its lines (label, creditor key, cents, payment day), a machtiging per
    creditor signed today, and the bijstand from the start. The phase is checked after every
    step: ontzorgd from the moment the plan is made."""
    j.create_plan(person, **plan)
    assert j.phase(person) == ACTIVE
    for label, key, cents, day in lines:
        j.add_line(person, label, p.creditors[key], cents, starts_on=START, day_of_month=day)
        assert j.phase(person) == ACTIVE
    for key in dict.fromkeys(key for _label, key, _cents, _day in lines):
        j.sign_machtiging(person, p.creditors[key], j.today())
        assert j.phase(person) == ACTIVE
    if income:
        j.record_income(person, "Bijstandsuitkering", income, START)
        assert j.phase(person) == ACTIVE


def creditor_payments(p: Pilot, lines, *, skip=()) -> list[Payment]:
    return [
        Payment(iban(p.creditors[key]), cents)
        for label, key, cents, _day in lines
        if label not in skip
    ]


# --- Capelle aan den IJssel -------------------------------------------------------------------


def test_capelle_first_rent_as_gift_then_stepwise_afbouw(frozen_clock):
    """Capelle: the first month's rent as a gift (bijzondere bijstand) where needed, chosen
    for this participant, and actually paid in month 1; stepwise afbouw once self-reliant."""
    p = pilot(
        "capelle",
        "Capelle aan den IJssel",
        "Capelle aan den IJssel",
        package=["huur", "energie", "water", "zorgverzekering"],
        optional=["telecom"],
        instrument="Driedelige schaal pilots",
        first_month_rent_gift=True,
        # Ends item by item (the default): the last line stops with the plan.
    )
    j = p.journey(frozen_clock)
    sara = j.intake(intake_values(p, first_name="Sara", bsn="111222333"))
    assert j.phase(sara) == INTAKE
    assert j.eligibility(sara).startswith("Geschikt")
    housemate = j.add_member(
        sara, "medebewoner", {"first_name": "Yonas", "date_of_birth": date(1995, 3, 3)}
    )
    assert housemate.first_name == "Yonas" and j.phase(sara) == INTAKE

    lines = [
        ("Huur", "huur", 68_000, 1),
        ("Energie (gas en stroom)", "energie", 13_000, 15),
        ("Water", "water", 2_500, 15),
        ("Zorgverzekering", "zorgverzekering", 14_500, 1),
    ]
    plan_with_lines(j, sara, p, lines, income=125_000, first_rent_gift=True)
    assert j.phase(sara) == ACTIVE

    # Month 1: the rent is paid out of the gift, so the leefgeld keeps the rent.
    j.at(date(2026, 3, 25))
    april = j.run_month(p.region, START)
    others = 13_000 + 2_500 + 14_500
    assert_booked(april, sara, [*creditor_payments(p, lines), Payment(IBAN, 125_000 - others)])
    assert j.phase(sara) == ACTIVE
    gift = PaymentInstruction.objects.get(run_id=april.pk, kind="gift")
    assert (gift.iban, gift.amount_cents) == (iban(p.creditors["huur"]), 68_000)
    # Month 2: the rent is withheld as usual.
    j.at(date(2026, 4, 24))
    may = j.run_month(p.region, date(2026, 5, 1))
    assert_booked(
        may, sara, [*creditor_payments(p, lines), Payment(IBAN, 125_000 - 68_000 - others)]
    )
    assert j.phase(sara) == ACTIVE

    # Measured at the start and halfway: zelfredzaam.
    due = j.schedule(sara)
    j.at(due["nulmeting"])
    j.measure(sara, p.instrument.name, "nulmeting", 1)
    assert j.phase(sara) == ACTIVE
    j.at(due["tussenmeting"])
    j.measure(sara, p.instrument.name, "tussenmeting", 3)
    assert j.phase(sara) == ACTIVE
    assert j.readiness(sara).startswith("Exitniveau bereikt")

    # Stepwise afbouw, then the evaluation at six months ends ontzorgen.
    j.at(date(2026, 7, 1))
    j.hand_back(sara, "Energie", date(2026, 8, 1))
    assert j.phase(sara) == PHASE_OUT
    j.hand_back(sara, "Water", date(2026, 8, 1))
    assert j.phase(sara) == PHASE_OUT
    j.at(date(2026, 8, 31))
    j.hand_back(sara, "Zorgverzekering", date(2026, 9, 1))
    assert j.phase(sara) == PHASE_OUT
    j.evaluate(sara, "beëindigen", reason="Zelfredzaam; warme overdracht naar het wijkteam.")
    assert j.phase(sara) == NAZORG

    last_day = NazorgPeriod.objects.get(participant=sara).ends_on
    j.end_nazorg(last_day)
    assert j.phase(sara) == NAZORG
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(sara) == ENDED

    snapshot = j.snapshot(p.region, "Eindmeting", j.today())
    assert j.phase(sara) == ENDED
    row = snapshot_row(snapshot, sara)
    assert row.phase == ENDED and row.ended and not row.extended
    # Withheld: everything in May, all but the gifted rent in April.
    assert row.withheld_cents == others + (68_000 + others) and row.withheld_months == 2
    assert (row.first_rank, row.latest_rank) == (1, 3)
    assert ledger.balance_check(participant=sara).balanced


# --- Den Haag ---------------------------------------------------------------------------------


def test_den_haag_draw_decides_who_is_ontzorgd(frozen_clock, monkeypatch):
    """Den Haag: volunteers are drawn by lot; no plan before the draw or for who is not
    drawn; the drawn participant goes through the whole trajectory."""
    from ontzorg.participants import selection
    from ontzorg.regelingen.constants import Mode, SelectionMethod

    p = pilot(
        "den-haag",
        "Den Haag",
        "Den Haag",
        package=["huur", "energie", "water", "zorgverzekering"],
        optional=["telecom", "verzekering"],
        instrument="Driedelige schaal pilots",
        mode=Mode.DIFFERENTIATED,
        selection_method=SelectionMethod.RANDOM,
        target_participants=45,
        both_partners=False,
        ends_all_at_once=True,  # ends with huur, energie and zorgverzekering still withheld
    )
    j = p.journey(frozen_clock)
    noor = j.intake(intake_values(p, first_name="Noor", bsn="111222333"))
    assert j.phase(noor) == CANDIDATE  # a volunteer for the draw
    other = j.intake(
        intake_values(
            p, first_name="Bilal", last_name="Osman", bsn="123456782", iban="NL02ABNA0123456789"
        )
    )
    assert j.phase(noor) == CANDIDATE and j.phase(other) == CANDIDATE
    assert j.eligibility(noor).startswith("Geschikt")
    # No plan before the draw.
    with pytest.raises(AssertionError, match="niet ingeloot"):
        j.create_plan(noor)
    assert j.phase(noor) == CANDIDATE

    # The draw: one of the two; the server's seed is made one that happens to pick Noor.
    seed = next(s for s in range(1000) if selection.draw([noor.pk, other.pk], 1, s) == [noor.pk])
    monkeypatch.setattr(selection, "new_seed", lambda: seed)
    j.draw(p.regeling, 1)
    assert j.phase(noor) == INTAKE and j.phase(other) == CANDIDATE
    with pytest.raises(AssertionError, match="niet ingeloot"):
        j.create_plan(other)
    assert j.phase(other) == CANDIDATE

    lines = [
        ("Huur", "huur", 72_000, 1),
        ("Energie (gas en stroom)", "energie", 14_000, 15),
        ("Water", "water", 2_400, 15),
        ("Zorgverzekering", "zorgverzekering", 14_000, 1),
    ]
    plan_with_lines(j, noor, p, lines, income=140_000)
    assert j.phase(noor) == ACTIVE and j.phase(other) == CANDIDATE
    costs = sum(cents for *_x, cents, _day in lines)
    month = [*creditor_payments(p, lines), Payment(IBAN, 140_000 - costs)]
    j.at(date(2026, 3, 25))
    assert_booked(j.run_month(p.region, START), noor, month)
    assert j.phase(noor) == ACTIVE
    j.at(date(2026, 4, 24))
    assert_booked(j.run_month(p.region, date(2026, 5, 1)), noor, month)
    assert j.phase(noor) == ACTIVE

    # Nulmeting at the start, repeated after six months (the eindmeting).
    due = j.schedule(noor)
    j.at(due["nulmeting"])
    j.measure(noor, p.instrument.name, "nulmeting", 1)
    assert j.phase(noor) == ACTIVE
    j.at(date(2026, 8, 3))
    j.hand_back(noor, "Water", date(2026, 9, 1))
    assert j.phase(noor) == PHASE_OUT
    j.at(date(2026, 8, 31))
    j.evaluate(noor, "beëindigen", reason="Kan het zelf; doorverwijzing naar de helpdesk.")
    assert j.phase(noor) == NAZORG
    j.at(due["eindmeting"])
    j.measure(noor, p.instrument.name, "eindmeting", 3)
    assert j.phase(noor) == NAZORG
    assert j.schedule_status(noor)["eindmeting"] == "done"

    last_day = NazorgPeriod.objects.get(participant=noor).ends_on
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(noor) == ENDED and j.phase(other) == CANDIDATE

    snapshot = j.snapshot(p.region, "Eindmeting", j.today())
    assert j.phase(noor) == ENDED
    row = snapshot_row(snapshot, noor)
    assert row.phase == ENDED and row.withheld_cents == 2 * costs
    # The candidate the draw passed over stays in the monitor, as the comparison group.
    compared = SnapshotRow.objects.get(snapshot=snapshot, participant=other)
    assert (compared.comparison_group, compared.phase) == ("not_drawn", CANDIDATE)
    assert ledger.balance_check(participant=noor).balanced


# --- Dongemond --------------------------------------------------------------------------------

ZRM_LEVELS = [
    ("acute problematiek", 1),
    ("niet zelfredzaam", 1),
    ("beperkt zelfredzaam", 2),
    ("voldoende zelfredzaam", 3),
    ("volledig zelfredzaam", 3),
]


def test_dongemond_legal_items_only_and_exit_at_zrm_four(frozen_clock):
    """Dongemond: only the legal items (no childcare) for the standard six months; ZRM
    Financiën 4 or 5 brings the end into view. At six months the evaluation extends for an
    afbouw item by item, and the participant stops early at her own request."""
    p = pilot(
        "dongemond",
        "Dongemond",
        "Oosterhout",
        package=["huur", "energie", "water", "zorgverzekering"],
        instrument="ZRM Financiën",
        levels=ZRM_LEVELS,
        exit_rank=4,
    )
    j = p.journey(frozen_clock)
    hana = j.intake(intake_values(p, first_name="Hana", bsn="111222333"))
    assert j.phase(hana) == INTAKE
    lina = j.add_member(hana, "kind", {"first_name": "Lina", "date_of_birth": date(2019, 6, 1)})
    assert lina.first_name == "Lina" and j.phase(hana) == INTAKE

    lines = [
        ("Huur", "huur", 66_000, 1),
        ("Energie (gas en stroom)", "energie", 12_500, 15),
        ("Water", "water", 2_300, 15),
        ("Zorgverzekering", "zorgverzekering", 13_800, 1),
    ]
    plan_with_lines(j, hana, p, lines, income=150_000)
    assert j.phase(hana) == ACTIVE
    assert j.categories(hana) == ["Huur", "Energie (gas en stroom)", "Water", "Zorgverzekering"]
    costs = sum(cents for *_x, cents, _day in lines)
    month = [*creditor_payments(p, lines), Payment(IBAN, 150_000 - costs)]
    j.at(date(2026, 3, 25))
    assert_booked(j.run_month(p.region, START), hana, month)
    assert j.phase(hana) == ACTIVE
    j.at(date(2026, 4, 24))
    assert_booked(j.run_month(p.region, date(2026, 5, 1)), hana, month)
    assert j.phase(hana) == ACTIVE

    due = j.schedule(hana)
    j.at(due["nulmeting"])
    j.measure(hana, "ZRM Financiën", "nulmeting", 2)
    assert j.phase(hana) == ACTIVE
    assert j.readiness(hana).startswith("Nog niet op exitniveau")
    j.at(due["tussenmeting"])
    j.measure(hana, "ZRM Financiën", "tussenmeting", 4)
    assert j.phase(hana) == ACTIVE
    assert j.readiness(hana).startswith("Exitniveau bereikt")

    # The evaluation at six months: the end is in view (ZRM 4), but she wants to take the
    # fixed costs over one by one, so ontzorgen is extended by three months.
    j.at(date(2026, 8, 31))
    j.evaluate(
        hana,
        "verlengen",
        new_end_on=date(2026, 12, 31),
        reason="ZRM Financiën 4; zij neemt de vaste lasten één voor één over.",
    )
    assert j.phase(hana) == EXTENDED

    # Afbouw item by item, then stopping early at her own request (maatwerk).
    j.at(date(2026, 10, 1))
    j.hand_back(hana, "Energie", date(2026, 10, 1))
    assert j.phase(hana) == PHASE_OUT
    j.hand_back(hana, "Water", date(2026, 10, 1))
    assert j.phase(hana) == PHASE_OUT
    j.hand_back(hana, "Zorgverzekering", date(2026, 11, 1))
    assert j.phase(hana) == PHASE_OUT
    j.at(date(2026, 10, 15))
    j.evaluate(
        hana,
        "eerder stoppen",
        new_end_on=date(2026, 10, 31),
        reason="ZRM Financiën 4: zij wil ook de huur zelf betalen.",
    )
    assert j.phase(hana) == NAZORG

    last_day = NazorgPeriod.objects.get(participant=hana).ends_on
    j.end_nazorg(last_day)
    assert j.phase(hana) == NAZORG
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(hana) == ENDED

    snapshot = j.snapshot(p.region, "Eindmeting", j.today())
    assert j.phase(hana) == ENDED
    row = snapshot_row(snapshot, hana)
    assert row.phase == ENDED and row.ended and row.extended
    assert row.end_on == date(2026, 10, 31)
    assert (row.first_rank, row.latest_rank) == (2, 4) and row.latest_category == 3
    assert row.household_type == "single_parent" and row.withheld_cents == 2 * costs
    assert ledger.balance_check(participant=hana).balanced


# --- Edam-Volendam ----------------------------------------------------------------------------

CHECKLIST_LEVELS = [
    ("0 tot 3 van de 10 vaardigheden", 1),
    ("4 tot 6 van de 10 vaardigheden", 2),
    ("7 of 8 van de 10 vaardigheden", 2),
    ("9 of 10 van de 10 vaardigheden", 3),
]


def test_edam_volendam_prepays_the_last_month_from_bridging_money(frozen_clock):
    """Edam-Volendam: the fixed costs of the month after the end are paid ahead in the last
    month, out of the bridging allowance (not the participant's last benefit, so no
    shortfall); eindmeting two months before the end."""
    p = pilot(
        "edam-volendam",
        "Edam-Volendam",
        "Edam-Volendam",
        package=["huur", "energie", "water", "zorgverzekering"],
        optional=["kinderopvang"],
        instrument="Vaardighedenchecklist Edam-Volendam",
        levels=CHECKLIST_LEVELS,
        exit_rank=4,
        prepay_last_month=True,
        prepay_from_bridging=True,
        endmeasurement_months_before_end=2,
        ends_all_at_once=True,  # ends with huur, energie and zorgverzekering still withheld
    )
    j = p.journey(frozen_clock)
    fatima = j.intake(intake_values(p, first_name="Fatima", bsn="111222333"))
    assert j.phase(fatima) == INTAKE
    lines = [
        ("Huur", "huur", 64_000, 1),
        ("Energie (gas en stroom)", "energie", 11_000, 15),
        ("Water", "water", 2_200, 15),
        ("Zorgverzekering", "zorgverzekering", 13_500, 1),
    ]
    plan_with_lines(j, fatima, p, lines, income=130_000)
    assert j.phase(fatima) == ACTIVE
    costs = sum(cents for *_x, cents, _day in lines)

    j.at(date(2026, 3, 25))
    month = [*creditor_payments(p, lines), Payment(IBAN, 130_000 - costs)]
    assert_booked(j.run_month(p.region, START), fatima, month)
    assert j.phase(fatima) == ACTIVE

    due = j.schedule(fatima)
    assert due["eindmeting"] == date(2026, 8, 1)  # two months before the end
    j.at(due["eindmeting"])
    j.measure(fatima, p.instrument.name, "eindmeting", 4)
    assert j.phase(fatima) == ACTIVE
    j.at(date(2026, 8, 3))
    j.hand_back(fatima, "Water", date(2026, 9, 1))
    assert j.phase(fatima) == PHASE_OUT

    # The last month: regular costs withheld, and the next month prepaid from bridging money.
    j.at(date(2026, 8, 25))
    september = j.run_month(p.region, date(2026, 9, 1))
    kept = creditor_payments(p, lines, skip=("Water",))
    regular = costs - 2_200
    assert_booked(september, fatima, [*kept, *kept, Payment(IBAN, 130_000 - regular)])
    assert j.phase(fatima) == PHASE_OUT

    j.at(date(2026, 8, 31))
    j.evaluate(fatima, "beëindigen", reason="Automatische incasso's staan klaar na de uitkering.")
    assert j.phase(fatima) == NAZORG
    last_day = NazorgPeriod.objects.get(participant=fatima).ends_on
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(fatima) == ENDED

    snapshot = j.snapshot(p.region, "Eindmeting", j.today())
    assert j.phase(fatima) == ENDED
    row = snapshot_row(snapshot, fatima)
    assert row.phase == ENDED and row.withheld_months == 2
    assert row.withheld_cents == costs + regular  # the prepaid month is bridging money
    assert ledger.balance_check(participant=fatima).balanced


# --- Hendrik-Ido-Ambacht ----------------------------------------------------------------------


def test_hendrik_ido_ambacht_budgetbeheer_continues_on_wages(frozen_clock):
    """Hendrik-Ido-Ambacht: budgetbeheer for everyone from the day the lease is signed,
    weekgeld, six months with the option to continue; on a job the budgetbeheer goes on,
    now on the wages."""
    from ontzorg.plans import withholding
    from ontzorg.regelingen.constants import AllowanceFrequency, Mode, PlanStart

    p = pilot(
        "hendrik-ido-ambacht",
        "Hendrik-Ido-Ambacht",
        "Hendrik-Ido-Ambacht",
        package=["huur", "energie", "water", "zorgverzekering", "telecom", "gemeentebelasting"],
        instrument="ZRM Financiën",
        levels=ZRM_LEVELS,
        exit_rank=4,
        mode=Mode.BUDGETBEHEER,
        continues_on_wages=True,
        allowance_frequency=AllowanceFrequency.WEEKLY,
        plan_start=PlanStart.LEASE_SIGNED,
        has_savings_pots=True,
        min_duration_months=6,
        followup_months_after_end=12,
        exclude_illiterate=True,
        ends_all_at_once=True,  # ends with huur, water and zorgverzekering still withheld
    )
    p.creditors["telecom"] = CreditorFactory(
        name="Telecom Drechtsteden", category=CreditorCategory.TELECOM
    )
    j = p.journey(frozen_clock)
    yusuf = j.intake(
        intake_values(p, first_name="Yusuf", bsn="111222333", lease_signed_on=START, gender="m")
    )
    assert j.phase(yusuf) == INTAKE
    lines = [
        ("Huur", "huur", 65_000, 1),
        ("Energie (gas en stroom)", "energie", 12_000, 15),
        ("Water", "water", 2_500, 15),
        ("Zorgverzekering", "zorgverzekering", 14_000, 1),
        ("Internet, tv en telefoon", "telecom", 4_500, 20),
    ]
    plan_with_lines(j, yusuf, p, lines, income=130_000)
    assert j.phase(yusuf) == ACTIVE
    costs = sum(cents for *_x, cents, _day in lines)

    def weekgeld(month: date, rest: int) -> list[Payment]:
        rule = withholding.AllowanceRule(frequency="weekly", weekday=0)
        parts = withholding.split_evenly(rest, len(withholding.allowance_dates(month, rule)))
        return [Payment(IBAN, part) for part in parts]

    j.at(date(2026, 3, 25))
    april = j.run_month(p.region, START)
    assert_booked(april, yusuf, [*creditor_payments(p, lines), *weekgeld(START, 130_000 - costs)])
    assert j.phase(yusuf) == ACTIVE

    # A job from May: the bijstand stops, the budgetbeheer goes on with the wages.
    j.at(date(2026, 4, 20))
    j.record_job(yusuf, date(2026, 5, 1), "Zorgcentrum De Linde", 175_000)
    assert j.phase(yusuf) == ACTIVE
    j.at(date(2026, 4, 24))
    may = j.run_month(p.region, date(2026, 5, 1))
    assert_booked(
        may,
        yusuf,
        [*creditor_payments(p, lines), *weekgeld(date(2026, 5, 1), 175_000 - costs)],
    )
    assert j.phase(yusuf) == ACTIVE
    page = j.page("klantmanager", f"/traject/deelnemer/{yusuf.pk}/")
    assert "budgetbeheer" in page.text_content().lower()
    assert "inhouding gestopt" not in page.text_content().lower()

    due = j.schedule(yusuf)
    j.at(due["nulmeting"])
    j.measure(yusuf, "ZRM Financiën", "nulmeting", 2)
    assert j.phase(yusuf) == ACTIVE

    # Six months, then the option to continue; afbouw item by item; the end.
    j.at(date(2026, 8, 31))
    j.evaluate(yusuf, "verlengen", new_end_on=date(2027, 3, 31))
    assert j.phase(yusuf) == EXTENDED
    j.at(date(2026, 12, 1))
    j.hand_back(yusuf, "Internet", date(2027, 1, 1))
    assert j.phase(yusuf) == PHASE_OUT
    j.hand_back(yusuf, "Energie", date(2027, 2, 1))
    assert j.phase(yusuf) == PHASE_OUT
    j.at(date(2027, 3, 1))
    j.measure(yusuf, "ZRM Financiën", "eindmeting", 4)
    assert j.phase(yusuf) == PHASE_OUT
    j.evaluate(yusuf, "beëindigen", reason="Redt zich met het loon; budgetbeheer stopt.")
    assert j.phase(yusuf) == NAZORG

    # Nazorg lasts until the vervolgmeting a year after the end can be done.
    last_day = NazorgPeriod.objects.get(participant=yusuf).ends_on
    assert last_day >= date(2028, 3, 31)
    j.end_nazorg(last_day)
    assert j.phase(yusuf) == NAZORG
    j.end_nazorg(last_day + timedelta(days=1))
    assert j.phase(yusuf) == ENDED

    snapshot = j.snapshot(p.region, "Vervolgmeting", j.today())
    assert j.phase(yusuf) == ENDED
    row = snapshot_row(snapshot, yusuf)
    assert row.phase == ENDED and row.extended and row.outflow_to_work
    assert row.outflow_on == date(2026, 5, 1) and row.mode == Mode.BUDGETBEHEER
    assert row.withheld_cents == 2 * costs and row.withheld_months == 2
    assert ledger.balance_check(participant=yusuf).balanced
