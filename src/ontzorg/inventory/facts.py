"""What the inventory knows on a day, for the pages and for the monitor: the one home of
"debt at the start" and "debt now", of the assets against the asset limit, and of the
duaal-traject facts.

Reading only; no rights are checked here (the monitor counts everyone, the pages call these
for a participant the user already sees). Each function reads one table in one query
whatever the number of participants, and answers per participant id. A participant of whom
nothing was known by the day is absent from the answer: unknown is not zero."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .constants import AssetHousehold, AssetKind, IntegrationRoute, LanguageLevel
from .models import AssetLimit, AssetValue, DebtAmount, IntegrationRecord


def _totals(rows) -> dict[int, int]:
    """rows: (participant id, item id, day, pk, cents), any order -> per participant the sum
    of each item's latest row (by day, then by when it was written)."""
    latest: dict[int, tuple] = {}
    for participant_id, item_id, day, pk, cents in rows:
        known = latest.get(item_id)
        if known is None or (day, pk) > known[1:3]:
            latest[item_id] = (participant_id, day, pk, cents)
    totals: dict[int, int] = {}
    for participant_id, _day, _pk, cents in latest.values():
        totals[participant_id] = totals.get(participant_id, 0) + cents
    return totals


def _debt_rows(participant_ids, day: date | None = None):
    rows = DebtAmount.objects.filter(debt__participant_id__in=participant_ids)
    if day is not None:
        rows = rows.filter(known_on__lte=day)
    return rows.order_by().values_list(
        "debt__participant_id", "debt_id", "known_on", "pk", "amount_cents"
    )


def debt_cents_on(participant_ids, day: date) -> dict[int, int]:
    """Per participant the total debt known on `day`: of each debt its latest amount on or
    before that day (a debt found later does not count yet, a debt paid off counts 0)."""
    return _totals(_debt_rows(participant_ids, day))


def debt_cents_at_start(participant_ids, until: date | None = None) -> dict[int, int]:
    """Per participant the debt at the start: the total on the first day any amount was
    recorded for them (the intake inventory), with the amounts recorded that day; as known
    on `until` when given (nothing recorded by then: absent)."""
    rows = list(_debt_rows(participant_ids, until))
    first: dict[int, date] = {}
    for participant_id, _debt, day, _pk, _cents in rows:
        if participant_id not in first or day < first[participant_id]:
            first[participant_id] = day
    return _totals(row for row in rows if row[2] == first[row[0]])


def asset_cents_on(participant_ids, day: date) -> dict[int, int]:
    """Per participant the total value of their assets on `day` (latest value of each)."""
    rows = (
        AssetValue.objects.filter(asset__participant_id__in=participant_ids, valued_on__lte=day)
        .order_by()
        .values_list("asset__participant_id", "asset_id", "valued_on", "pk", "amount_cents")
    )
    return _totals(rows)


def _ind_compensation_cents(participant_ids, day: date) -> int:
    rows = (
        AssetValue.objects.filter(
            asset__participant_id__in=participant_ids,
            asset__kind=AssetKind.IND_COMPENSATION,
            valued_on__lte=day,
        )
        .order_by()
        .values_list("asset__participant_id", "asset_id", "valued_on", "pk", "amount_cents")
    )
    return sum(_totals(rows).values())


def limit_on(household: str, day: date) -> AssetLimit | None:
    """The asset limit in force on `day` for the kind of household."""
    return (
        AssetLimit.objects.filter(household=household, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def household_kind(participant, day: date) -> str:
    """Single person, or couple or single parent: the two asset limits of the bijstand, by
    the household facts that also decide the benefit norm (`plans.reading`)."""
    from ontzorg.plans.reading import household_for_norm

    household = household_for_norm(participant, day)
    family = len(household.partner_ages) > 1 or household.with_children
    return AssetHousehold.FAMILY if family else AssetHousehold.SINGLE


@dataclass(frozen=True)
class AssetCheck:
    """The household's assets on a day against the asset limit of the bijstand."""

    on: date
    household: str
    total_cents: int
    ind_compensation_cents: int
    debt_cents: int
    limit: AssetLimit | None
    participant_count: int

    @property
    def household_label(self) -> str:
        return AssetHousehold(self.household).label

    @property
    def limit_cents(self) -> int | None:
        return self.limit.amount_cents if self.limit else None

    @property
    def exceeds(self) -> bool:
        return self.limit is not None and self.total_cents > self.limit.amount_cents

    @property
    def excess_cents(self) -> int:
        return max(self.total_cents - self.limit.amount_cents, 0) if self.limit else 0

    @property
    def ind_compensation_exceeds(self) -> bool:
        """Whether the IND compensation alone is above the limit."""
        return self.limit is not None and self.ind_compensation_cents > self.limit.amount_cents


def asset_check(participant, day: date) -> AssetCheck:
    """The assets of the participant's household on `day` (a partner who is a participant
    too brings theirs: the bijstand counts the assets of the household) against the limit
    for the household. Recorded debts are given beside it: a debt that must really be repaid
    lowers the assets, which the case worker judges; the check itself does not guess."""
    from ontzorg.participants.models import Participant

    ids = list(
        Participant.objects.filter(household_id=participant.household_id).values_list(
            "pk", flat=True
        )
    )
    kind = household_kind(participant, day)
    return AssetCheck(
        on=day,
        household=kind,
        total_cents=sum(asset_cents_on(ids, day).values()),
        ind_compensation_cents=_ind_compensation_cents(ids, day),
        debt_cents=sum(debt_cents_on(ids, day).values()),
        limit=limit_on(kind, day),
        participant_count=len(ids),
    )


@dataclass(frozen=True)
class IntegrationFacts:
    route: str = ""
    pip_on: date | None = None
    language_level: str = ""
    language_level_on: date | None = None

    @property
    def route_label(self) -> str:
        return IntegrationRoute(self.route).label if self.route else ""

    @property
    def language_level_label(self) -> str:
        return LanguageLevel(self.language_level).label if self.language_level else ""


def integration_on(participant_ids, day: date) -> dict[int, IntegrationFacts]:
    """Per participant the duaal-traject facts known on `day`: of each fact the latest
    recorded value (an empty field in a later record keeps the earlier value)."""
    rows = (
        IntegrationRecord.objects.filter(participant_id__in=participant_ids, recorded_on__lte=day)
        .filter(~Q(route="") | Q(pip_on__isnull=False) | ~Q(language_level=""))
        .order_by("participant_id", "recorded_on", "pk")
        .values_list("participant_id", "recorded_on", "route", "pip_on", "language_level")
    )
    found: dict[int, dict] = {}
    for participant_id, recorded_on, route, pip_on, level in rows:
        facts = found.setdefault(participant_id, {})
        if route:
            facts["route"] = route
        if pip_on:
            facts["pip_on"] = pip_on
        if level:
            facts["language_level"] = level
            facts["language_level_on"] = recorded_on
    return {pk: IntegrationFacts(**facts) for pk, facts in found.items()}
