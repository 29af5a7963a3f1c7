"""The facts of a snapshot: one row per person who entered intake in a region (every
registered participant, in a comparison group), as they stood on a date.

Built with one aggregate query per kind of fact (never a query per participant), so a region
of 100,000 participants takes seconds. Every fact that has a date is taken as of `as_of`:
measurements, contacts, sessions, ledger bookings, shortfalls, returns, signals, income and
plan decisions after it do not count. Who is in the snapshot (everyone registered), the
phase and so the comparison group are as they are when the snapshot is built, because phases
carry no history.

`rows(region_id, as_of)` returns tuples in the order of ROW_FIELDS, sorted by participant,
so the same data always give the same rows; `digest(rows)` fingerprints them.

Adding a fact: give SnapshotRow its (nullable) columns with a migration, and append one
`Fact` to FACTS below: its columns, the value when a person has none, and one function that
collects it for everybody at once from `Context` (the people, the peildatum and what facts
share, such as the plans). Then add a version to VERSIONS, so that older snapshots are still
verified on the columns they were built with."""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, Min, Q, Subquery, Sum
from django.utils import timezone

from ontzorg.core.dates import TrajectoryDates, age_on, whole_months
from ontzorg.guidance.models import Attendance, Contact
from ontzorg.guidance.querysets import referral_counts
from ontzorg.inventory import facts as inventory
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.constants import MemberKind, Phase
from ontzorg.participants.models import HouseholdMember, Participant, SelectionDraw
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import ShortfallCase
from ontzorg.plans import modes
from ontzorg.plans.constants import IncomeKind, PlanDecisionKind
from ontzorg.plans.models import Income, Plan, PlanDecision
from ontzorg.regelingen.constants import InstrumentPurpose
from ontzorg.signals.constants import SignalKind, Status
from ontzorg.signals.models import Signal

from . import returns
from .constants import AGE_BAND_LIMITS, PILOT_PHASES, AgeBand, ComparisonGroup, HouseholdType
from .facts_time import end_of_day

# The facts of version 1 (before issue 12), in the order of every row.
BASE_FIELDS = (
    "participant_id",
    "region_id",
    "regeling_id",
    "mode",
    "phase",
    "age_band",
    "gender",
    "country_of_origin",
    "household_type",
    "literacy",
    "arrival_year",
    "start_on",
    "end_on",
    "ended",
    "extended",
    "outflow_to_work",
    "outflow_on",
    "guidance_minutes",
    "trainings_attended",
    "withheld_cents",
    "withheld_months",
    "shortfall_months",
    "returned_payments",
    "reserves_cents",
    "arrears_start_cents",
    "arrears_now_cents",
    "first_instrument_id",
    "first_rank",
    "first_category",
    "latest_instrument_id",
    "latest_moment",
    "latest_rank",
    "latest_category",
    "signals_after_end",
)


def age_band(born: date, on: date) -> str:
    age = age_on(born, on)
    for limit, band in AGE_BAND_LIMITS:
        if age < limit:
            return band
    return AgeBand.OLDER


def household_type(adults: int, children: int) -> str:
    if adults >= 2:
        return HouseholdType.COUPLE_CHILDREN if children else HouseholdType.COUPLE
    return HouseholdType.SINGLE_PARENT if children else HouseholdType.SINGLE


def participants_of(region_id: int):
    """Everyone who entered intake in the region: every registered participant."""
    return Participant.objects.filter(regeling__region_id=region_id)


class Context:
    """What the facts of one snapshot are collected from, and what several facts share."""

    def __init__(self, region_id: int, as_of: date, people, registered: dict[int, tuple]):
        self.region_id = region_id
        self.as_of = as_of
        self.people = people
        self.registered = registered  # per person: (phase, created_at)

    @cached_property
    def plans(self) -> dict[int, tuple]:
        return _plans(self.people, self.as_of)


@dataclass(frozen=True)
class Fact:
    fields: tuple[str, ...]
    missing: tuple  # the values of someone the collector returns nothing for
    collect: Callable[[Context], dict[int, tuple]]


def comparison_group(phase: str, in_pool: bool, ever_selected: bool) -> str:
    """The group of someone who entered intake, from the phase and the draws: in the pilot
    from intake on; not eligible and opted out as their phase says; a candidate who was in a
    draw's pool and never selected is not drawn; any other candidate is waiting."""
    if phase in PILOT_PHASES:
        return ComparisonGroup.PARTICIPANT
    if phase == Phase.NOT_ELIGIBLE:
        return ComparisonGroup.NOT_ELIGIBLE
    if phase == Phase.OPTED_OUT:
        return ComparisonGroup.OPTED_OUT
    if in_pool and not ever_selected:
        return ComparisonGroup.NOT_DRAWN
    return ComparisonGroup.WAITING


def _comparison(context: Context) -> dict[int, tuple]:
    """(comparison group, whole months since the start) per person. The start is that of
    ontzorgen; for who has not started, the day of the (latest) draw they were in, drawn or
    not, else the day they entered intake. None when it lies after the peildatum."""
    pools: dict[int, date] = {}
    selected: set[int] = set()
    draws = SelectionDraw.objects.filter(regeling__region_id=context.region_id).order_by(
        "drawn_at", "pk"
    )
    for candidates, chosen, drawn_at in draws.values_list(
        "candidate_ids", "selected_ids", "drawn_at"
    ):
        drawn_on = timezone.localdate(drawn_at)
        pools.update(dict.fromkeys(candidates, drawn_on))
        selected.update(chosen)
    found = {}
    for pk, (phase, entered_at) in context.registered.items():
        group = comparison_group(phase, pk in pools, pk in selected)
        plan = context.plans.get(pk)
        if plan is not None:
            start = plan[0]
        elif pk in pools:
            start = pools[pk]
        else:
            start = timezone.localdate(entered_at)
        months = whole_months(start, context.as_of)
        found[pk] = (group, months if months >= 0 else None)
    return found


def _organisation(context: Context) -> dict[int, tuple]:
    """The guiding organisation's name (an organisation, not a person) when built."""
    return {
        pk: (name,)
        for pk, name in context.people.filter(guidance_organisation__isnull=False).values_list(
            "pk", "guidance_organisation__name"
        )
    }


def _benefit_ended(context: Context) -> dict[int, tuple]:
    """Whether a bijstand benefit that began on or before the peildatum no longer ran on
    it; None (not known) for who had none."""
    found = {}
    incomes = (
        Income.objects.filter(
            participant__in=context.people,
            kind=IncomeKind.BIJSTAND,
            valid_from__lte=context.as_of,
        )
        .order_by()
        .values("participant_id")
        .annotate(
            running=Count("pk", filter=Q(valid_to__isnull=True) | Q(valid_to__gte=context.as_of))
        )
        .values_list("participant_id", "running")
    )
    for pk, running in incomes:
        found[pk] = (not running,)
    return found


def _debts(context: Context) -> dict[int, tuple]:
    """Debts from the intake inventory: the total at the start (the first day any was
    recorded) and on the peildatum, both as known on the peildatum."""
    ids = context.people.values("pk")
    start = inventory.debt_cents_at_start(ids, until=context.as_of)
    now = inventory.debt_cents_on(ids, context.as_of)
    return {pk: (start.get(pk), now.get(pk)) for pk in start.keys() | now.keys()}


def _referrals(context: Context) -> dict[int, tuple]:
    """Referrals to regular services made on or before the peildatum."""
    counts = referral_counts(context.people.values("pk"), until=context.as_of)
    return {pk: (sum(kinds.values()),) for pk, kinds in counts.items()}


OUTCOME_PURPOSES = (
    InstrumentPurpose.STRESS,
    InstrumentPurpose.LANGUAGE,
    InstrumentPurpose.AGENCIES,
)


def _other_outcomes(context: Context) -> dict[int, tuple]:
    """Stress, language progress and agencies approached (in OUTCOME_PURPOSES' order): per
    purpose the level's rank or the count at the first and at the latest measurement on or
    before the peildatum, as assessed by a professional or the participant alike."""
    found: dict[int, dict] = {}
    measured = (
        Measurement.objects.filter(participant__in=context.people, measured_on__lte=context.as_of)
        .outcomes()
        .order_by("participant_id", "measured_on", "created_at", "pk")
        .values_list("participant_id", "instrument__purpose", "level__rank", "count")
    )
    for pk, purpose, rank, count in measured:
        value = rank if rank is not None else count
        first, _latest = found.setdefault(pk, {}).get(purpose, (value, None))
        found[pk][purpose] = (first, value)
    return {
        pk: tuple(
            value for purpose in OUTCOME_PURPOSES for value in values.get(purpose, (None, None))
        )
        for pk, values in found.items()
    }


FACTS = (
    Fact(("comparison_group", "months_since_start"), (None, None), _comparison),
    Fact(("guidance_organisation",), ("",), _organisation),
    Fact(("benefit_ended",), (None,), _benefit_ended),
    Fact(("debt_start_cents", "debt_now_cents"), (None, None), _debts),
    Fact(("referrals",), (0,), _referrals),
    Fact(
        tuple(
            f"{purpose.value}_{when}"
            for purpose in OUTCOME_PURPOSES
            for when in ("first", "latest")
        ),
        (None,) * 6,
        _other_outcomes,
    ),
)
ROW_FIELDS = BASE_FIELDS + tuple(name for fact in FACTS for name in fact.fields)

# Per version of the facts: its columns, and whether a person was in a snapshot of it.
VERSIONS = {
    1: (BASE_FIELDS, lambda row: row[_GROUP] == ComparisonGroup.PARTICIPANT),
    2: (ROW_FIELDS, None),
}
VERSION = max(VERSIONS)
_GROUP = ROW_FIELDS.index("comparison_group")


def as_version(found: list[tuple], version: int | None) -> list[tuple]:
    """Rows of the current version as a snapshot of `version` (None: 1) held them."""
    fields, included = VERSIONS[version or 1]
    if version == VERSION:
        return found
    return [row[: len(fields)] for row in found if included is None or included(row)]


def rows(region_id: int, as_of: date) -> list[tuple]:
    people = participants_of(region_id)
    base = list(
        people.order_by("pk").values_list(
            "pk",
            "household_id",
            "regeling_id",
            "regeling__mode",
            "phase",
            "date_of_birth",
            "gender",
            "country_of_origin",
            "literacy",
            "arrival_on",
            "created_at",
        )
    )
    context = Context(region_id, as_of, people, {row[0]: (row[4], row[10]) for row in base})
    adults, children = _households(people, as_of)
    plans = context.plans
    extended = set(
        PlanDecision.objects.filter(
            plan__participant__in=people, kind=PlanDecisionKind.EXTEND, decided_on__lte=as_of
        ).values_list("plan__participant_id", flat=True)
    )
    outflow = dict(
        Income.objects.filter(participant__in=people, kind=IncomeKind.WAGES, valid_from__lte=as_of)
        .order_by()
        .values("participant_id")
        .annotate(first=Min("valid_from"))
        .values_list("participant_id", "first")
    )
    # The participant's own mode on the peildatum: a recorded decision, else the regeling's.
    decided = modes.decided_modes(people.values("pk"), as_of)
    guidance = _guidance(people, as_of)
    money = _ledger(people, as_of)
    shortfalls = dict(
        ShortfallCase.objects.filter(participant__in=people, run__period__lte=as_of)
        .exclude(run__status=RunStatus.CANCELLED)
        .order_by()
        .values("participant_id")
        .annotate(n=Count("run__period", distinct=True))
        .values_list("participant_id", "n")
    )
    returned = returns.count_per_participant(people, as_of)
    arrears = _arrears(people, as_of)
    measured = _measurements(people, as_of)
    after_end = dict(
        Signal.objects.filter(
            participant__in=people, after_end=True, received_at__lt=end_of_day(as_of)
        )
        .order_by()
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
    )

    collected = [(fact, fact.collect(context)) for fact in FACTS]

    result = []
    for pk, household, regeling, mode, phase, born, gender, country, literacy, arrival, _e in base:
        start_on, end_on, ended = plans.get(pk, (None, None, False))
        minutes, trainings = guidance.get(pk, (0, 0))
        withheld, months, reserves = money.get(pk, (0, 0, 0))
        first, latest = measured.get(pk, (None, None))
        first = first or (None, None, None, "")
        latest = latest or (None, None, None, "")
        result.append(
            (
                pk,
                region_id,
                regeling,
                decided[pk].mode if pk in decided else mode,
                phase,
                age_band(born, as_of),
                gender,
                country.strip(),
                household_type(adults.get(household, 1), children.get(household, 0)),
                literacy,
                arrival.year,
                start_on,
                end_on,
                ended,
                pk in extended,
                pk in outflow,
                outflow.get(pk),
                minutes,
                trainings,
                withheld,
                months,
                shortfalls.get(pk, 0),
                returned.get(pk, 0),
                reserves,
                *_arrears_at(arrears.get(pk, ()), start_on, as_of),
                first[0],
                first[1],
                first[2],
                latest[0],
                latest[3],
                latest[1],
                latest[2],
                after_end.get(pk, 0),
                *(value for fact, found in collected for value in found.get(pk, fact.missing)),
            )
        )
    return result


def digest(found: list[tuple]) -> str:
    text = "\n".join(json.dumps(row, default=str, ensure_ascii=False) for row in found)
    return hashlib.sha256(text.encode()).hexdigest()


def _households(people, as_of):
    households = people.values("household_id")
    adults = Counter(
        dict(
            Participant.objects.filter(household_id__in=Subquery(households))
            .order_by()
            .values("household_id")
            .annotate(n=Count("pk"))
            .values_list("household_id", "n")
        )
    )
    # A partner who does not take part is an adult of the household too.
    adults.update(
        dict(
            HouseholdMember.objects.filter(
                household_id__in=Subquery(households), kind=MemberKind.PARTNER
            )
            .living_there_on(as_of)
            .order_by()
            .values("household_id")
            .annotate(n=Count("pk"))
            .values_list("household_id", "n")
        )
    )
    children = dict(
        HouseholdMember.objects.filter(
            household_id__in=Subquery(households),
            kind=MemberKind.CHILD,
            date_of_birth__lte=as_of,
        )
        .living_there_on(as_of)  # dated membership: who lived there on the peildatum
        .order_by()
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
    )
    return adults, children


def _plans(people, as_of) -> dict[int, tuple]:
    """(first start, end of the latest plan, ended on or before as_of) per participant."""
    found = {}
    plans = (
        Plan.objects.filter(participant__in=people, start_on__lte=as_of)
        .order_by("participant_id", "start_on", "pk")
        .values_list("participant_id", "start_on", "planned_end_on", "ended_on")
    )
    for pk, start_on, planned_end_on, ended_on in plans:
        first = found[pk][0] if pk in found else start_on
        end_on = TrajectoryDates(start_on, planned_end_on, ended_on=ended_on).end_on
        found[pk] = (first, end_on, ended_on is not None and ended_on <= as_of)
    return found


def _guidance(people, as_of) -> dict[int, tuple[int, int]]:
    """(contact plus attended session minutes, trainings attended) per participant."""
    minutes = defaultdict(int)
    trainings = {}
    contacts = (
        Contact.objects.filter(participant__in=people, occurred_on__lte=as_of)
        .order_by()
        .values("participant_id")
        .annotate(total=Sum("duration_minutes"))
        .values_list("participant_id", "total")
    )
    for pk, total in contacts:
        minutes[pk] += total
    sessions = (
        Attendance.objects.filter(participant__in=people, attended=True)
        .filter(session__held_on__lte=as_of)
        .order_by()
        .values("participant_id")
        .annotate(
            total=Sum("session__duration_minutes"),
            activities=Count("session__activity", distinct=True),
        )
        .values_list("participant_id", "total", "activities")
    )
    for pk, total, activities in sessions:
        minutes[pk] += total
        trainings[pk] = activities
    return {pk: (minutes.get(pk, 0), trainings.get(pk, 0)) for pk in set(minutes) | set(trainings)}


# A withholding credits the participant's WITHHELD account; a correction reverses it with a
# debit. Payments to creditors debit the account and their corrections credit it, so they
# are left out: what remains is the net amount withheld.
WITHHELD = Q(account__kind=AccountKind.WITHHELD) & (
    Q(transaction__reverses__isnull=True, amount_cents__lt=0)
    | Q(transaction__reverses__isnull=False, amount_cents__gt=0)
)


def _ledger(people, as_of) -> dict[int, tuple[int, int, int]]:
    """(withheld cents, months with a withholding, reserves cents) per participant, from the
    bookings on or before as_of. Reserves are the savings pots' credit balance."""
    rows = (
        Entry.objects.filter(
            account__participant__in=people,
            account__kind__in=(AccountKind.WITHHELD, AccountKind.SAVINGS),
            transaction__booked_on__lte=as_of,
        )
        .order_by()
        .values("account__participant_id")
        .annotate(
            withheld=Sum("amount_cents", filter=WITHHELD, default=0),
            months=Count(
                "transaction__period",
                distinct=True,
                filter=WITHHELD & Q(transaction__reverses__isnull=True),
            ),
            savings=Sum("amount_cents", filter=Q(account__kind=AccountKind.SAVINGS), default=0),
        )
        .values_list("account__participant_id", "withheld", "months", "savings")
    )
    return {pk: (-withheld, months, -savings) for pk, withheld, months, savings in rows}


def _arrears(people, as_of) -> dict[int, list[tuple]]:
    """Per participant the arrears signals known on as_of: (cents, reported on, closed on)."""
    found = defaultdict(list)
    signals = (
        Signal.objects.filter(
            participant__in=people, kind=SignalKind.ARREARS, reported_on__lte=as_of
        )
        .annotate(closed_at=Min("history__changed_at", filter=Q(history__to_status=Status.CLOSED)))
        .order_by("participant_id", "pk")
        .values_list("participant_id", "amount_cents", "reported_on", "closed_at")
    )
    for pk, cents, reported_on, closed_at in signals:
        closed_on = timezone.localdate(closed_at) if closed_at else None
        found[pk].append((cents or 0, reported_on, closed_on))
    return found


def _arrears_at(signals, start_on, as_of) -> tuple[int, int]:
    """Known arrears open at the start of ontzorgen and open on as_of, in cents."""

    def open_on(day):
        return sum(
            cents
            for cents, reported_on, closed_on in signals
            if reported_on <= day and (closed_on is None or closed_on > day)
        )

    return (open_on(start_on) if start_on else 0), open_on(as_of)


def _measurements(people, as_of) -> dict[int, tuple]:
    """(first nulmeting, latest measurement) per participant, each as (instrument id, rank,
    category, moment). The participant's own view alone is not an assessment: left out."""
    found = {}
    measured = (
        Measurement.objects.filter(participant__in=people, measured_on__lte=as_of)
        .self_reliance()
        .exclude(perspective=Perspective.PARTICIPANT)
        .order_by("participant_id", "measured_on", "created_at", "pk")
        .values_list("participant_id", "instrument_id", "level__rank", "level__category", "moment")
    )
    for pk, instrument, rank, category, moment in measured:
        first, _latest = found.get(pk, (None, None))
        this = (instrument, rank, category, moment)
        if first is None and moment == Moment.NULMETING:
            first = this
        found[pk] = (first, this)
    return found
