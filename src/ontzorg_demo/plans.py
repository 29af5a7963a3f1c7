"""Demo step: fictional creditors per region and an ontzorg plan for every household whose
applicant is ontzorgd (active, extended or in phase-out).

Each plan has 4 to 8 fixed costs from the regeling's package, rent increases per 1 July, a
machtiging per creditor (a few missing, so the warning shows), and income from the norm
table: kostendelers and under-21s get their lower norm, so some households run short.
Planned from a fixed seed; creditors are keyed on their name and a household that already
has a plan is left alone, so loading twice changes nothing."""

import random
from datetime import date, timedelta

from ontzorg.core.dates import planned_end_on
from ontzorg.participants.constants import HouseholdRole, Phase
from ontzorg.participants.models import Participant
from ontzorg.payments.sepa import latin_form
from ontzorg.plans import reading, services
from ontzorg.plans.constants import CreditorCategory, IncomeKind, PlanDecisionKind, PlanStatus
from ontzorg.plans.models import (
    Creditor,
    Income,
    LineAmount,
    Machtiging,
    Plan,
    PlanDecision,
    PlanLine,
    SavingsPot,
)
from ontzorg.regelingen.constants import CostCategory, Inclusion
from ontzorg.regelingen.models import Region
from ontzorg_demo.testdata import fake_iban

SEED = 20250701
IBAN_OFFSET = 800_000

# Creditors working in every region: (name, category, town, street, number, postcode).
NATIONAL = [
    ("Voorbeeld Energie", CreditorCategory.ENERGIE, "Utrecht", "Energieweg", "1", "3542 AA"),
    ("Groenstroom Nederland", CreditorCategory.ENERGIE, "Arnhem", "Windpark", "12", "6827 BB"),
    (
        "Zorgverzekeraar De Zorgzame",
        CreditorCategory.ZORGVERZEKERAAR,
        "Zeist",
        "Zorglaan",
        "5",
        "3705 CC",
    ),
    ("Onderling Zorg", CreditorCategory.ZORGVERZEKERAAR, "Tilburg", "Spoorlaan", "300", "5038 DD"),
    ("Verbonden Telecom", CreditorCategory.TELECOM, "Amsterdam", "Kabelweg", "7", "1014 EE"),
    (
        "Veilig Thuis Verzekeringen",
        CreditorCategory.VERZEKERAAR,
        "Apeldoorn",
        "Polisplein",
        "2",
        "7311 FF",
    ),
    (
        "Kinderopvang Zonnestraal",
        CreditorCategory.KINDEROPVANG,
        "Breda",
        "Speelstraat",
        "9",
        "4811 GG",
    ),
]

# Per region: (woningcorporatie, waterbedrijf, town); HIA also has its gemeentebelastingen.
REGIONAL = {
    "capelle": (
        "Woonstichting IJsselhoven",
        "Waterbedrijf Zuid-Holland Oost",
        "Capelle aan den IJssel",
    ),
    "den-haag": ("Haagse Woonbron", "Duinwater", "Den Haag"),
    "dongemond": ("Woonstichting Dongestroom", "Brabants Water", "Oosterhout"),
    "edam-volendam": ("Wooncorporatie Waterlands Wonen", "Noord-Hollands Water", "Edam"),
    "hendrik-ido-ambacht": ("Woonkracht Drechtsteden", "Drechtwater", "Hendrik-Ido-Ambacht"),
    "zoetermeer": ("Woonstichting Meerzicht", "Waterbedrijf Zoetermeer", "Zoetermeer"),
}

AMOUNTS_EUROS = {
    CostCategory.HUUR: (520, 860),
    CostCategory.ENERGIE: (110, 220),
    CostCategory.WATER: (18, 35),
    CostCategory.ZORGVERZEKERING: (138, 162),
    CostCategory.TELECOM: (35, 70),
    CostCategory.VERZEKERING: (12, 28),
    CostCategory.GEMEENTEBELASTING: (25, 60),
    CostCategory.KINDEROPVANG: (40, 140),
    CostCategory.OVERIG: (10, 40),
}
CATEGORY_CREDITOR = {
    CostCategory.ENERGIE: CreditorCategory.ENERGIE,
    CostCategory.ZORGVERZEKERING: CreditorCategory.ZORGVERZEKERAAR,
    CostCategory.TELECOM: CreditorCategory.TELECOM,
    CostCategory.VERZEKERING: CreditorCategory.VERZEKERAAR,
    CostCategory.KINDEROPVANG: CreditorCategory.KINDEROPVANG,
    CostCategory.OVERIG: CreditorCategory.OVERIG,
}
PAY_DAYS = {
    CostCategory.HUUR: 1,
    CostCategory.ZORGVERZEKERING: 1,
    CostCategory.ENERGIE: 5,
    CostCategory.WATER: 5,
}
MAX_LINES = 8
MISSING_MACHTIGING_RATE = 0.12
RENT_INCREASE_RATE = 0.6
OPTIONAL_RATE = 0.3
GIFT_RATE = 0.5


def load(stdout) -> None:
    rng = random.Random(SEED)
    creditors = _creditors()
    today = date.today()
    applicants = (
        Participant.objects.filter(
            phase__in=(Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT),
            household_role=HouseholdRole.APPLICANT,
        )
        .select_related("regeling__region", "household")
        .prefetch_related("regeling__package_items")
        .order_by("bsn")
    )
    created = 0
    for participant in applicants:
        # Draw for every applicant, planned or not, so a rerun makes the same choices.
        plan_rng = random.Random(rng.random())
        if participant.plans.exists():
            continue
        _plan(participant, creditors, plan_rng, today)
        created += 1
    stdout.write(
        f"plannen: {created} nieuw, {Plan.objects.count()} totaal; "
        f"schuldeisers: {Creditor.objects.count()}."
    )


def _creditors() -> dict:
    """{region slug or None: {creditor category: [Creditor]}}."""
    specs = [(None, *spec) for spec in NATIONAL]
    for slug, (corporation, water, town) in REGIONAL.items():
        specs.append(
            (
                slug,
                corporation,
                CreditorCategory.WONINGCORPORATIE,
                town,
                "Marktplein",
                "1",
                "1000 AA",
            )
        )
        specs.append((slug, water, CreditorCategory.WATER, town, "Bronweg", "3", "1000 AB"))
        if slug == "hendrik-ido-ambacht":
            specs.append(
                (
                    slug,
                    "Gemeentelijk Belastingkantoor Drechtsteden",
                    CreditorCategory.GEMEENTE,
                    "Dordrecht",
                    "Spuiboulevard",
                    "300",
                    "3311 GR",
                )
            )
    regions = {r.slug: r for r in Region.objects.all()}
    result: dict = {}
    for number, (slug, name, category, town, street, building, postcode) in enumerate(specs):
        if slug is not None and slug not in regions:
            continue
        creditor = Creditor.objects.filter(name=name).first()
        if creditor is None:
            creditor = Creditor(
                name=name,
                account_holder_name=latin_form(name) or "",
                iban=fake_iban(IBAN_OFFSET + number),
                kvk_number=f"{70_000_000 + number * 1_117:08d}",
                category=category,
                street=street,
                building_number=building,
                postcode=postcode,
                town=town,
                region=regions.get(slug),
            )
            creditor.full_clean()
            creditor.save()
        result.setdefault(slug, {}).setdefault(category, []).append(creditor)
    return result


def _pick_creditor(creditors, slug, cost_category, rng):
    if cost_category == CostCategory.HUUR:
        return creditors[slug][CreditorCategory.WONINGCORPORATIE][0]
    if cost_category == CostCategory.WATER:
        return creditors[slug][CreditorCategory.WATER][0]
    if cost_category == CostCategory.GEMEENTEBELASTING:
        return creditors[slug][CreditorCategory.GEMEENTE][0]
    options = creditors[None].get(CATEGORY_CREDITOR.get(cost_category), [])
    return rng.choice(options) if options else creditors[slug][CreditorCategory.WATER][0]


def _line_specs(participant, rng) -> list[tuple[str, str]]:
    """(category, label) per line: the standard package, a health insurance per adult,
    some optional extras; energy split into gas and stroom to reach four lines."""
    items = list(participant.regeling.package_items.all())
    specs = [(i.category, "") for i in items if i.inclusion == Inclusion.STANDARD]
    partners = Participant.objects.filter(household_id=participant.household_id).count()
    if partners > 1 and CostCategory.ZORGVERZEKERING in dict(specs):
        specs.append((CostCategory.ZORGVERZEKERING, "partner"))
    for item in items:
        if item.inclusion == Inclusion.OPTIONAL and rng.random() < OPTIONAL_RATE:
            specs.append((item.category, ""))
    if len(specs) < 4 and CostCategory.ENERGIE in dict(specs):
        specs.remove((CostCategory.ENERGIE, ""))
        specs += [(CostCategory.ENERGIE, "stroom"), (CostCategory.ENERGIE, "gas")]
    return specs[:MAX_LINES]


def _plan(participant, creditors, rng, today) -> None:
    regeling = participant.regeling
    slug = regeling.region.slug
    start_on = services.default_start_on(participant) or participant.arrival_on
    plan = Plan.objects.create(
        participant=participant,
        regeling=regeling,
        start_on=start_on,
        planned_end_on=planned_end_on(start_on, regeling.min_duration_months),
        first_rent_gift=needs_rent_gift(participant, start_on, today),
    )
    missing_creditor = None
    lines = []
    for number, (category, label) in enumerate(_line_specs(participant, rng)):
        creditor = _pick_creditor(creditors, slug, category, rng)
        low, high = AMOUNTS_EUROS[category]
        amount_cents = rng.randint(low, high) * 100 + rng.choice((0, 0, 50, 95))
        line = PlanLine.objects.create(
            plan=plan,
            category=category,
            creditor=creditor,
            reference=f"{creditor.name[:3].upper()}-{participant.pk:05d}-{number}"
            + (f"-{label}" if label else ""),
            day_of_month=PAY_DAYS.get(category, 10),
            starts_on=start_on,
            is_optional=any(
                i.category == category and i.inclusion == Inclusion.OPTIONAL
                for i in regeling.package_items.all()
            ),
            supplier_discount_cents=(
                rng.choice((250, 500, 750))
                if slug == "den-haag"
                and category in (CostCategory.TELECOM, CostCategory.VERZEKERING)
                else 0
            ),
        )
        LineAmount.objects.create(line=line, amount_cents=amount_cents, valid_from=start_on)
        if category == CostCategory.HUUR and rng.random() < RENT_INCREASE_RATE:
            july = date(start_on.year + (start_on.month >= 7), 7, 1)
            if july <= today + timedelta(days=60):
                LineAmount.objects.create(
                    line=line,
                    amount_cents=amount_cents * (100 + rng.choice((3, 4, 5))) // 100,
                    valid_from=july,
                    note="huurverhoging per 1 juli",
                )
        lines.append(line)
    if rng.random() < MISSING_MACHTIGING_RATE and lines:
        missing_creditor = rng.choice(lines).creditor_id
    for creditor_id in sorted({line.creditor_id for line in lines}):
        if creditor_id != missing_creditor:
            Machtiging.objects.create(
                participant=participant,
                creditor_id=creditor_id,
                signed_on=start_on - timedelta(days=rng.randint(1, 10)),
            )
    _incomes(participant, start_on, rng)
    if regeling.has_savings_pots:
        SavingsPot.objects.create(
            plan=plan, name="Onvoorzien", monthly_cents=2500, starts_on=start_on
        )
    _phase_specifics(participant, plan, lines, rng, today)


def needs_rent_gift(participant, start_on, today) -> bool:
    """Capelle's first month's rent as a gift, "if needed": the newest arrivals (plan started
    this month or last month) had no benefit yet when the first rent was due; of the earlier
    ones about half did. Drawn per participant, apart from the plan's own draws."""
    if not participant.regeling.first_month_rent_gift:
        return False
    if start_on >= (today.replace(day=1) - timedelta(days=1)).replace(day=1):
        return True
    return random.Random(f"{SEED}-gift-{participant.bsn}").random() < GIFT_RATE


def _incomes(participant, start_on, rng) -> None:
    try:
        norm = reading.norm_for(participant, start_on)
    except LookupError:  # a start before the first configured norm table
        norm = reading.norm_for(participant, date(2025, 7, 1))
    Income.objects.create(
        participant=participant,
        kind=IncomeKind.BIJSTAND,
        amount_cents=norm.amount_cents,
        valid_from=start_on,
        note=f"norm: {norm.rule}",
    )
    if rng.random() < 0.5:
        Income.objects.create(
            participant=participant,
            kind=IncomeKind.HUURTOESLAG,
            amount_cents=rng.randint(150, 380) * 100,
            valid_from=start_on,
        )
    Income.objects.create(
        participant=participant,
        kind=IncomeKind.ZORGTOESLAG,
        amount_cents=12_300,
        valid_from=start_on,
    )


def _phase_specifics(participant, plan, lines, rng, today) -> None:
    if participant.phase == Phase.EXTENDED:
        regeling = plan.regeling
        new_end = planned_end_on(
            plan.start_on, regeling.min_duration_months + max(1, regeling.max_extension_months // 2)
        )
        if regeling.extension_allowed and new_end > plan.planned_end_on:
            PlanDecision.objects.create(
                plan=plan,
                kind=PlanDecisionKind.EXTEND,
                new_end_on=new_end,
                reason="Gesprek na 6 maanden: nog niet financieel zelfredzaam.",
                decided_on=plan.planned_end_on - timedelta(days=14),
                decided_by=participant.case_worker or _any_user(),
            )
            plan.planned_end_on = new_end
            plan.status = PlanStatus.EXTENDED
            plan.save(update_fields=["planned_end_on", "status"])
    elif participant.phase == Phase.PHASE_OUT:
        # Stepwise phase-out: the participant pays energy (or the first extra) themselves.
        candidates = [line for line in lines if line.category != CostCategory.HUUR]
        if candidates:
            line = rng.choice(candidates)
            line.ends_on = max(line.starts_on, today.replace(day=1)) - timedelta(days=1)
            line.save(update_fields=["ends_on"])


def _any_user():
    from ontzorg.accounts.models import User

    return User.objects.filter(role__edits_participants=True).order_by("pk").first()
