"""The facts of a snapshot: one row per participant of a region, as they stood on a date.

Built with one aggregate query per kind of fact (never a query per participant), so a region
of 100,000 participants takes seconds. Every fact that has a date is taken as of `as_of`:
measurements, contacts, sessions, ledger bookings, shortfalls, returns, signals, income and
plan decisions after it do not count. Who is in the snapshot (the pilot phases) and the
phase itself are as they are when the snapshot is built, because phases carry no history.

`rows(region_id, as_of)` returns tuples in the order of ROW_FIELDS, sorted by participant,
so the same data always give the same rows; `digest(rows)` fingerprints them."""

import hashlib
import json
from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Min, Q, Subquery, Sum
from django.utils import timezone

from ontzorg.core.dates import TrajectoryDates, age_on
from ontzorg.guidance.models import Attendance, Contact
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.constants import MemberKind
from ontzorg.participants.models import HouseholdMember, Participant
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import ShortfallCase
from ontzorg.plans import modes
from ontzorg.plans.constants import IncomeKind, PlanDecisionKind
from ontzorg.plans.models import Income, Plan, PlanDecision
from ontzorg.signals.constants import SignalKind, Status
from ontzorg.signals.models import Signal

from . import returns
from .constants import AGE_BAND_LIMITS, PILOT_PHASES, AgeBand, HouseholdType
from .facts_time import end_of_day

ROW_FIELDS = (
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
    return Participant.objects.filter(regeling__region_id=region_id, phase__in=PILOT_PHASES)


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
        )
    )
    adults, children = _households(people, as_of)
    plans = _plans(people, as_of)
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

    result = []
    for pk, household, regeling, mode, phase, born, gender, country, literacy, arrival in base:
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
