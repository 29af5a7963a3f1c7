"""Demo step: about 230 fictional participants in the six regions, plus a pool of Den Haag
candidates for the random selection.

Everything is planned from one fixed seed before the database is touched, so the same people
(same BSNs) come out on every run; a household is only created when its applicant's BSN is not
in the database yet. Phases follow from the dates (days since the plan started) and the
not-eligible people really fail the regeling's eligibility rules."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from unittest import mock

from django.utils import timezone

from ontzorg.accounts.models import Organisation, User
from ontzorg.audit import services as audit
from ontzorg.core.dates import age_on
from ontzorg.participants import lifecycle, selection, services
from ontzorg.participants.constants import (
    DecisionKind,
    DecisionOutcome,
    Gender,
    HouseholdRole,
    Literacy,
    MemberKind,
    Phase,
)
from ontzorg.participants.models import Household, HouseholdMember, Participant
from ontzorg.payments.sepa import latin_form
from ontzorg.regelingen.constants import Mode
from ontzorg.regelingen.models import Municipality, Regeling
from ontzorg_demo.testdata import fake_bsn, fake_iban

from . import events
from .people import CHILD_NAMES, COUNTRIES, STREETS, page_language
from .regions import REGIONS, pilot_start
from .users import coach_username, km_username

SEED = 20200601
# Test factories count BSNs and IBANs from 0; the demo starts far above them.
NUMBER_OFFSET = 10_000

SIZES = {
    "capelle": 52,
    "den-haag": 45,
    "dongemond": 40,
    "edam-volendam": 27,
    "hendrik-ido-ambacht": 35,
    "zoetermeer": 35,
}
# Den Haag: these many extra candidates wait in the pool next to those already drawn.
DEN_HAAG_POOL = 60
DEN_HAAG_DRAW_SEED = 4_020_2020
DEN_HAAG_DRAWN_DAYS_AGO = 35

# People who fail their own regeling's rules, one entry per person.
NOT_ELIGIBLE = {
    "capelle": ["no_bijstand"],
    "den-haag": ["no_bijstand", "no_bijstand"],
    "dongemond": ["old_arrival", "no_bijstand"],
    "edam-volendam": ["no_bijstand"],
    "hendrik-ido-ambacht": ["illiterate", "illiterate", "illiterate"],
    "zoetermeer": ["senior", "senior", "student", "student"],
}
# Old arrivals whom Edam-Volendam's regeling does admit.
OLD_ARRIVALS = {"edam-volendam": 3}

PHASE_WEIGHTS = {
    Phase.CANDIDATE: 3,
    Phase.INTAKE: 12,
    Phase.ACTIVE: 45,
    Phase.EXTENDED: 8,
    Phase.PHASE_OUT: 8,
    Phase.NAZORG: 8,
    Phase.ENDED: 8,
    Phase.OPTED_OUT: 5,
}
# Budgetbeheer (Hendrik-Ido-Ambacht) lasts at least six months and usually goes on after
# that: many are extended, nobody has finished yet.
LONG_PHASE_WEIGHTS = {
    Phase.CANDIDATE: 3,
    Phase.INTAKE: 12,
    Phase.ACTIVE: 40,
    Phase.EXTENDED: 22,
    Phase.PHASE_OUT: 14,
    Phase.OPTED_OUT: 5,
}
# Capelle: participants whose plan started this month (0) or last month (1), so that the
# first month's rent gift shows in the booked run and in the run still to be prepared.
RECENT_STARTS = {"capelle": (1, 1, 0)}
DEN_HAAG_DRAWN_WEIGHTS = {Phase.ACTIVE: 85, Phase.INTAKE: 8, Phase.OPTED_OUT: 7}

# Days between the start of the plan (bijstand or lease) and the day of loading.
PLAN_DAYS = {
    Phase.CANDIDATE: (5, 30),
    Phase.NOT_ELIGIBLE: (5, 60),
    Phase.INTAKE: (25, 55),
    Phase.ACTIVE: (45, 175),
    Phase.OPTED_OUT: (20, 120),
    Phase.EXTENDED: (190, 320),
    Phase.PHASE_OUT: (160, 260),
    Phase.NAZORG: (200, 330),
    Phase.ENDED: (300, 400),
}

OPT_OUT_REASONS = [
    (
        DecisionKind.MAATWERK,
        "In het intakegesprek bleek dat de deelnemer de vaste lasten al zelf betaalt en geen "
        "achterstanden heeft; zelfredzaamheid vastgesteld.",
    ),
    (
        DecisionKind.OPT_OUT,
        "Deelnemer wil de vaste lasten zelf betalen. Afgesproken dat de klantmanager na drie "
        "maanden navraagt hoe het gaat.",
    ),
    (
        DecisionKind.MAATWERK,
        "Deelnemer heeft al eerder zelfstandig gewoond in Nederland en betaalt huur en energie "
        "via automatische incasso.",
    ),
]
EXTENSION_REASON = (
    "Verlenging met zes maanden: de achterstand bij de energieleverancier is nog niet opgelost "
    "en de deelnemer leert nog met de post omgaan."
)


@dataclass
class PlannedHousehold:
    region: str
    municipality: str
    address: dict
    people: list[dict]
    members: list[dict] = field(default_factory=list)
    # Den Haag pool: the phase this household gets if the draw selects it.
    phase_if_drawn: str = ""
    decision: tuple | None = None


class Planner:
    """Turns the fixed seed into households; knows nothing about the database."""

    def __init__(self, today: date):
        self.today = today
        self.newcomers_since = pilot_start(today)
        self.rng = random.Random(SEED)
        self.number = NUMBER_OFFSET

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def days_in_month(self, months_ago: int) -> tuple[int, int]:
        """The range of days ago that falls in this month (0) or the previous one (1)."""
        day = self.today.day
        return (0, day - 1) if months_ago == 0 else (day, day + 27)

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def birth_date(self, age: int) -> date:
        """A birthday that makes the person exactly `age` years old today."""
        try:
            anniversary = self.today.replace(year=self.today.year - age)
        except ValueError:  # 29 February
            anniversary = self.today.replace(year=self.today.year - age, day=28)
        return anniversary - timedelta(days=self.rng.randint(1, 360))

    def region(self, spec: dict) -> list[PlannedHousehold]:
        slug = spec["slug"]
        settings = spec["regeling"]
        homes = [self.not_eligible(spec, kind) for kind in NOT_ELIGIBLE.get(slug, [])]
        wanted = SIZES[slug] - len(homes)
        if slug == "den-haag":
            # Everyone in the pool was on bijstand before the cohort was drawn.
            homes += [
                self.household(spec, Phase.CANDIDATE, plan_days=(DEN_HAAG_DRAWN_DAYS_AGO + 10, 150))
                for _ in range(wanted + DEN_HAAG_POOL)
            ]
            for home in homes[len(NOT_ELIGIBLE[slug]) :]:
                home.phase_if_drawn = self.pick(DEN_HAAG_DRAWN_WEIGHTS)
            return homes
        weights = LONG_PHASE_WEIGHTS if settings.get("mode") == Mode.BUDGETBEHEER else PHASE_WEIGHTS
        old_arrivals = OLD_ARRIVALS.get(slug, 0)
        recent = list(RECENT_STARTS.get(slug, ()))
        while wanted > 0:
            phase, plan_days = self.pick(weights), None
            if recent:
                phase, plan_days = Phase.ACTIVE, self.days_in_month(recent.pop(0))
            home = self.household(
                spec, phase, couple_allowed=wanted > 1, old=old_arrivals > 0, plan_days=plan_days
            )
            old_arrivals -= 1
            wanted -= len(home.people)
            homes.append(home)
        return homes

    def household(
        self, spec, phase, *, couple_allowed=True, old=False, plan_days=None
    ) -> PlannedHousehold:
        rng = self.rng
        settings = spec["regeling"]
        zoetermeer = spec["slug"] == "zoetermeer"
        shape = self.pick(
            {"single": 40, "couple": 22, "family": 18, "single_parent": 12, "kostendeler": 8}
        )
        if phase in (Phase.OPTED_OUT, Phase.CANDIDATE) or not couple_allowed:
            shape = rng.choice(["single", "single_parent", "kostendeler"])
        country = self.pick({name: c[0] for name, c in COUNTRIES.items()})
        _weight, _languages, men, women, surnames = COUNTRIES[country]
        last_name = rng.choice(surnames)
        minor = zoetermeer and shape == "single" and rng.random() < 0.2
        age = rng.randint(18, 19) if minor else self.age(max_age=66 if zoetermeer else 70)
        if shape == "single_parent":
            gender = Gender.FEMALE if rng.random() < 0.85 else Gender.MALE
        elif shape in ("couple", "family"):
            gender = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
        else:
            gender = Gender.MALE if rng.random() < 0.65 else Gender.FEMALE
        low, high = plan_days or PLAN_DAYS[phase]
        dates = self.dates(spec, rng.randint(low, high), old=old)
        student = not zoetermeer and age <= 25 and rng.random() < 0.25
        applicant = self.person(
            spec,
            country,
            last_name,
            men if gender == Gender.MALE else women,
            gender,
            age,
            phase=phase,
            dates=dates,
            is_fulltime_student=student,
            is_unaccompanied_minor=minor,
        )
        home = self.home(spec, [applicant])
        if shape in ("couple", "family") and settings.get("both_partners", True):
            partner_gender = Gender.FEMALE if gender == Gender.MALE else Gender.MALE
            partner = self.person(
                spec,
                country,
                rng.choice(surnames) if country in ("Eritrea", "Ethiopië") else last_name,
                women if partner_gender == Gender.FEMALE else men,
                partner_gender,
                max(18, min(age + rng.randint(-6, 4), 70 if not zoetermeer else 66)),
                phase=phase,
                dates=dates,
                household_role=HouseholdRole.PARTNER,
            )
            home.people.append(partner)
        if shape in ("family", "single_parent"):
            oldest = min(17, age - 18)
            for _ in range(rng.randint(1, 4)):
                home.members.append(
                    dict(
                        kind=MemberKind.CHILD,
                        first_name=rng.choice(CHILD_NAMES),
                        date_of_birth=self.birth_date(rng.randint(0, max(0, oldest))),
                    )
                )
        if shape == "kostendeler":
            for _ in range(rng.randint(1, 2)):
                mate_age = rng.randint(19, 45)
                home.members.append(
                    dict(
                        kind=MemberKind.HOUSEMATE,
                        first_name=rng.choice(men + women),
                        date_of_birth=self.birth_date(mate_age),
                        is_student=mate_age < 27 and rng.random() < 0.3,
                    )
                )
        if phase == Phase.OPTED_OUT:
            home.decision = rng.choice(OPT_OUT_REASONS)
        return home

    def age(self, max_age: int) -> int:
        low, high = self.pick({(18, 24): 15, (25, 34): 35, (35, 49): 32, (50, 66): 14, (67, 70): 4})
        return self.rng.randint(low, min(high, max_age)) if low <= max_age else max_age

    def dates(self, spec, plan_days: int, *, old=False) -> dict:
        """Arrival, bijstand and lease dates around a plan start `plan_days` ago."""
        rng = self.rng
        plan_on = self.days_ago(plan_days)
        if spec["regeling"].get("plan_start") == "lease_signed":
            # Budgetbeheer starts when the lease is signed; the move and bijstand follow.
            return dict(
                lease_signed_on=plan_on,
                arrival_on=plan_on + timedelta(days=rng.randint(0, min(10, plan_days))),
                bijstand_start_on=plan_on + timedelta(days=rng.randint(0, min(20, plan_days))),
            )
        if old:
            # Came before the pilot started, worked for a while, now on bijstand again.
            arrival_on = self.newcomers_since - timedelta(days=rng.randint(30, 200))
        else:
            arrival_on = self.days_ago(max(plan_days + rng.randint(0, 30), 60))
        return dict(arrival_on=arrival_on, bijstand_start_on=plan_on)

    def person(self, spec, country, last_name, first_names, gender, age, **fields) -> dict:
        rng = self.rng
        _weight, languages, *_names = COUNTRIES[country]
        hia = spec["regeling"].get("exclude_illiterate", False)
        literacy = self.pick(
            {Literacy.LITERATE: 62, Literacy.LOW: 26, Literacy.ILLITERATE: 0 if hia else 12}
        )
        spoken = [languages[0]]
        if len(languages) > 1 and rng.random() < 0.3:
            spoken.append(languages[1])
        if literacy == Literacy.LITERATE and rng.random() < 0.35:
            spoken.append("Engels")
        interpreter = {Literacy.LITERATE: 0.2, Literacy.LOW: 0.7, Literacy.ILLITERATE: 1}[literacy]
        dates = fields.pop("dates")
        self.number += 1
        return dict(
            bsn=fake_bsn(self.number),
            iban=fake_iban(self.number),
            first_name=rng.choice(first_names),
            last_name=last_name,
            date_of_birth=self.birth_date(age),
            gender=gender,
            country_of_origin=country,
            languages=", ".join(spoken),
            preferred_language=page_language(spoken),
            needs_interpreter=rng.random() < interpreter,
            literacy=literacy,
            **dates,
            **fields,
        )

    def home(self, spec, people) -> PlannedHousehold:
        rng = self.rng
        municipalities = spec["municipalities"]
        lead_share = 0.6 if len(municipalities) > 1 else 1
        name, towns = (
            municipalities[0] if rng.random() < lead_share else rng.choice(municipalities[1:])
        )
        town, postcodes = rng.choice(towns)
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        number = str(rng.randint(1, 180)) + rng.choice(["", "", "", "a", "b", "-2"])
        return PlannedHousehold(
            region=spec["slug"],
            municipality=name,
            address=dict(
                street=rng.choice(STREETS),
                house_number=number,
                postcode=f"{rng.choice(postcodes.split())} {letters}",
                city=town,
            ),
            people=people,
        )

    def not_eligible(self, spec, kind: str) -> PlannedHousehold:
        """A single who fails one of the region's rules, in the not-eligible phase."""
        rng = self.rng
        country = self.pick({name: c[0] for name, c in COUNTRIES.items()})
        _weight, _languages, men, women, surnames = COUNTRIES[country]
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        dates = self.dates(
            spec, rng.randint(*PLAN_DAYS[Phase.NOT_ELIGIBLE]), old=kind == "old_arrival"
        )
        age = {"senior": rng.randint(67, 70), "student": rng.randint(18, 23)}.get(
            kind, self.age(60)
        )
        fields = {}
        if kind == "no_bijstand":
            # Works part-time, so there is no right to bijstand (yet).
            dates["bijstand_start_on"] = None
        elif kind == "student":
            fields["is_fulltime_student"] = True
        person = self.person(
            spec,
            country,
            rng.choice(surnames),
            men if gender == Gender.MALE else women,
            gender,
            age,
            phase=Phase.NOT_ELIGIBLE,
            dates=dates,
            **fields,
        )
        if kind == "illiterate":
            person.update(literacy=Literacy.ILLITERATE, needs_interpreter=True)
        return self.home(spec, [person])


def plan(today: date) -> list[PlannedHousehold]:
    planner = Planner(today)
    return [home for spec in REGIONS for home in planner.region(spec)]


def load(stdout) -> None:
    today = timezone.localdate()
    homes = plan(today)
    existing = set(
        Participant.objects.filter(
            bsn__in=[p["bsn"] for home in homes for p in home.people]
        ).values_list("bsn", flat=True)
    )
    todo = [home for home in homes if home.people[0]["bsn"] not in existing]
    if todo:
        _create(todo, today)
    stdout.write(
        f"Deelnemers: {Participant.objects.count()} in {Household.objects.count()} huishoudens "
        f"({len(todo)} huishoudens nieuw)."
    )


def _create(todo: list[PlannedHousehold], today: date) -> None:
    by_slug = {spec["slug"]: spec for spec in REGIONS}
    regelingen = {r.region.slug: r for r in Regeling.objects.select_related("region")}
    municipalities = {m.name: m for m in Municipality.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}

    homes = Household.objects.bulk_create(
        Household(municipality=municipalities[home.municipality], **home.address) for home in todo
    )
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=created, **member)
        for created, home in zip(homes, todo, strict=True)
        for member in home.members
    )
    people = []
    # The planned phase is reached below through the lifecycle, with its audit entries.
    targets = {}
    for created, home in zip(homes, todo, strict=True):
        spec = by_slug[home.region]
        for planned in home.people:
            fields = dict(planned)
            phase = fields.pop("phase")
            # The decision (below) moves them from intake to opted out.
            targets[fields["bsn"]] = Phase.INTAKE if home.decision else phase
            participant = Participant(
                household=created,
                regeling=regelingen[home.region],
                case_worker=users.get(km_username(spec)),
                **fields,
            )
            code = _guidance(spec, home, today)
            participant.guidance_organisation = organisations.get(
                next(o[1] for o in spec["organisations"] if o[0] == code)
            )
            participant.coach = users.get(coach_username(spec, code))
            participant.account_holder_name = latin_form(participant.full_name) or ""
            participant.full_clean()
            people.append(participant)
    Participant.objects.bulk_create(people)
    by_bsn = {p.bsn: p for p in people}

    for home in todo:
        applicant = by_bsn[home.people[0]["bsn"]]
        actor = users[km_username(by_slug[home.region])]
        for planned in home.people:
            _walk(by_bsn[planned["bsn"]], targets[planned["bsn"]], actor, today)
        if home.decision:
            kind, reason = home.decision
            services.record_decision(
                actor,
                applicant,
                kind=kind,
                outcome=DecisionOutcome.NO_ONTZORGING,
                reason=reason,
                decided_on=applicant.bijstand_start_on + timedelta(days=14),
            )
    _extensions(todo, by_bsn, users, by_slug)
    _den_haag_draw(todo, by_bsn, users, regelingen, today)
    audit.record(
        None,
        events.LOADED,
        object_type="participants.Participant",
        participants=len(people),
        households=len(homes),
    )


def _walk(person: Participant, phase: str, actor, today: date) -> None:
    """Bring `person` to the planned `phase` the legal way, one lifecycle move at a time,
    dated at the start of their plan (the demo's history)."""
    person.refresh_from_db(fields=["phase"])
    on = person.lease_signed_on or person.bijstand_start_on or today
    for step in lifecycle.route(person.phase, phase):
        lifecycle.move(person, step, on=min(on, today), reason="demogegevens", user=actor)


def _guidance(spec: dict, home: PlannedHousehold, today: date) -> str:
    """Which partner organisation guides this household (Zoetermeer: by audience)."""
    # Seeded per household, so the choice does not shift when other households are skipped.
    rng = random.Random(f"{SEED}-{home.people[0]['bsn']}")
    if spec["slug"] == "zoetermeer":
        applicant = home.people[0]
        age = age_on(applicant["date_of_birth"], today)
        if applicant.get("is_unaccompanied_minor") or age < 24:
            return "jongeren"
        if rng.random() < 0.15:
            return "schuldhulpmaatje"
        if home.municipality == "Lansingerland":
            return "lansingerland"
        if applicant["gender"] == Gender.FEMALE and home.members:
            return "buurtmoeders"
        return "humanitas" if len(home.people) == 1 and not home.members else "vwn"
    partners = [o[0] for o in spec["organisations"] if o[2] == "partner"]
    return partners[0] if rng.random() < 0.6 else rng.choice(partners[1:])


def _extensions(todo, by_bsn, users, by_slug) -> None:
    """One maatwerk decision per region for the first extended participant, with its reason."""
    done = set()
    for home in todo:
        applicant = by_bsn[home.people[0]["bsn"]]
        if applicant.phase != Phase.EXTENDED or home.region in done:
            continue
        done.add(home.region)
        services.record_decision(
            users[km_username(by_slug[home.region])],
            applicant,
            kind=DecisionKind.MAATWERK,
            outcome=DecisionOutcome.ONTZORGING_ANYWAY,
            reason=EXTENSION_REASON,
            decided_on=applicant.bijstand_start_on + timedelta(days=170),
        )


def _den_haag_draw(todo, by_bsn, users, regelingen, today) -> None:
    """Draw Den Haag's cohort out of its candidates; the rest stay in the pool."""
    regeling = regelingen["den-haag"]
    pool = [home for home in todo if home.phase_if_drawn]
    if not pool or regeling.draws.exists():
        return
    spec = next(spec for spec in REGIONS if spec["slug"] == "den-haag")
    actor = users[km_username(spec)]
    size = SIZES["den-haag"] - len(NOT_ELIGIBLE["den-haag"])
    # The demo must draw the same cohort every time; a user never chooses a seed, so only
    # this development-only loader replaces the server's random seed, for this one call.
    with mock.patch.object(selection, "new_seed", return_value=DEN_HAAG_DRAW_SEED):
        draw = services.draw_selection(actor, regeling, size)
    # The cohort was drawn five weeks before the demo day; the draw itself is reproducible.
    type(draw).objects.filter(pk=draw.pk).update(
        drawn_at=timezone.now() - timedelta(days=DEN_HAAG_DRAWN_DAYS_AGO)
    )
    selected = set(draw.selected_ids)
    for home in pool:
        person = by_bsn[home.people[0]["bsn"]]
        if person.pk not in selected:
            continue
        if home.phase_if_drawn == Phase.OPTED_OUT:
            kind, reason = OPT_OUT_REASONS[person.pk % len(OPT_OUT_REASONS)]
            services.record_decision(
                actor,
                person,
                kind=kind,
                outcome=DecisionOutcome.NO_ONTZORGING,
                reason=reason,
                decided_on=today - timedelta(days=DEN_HAAG_DRAWN_DAYS_AGO - 7),
            )
        elif home.phase_if_drawn != Phase.INTAKE:
            _walk(person, home.phase_if_drawn, actor, today)
