"""Demo step: the intake inventory and referrals of the demo participants who have started.

Most bring debts from the AZC (the furnishing loan of the COA or the municipality), some
owe the Belastingdienst, the CJIB or DUO; at each later self-reliance measurement the debts
are recorded again (a little lower, mostly). A few hold an IND compensation, sometimes above
the asset limit. The duaal-traject facts (route, PIP date, language level) are recorded for
everyone in Dongemond, whose question it is, and for half of the others; participants with
a high debt are often referred to schuldhulpverlening, a few to the wijkteam.

Planned from a fixed seed per participant; a participant who already has debts, assets,
duaal-traject facts or referrals keeps them, so loading twice changes nothing."""

import random
from datetime import date, timedelta

from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.guidance.constants import ReferralOrganisation, ReferralStatus
from ontzorg.guidance.models import Referral
from ontzorg.inventory.constants import AssetKind, DebtKind, IntegrationRoute, LanguageLevel
from ontzorg.inventory.models import Asset, AssetValue, Debt, DebtAmount, IntegrationRecord
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant

SEED = 20261201
STARTED = (Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT, Phase.NAZORG, Phase.ENDED)
PIP_SINCE = date(2022, 1, 1)
# (kind, creditor, chance, lowest and highest amount in euros)
DEBTS = [
    (DebtKind.FURNISHING_LOAN, "COA", 0.55, 1200, 3500),
    (DebtKind.BELASTINGDIENST, "Belastingdienst/Toeslagen", 0.25, 150, 1500),
    (DebtKind.CJIB, "CJIB", 0.15, 90, 600),
    (DebtKind.DUO, "DUO", 0.10, 500, 4000),
    (DebtKind.HEALTH_INSURER, "", 0.08, 100, 700),
]
LEVELS = list(LanguageLevel.values)


def load(stdout) -> None:
    today = timezone.localdate()
    staff = {
        u.organisation.region_id: u
        for u in User.objects.filter(role__code=RoleCode.KLANTMANAGER, is_active=True)
        .exclude(organisation__region=None)
        .select_related("organisation")
        .order_by("-pk")
    }
    participants = (
        Participant.objects.filter(phase__in=STARTED)
        .select_related("regeling__region", "case_worker", "coach")
        .prefetch_related("measurements")
        .order_by("pk")
    )
    done = {
        "debts": set(Debt.objects.values_list("participant_id", flat=True)),
        "assets": set(Asset.objects.values_list("participant_id", flat=True)),
        "facts": set(IntegrationRecord.objects.values_list("participant_id", flat=True)),
        "referrals": set(Referral.objects.values_list("participant_id", flat=True)),
    }
    counts = dict.fromkeys(done, 0)
    for participant in participants:
        start = participant.bijstand_start_on or participant.arrival_on
        user = participant.case_worker or staff.get(participant.regeling.region_id)
        if start is None or start > today or user is None:
            continue
        # One measurement per day: outcome instruments are measured on the same days.
        by_day = {}
        for m in sorted(participant.measurements.all(), key=lambda m: (m.measured_on, m.pk)):
            if m.measured_on > start:
                by_day.setdefault(m.measured_on, m)
        measured = list(by_day.values())
        # One generator per person and part: a part loaded before draws nothing from it.
        rng = {part: random.Random(f"{SEED}-{participant.bsn}-{part}") for part in done}
        total = 0
        if participant.pk not in done["debts"]:
            total = _debts(rng["debts"], participant, start, measured, user)
            counts["debts"] += total > 0
        if participant.pk not in done["assets"]:
            counts["assets"] += _assets(rng["assets"], participant, start, user)
        if participant.pk not in done["facts"]:
            counts["facts"] += _facts(rng["facts"], participant, start, measured, today, user)
        if participant.pk not in done["referrals"]:
            counts["referrals"] += _referrals(
                rng["referrals"], participant, start, total, today, user
            )
    stdout.write(
        f"Inventarisatie: {counts['debts']} deelnemers met schulden, {counts['assets']} met "
        f"vermogen, {counts['facts']} met duaal traject, {counts['referrals']} verwezen."
    )


def _debts(rng, participant, start, measured, user) -> int:
    """The debts at the intake and again at each later measurement; the total at the start."""
    total = 0
    for kind, creditor, chance, low, high in DEBTS:
        if rng.random() >= chance:
            continue
        cents = rng.randint(low, high) * 100
        debt = Debt.objects.create(
            participant=participant, kind=kind, creditor_name=creditor, recorded_by=user
        )
        DebtAmount.objects.create(debt=debt, amount_cents=cents, known_on=start, recorded_by=user)
        total += cents
        for measurement in measured:
            cents = max(0, cents - rng.choice([0, 5, 10, 20, 30]) * cents // 100)
            DebtAmount.objects.create(
                debt=debt,
                amount_cents=cents,
                known_on=measurement.measured_on,
                measurement=measurement,
                recorded_by=user,
            )
    return total


def _assets(rng, participant, start, user) -> int:
    values = []
    if rng.random() < 0.4:
        values.append((AssetKind.BANK_BALANCE, "", rng.randint(20, 900)))
    if rng.random() < 0.15:
        values.append((AssetKind.IND_COMPENSATION, "dwangsom IND", rng.randint(2000, 12000)))
    for kind, description, euros in values:
        asset = Asset.objects.create(
            participant=participant, kind=kind, description=description, recorded_by=user
        )
        AssetValue.objects.create(
            asset=asset, amount_cents=euros * 100, valued_on=start, recorded_by=user
        )
    return bool(values)


def _facts(rng, participant, start, measured, today, user) -> int:
    if participant.regeling.region.slug != "dongemond" and rng.random() < 0.5:
        return 0
    route = rng.choices(list(IntegrationRoute.values), weights=[6, 2, 2])[0]
    pip_on = min(max(start + timedelta(days=rng.randint(15, 60)), PIP_SINCE), today)
    level = rng.randint(0, 2)
    IntegrationRecord.objects.create(
        participant=participant,
        recorded_on=start,
        route=route,
        language_level=LEVELS[level],
        recorded_by=user,
    )
    IntegrationRecord.objects.create(
        participant=participant, recorded_on=pip_on, pip_on=pip_on, recorded_by=user
    )
    if measured:
        IntegrationRecord.objects.create(
            participant=participant,
            recorded_on=measured[-1].measured_on,
            language_level=LEVELS[min(level + rng.randint(0, 2), len(LEVELS) - 1)],
            recorded_by=user,
        )
    return 1


def _referrals(rng, participant, start, debt_cents, today, user) -> int:
    # Both draws always, so a rerun (with the debts already there) draws the same.
    for_debts, for_wijkteam = rng.random(), rng.random()
    todo = []
    if debt_cents > 2_500_00 and for_debts < 0.5:
        todo.append((ReferralOrganisation.DEBT_COUNSELLING, "Schulden te hoog om zelf te regelen"))
    if for_wijkteam < 0.08:
        todo.append((ReferralOrganisation.WIJKTEAM, "Vragen over opvoeding en de buurt"))
    for kind, reason in todo:
        referred_on = min(start + timedelta(days=rng.randint(20, 90)), today)
        status = rng.choice(
            [ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.CLOSED]
        )
        status_on = referred_on
        if status != ReferralStatus.REFERRED:
            status_on = min(referred_on + timedelta(days=rng.randint(7, 60)), today)
        Referral.objects.create(
            participant=participant,
            kind=kind,
            referred_on=referred_on,
            reason=reason,
            status=status,
            status_on=status_on,
            recorded_by=user,
            organisation=user.organisation,
        )
    return bool(todo)
