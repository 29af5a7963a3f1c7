"""Business actions of the intake inventory: record a debt or an asset with its first amount,
record the amounts again on a later day (at a measurement, say), and record the
duaal-traject facts. Each adds rows, none changes one: the history is the point.

Who may record: debts and duaal-traject facts, whoever edits participants (the case worker)
or records guidance and measurements (the case worker and the budget coach, who updates the
debts at a measurement), for the participants in their scope; assets only the case worker,
who also sees the bank details (an asset is seen only with `sees_bank`)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.core.money import euro
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.models import Participant

from . import events
from .models import ASSET_RIGHTS, Asset, AssetValue, Debt, DebtAmount, IntegrationRecord

DEBT_RIGHTS = ("edits_participants", "records_guidance")
INTEGRATION_RIGHTS = DEBT_RIGHTS
ASSET_WRITE_RIGHTS = ("edits_participants",)
# The PIP exists since the Wet inburgering 2021 came into force.
PIP_SINCE = date(2022, 1, 1)


def may_record_debts(user) -> bool:
    return access.may(user, *DEBT_RIGHTS)


def may_see_assets(user) -> bool:
    return access.may(user, *ASSET_RIGHTS)


def may_record_assets(user) -> bool:
    return may_see_assets(user) and access.may(user, *ASSET_WRITE_RIGHTS)


def may_record_integration(user) -> bool:
    return access.may(user, *INTEGRATION_RIGHTS)


def _created(obj) -> dict:
    return {name: [None, value] for name, value in audit.snapshot(obj).items()}


def _participant(user, participant, allowed: bool) -> Participant:
    if not allowed:
        raise PermissionDenied(_("Your role may not record this part of the inventory."))
    return access.get_or_refuse(Participant, user, pk=participant.pk)


def _check_day(participant, day: date) -> None:
    if day > timezone.localdate():
        raise Refused(_("A date in the future cannot be recorded."))
    if day < participant.date_of_birth:
        raise Refused(_("The date lies before the participant's date of birth."))


def _check_amount(cents: int) -> None:
    if cents < 0:
        raise Refused(_("An amount cannot be negative."))


def _dutch(day: date) -> str:
    return date_format(day, "j F Y")


def _add_amount(user, debt, cents: int, known_on: date, measurement=None) -> DebtAmount | None:
    """A new amount of `debt`; None when the same amount is already recorded for that day."""
    _check_amount(cents)
    first = debt.amounts.order_by("known_on").values_list("known_on", flat=True).first()
    if first is not None and known_on < first:
        raise Refused(
            _("%(debt)s is known from %(day)s; an amount before that day cannot be recorded.")
            % {"debt": debt, "day": _dutch(first)}
        )
    latest = debt.amounts.order_by("-known_on", "-pk").first()
    if latest is not None and (latest.known_on, latest.amount_cents) == (known_on, cents):
        return None
    row = DebtAmount(
        debt=debt, amount_cents=cents, known_on=known_on, measurement=measurement, recorded_by=user
    )
    row.full_clean()
    row.save()
    audit.record(
        user,
        events.DEBT_AMOUNT_RECORDED,
        row,
        participant=debt.participant,
        changes=_created(row),
        debt=str(debt),
        amount=euro(cents),
    )
    return row


def _add_value(user, asset, cents: int, valued_on: date) -> AssetValue | None:
    _check_amount(cents)
    first = asset.values.order_by("valued_on").values_list("valued_on", flat=True).first()
    if first is not None and valued_on < first:
        raise Refused(
            _("%(asset)s is known from %(day)s; a value before that day cannot be recorded.")
            % {"asset": asset, "day": _dutch(first)}
        )
    latest = asset.values.order_by("-valued_on", "-pk").first()
    if latest is not None and (latest.valued_on, latest.amount_cents) == (valued_on, cents):
        return None
    row = AssetValue(asset=asset, amount_cents=cents, valued_on=valued_on, recorded_by=user)
    row.full_clean()
    row.save()
    audit.record(
        user,
        events.ASSET_VALUE_RECORDED,
        row,
        participant=asset.participant,
        changes=_created(row),
        asset=str(asset),
        amount=euro(cents),
    )
    return row


@transaction.atomic
def record_debt(
    user,
    participant,
    *,
    kind: str,
    amount_cents: int,
    known_on: date,
    creditor_name: str = "",
    note: str = "",
) -> Debt:
    """A debt at one creditor with its amount on `known_on` (at the intake, or found later)."""
    participant = _participant(user, participant, may_record_debts(user))
    _check_day(participant, known_on)
    _check_amount(amount_cents)
    debt = Debt(
        participant=participant,
        kind=kind,
        creditor_name=(creditor_name or "").strip(),
        note=(note or "").strip(),
        recorded_by=user,
    )
    debt.full_clean()
    debt.save()
    audit.record(
        user,
        events.DEBT_RECORDED,
        debt,
        participant=participant,
        changes=_created(debt),
        debt=str(debt),
        amount=euro(amount_cents),
    )
    _add_amount(user, debt, amount_cents, known_on)
    return debt


@transaction.atomic
def record_asset(
    user,
    participant,
    *,
    kind: str,
    amount_cents: int,
    valued_on: date,
    description: str = "",
) -> Asset:
    participant = _participant(user, participant, may_record_assets(user))
    _check_day(participant, valued_on)
    _check_amount(amount_cents)
    asset = Asset(
        participant=participant,
        kind=kind,
        description=(description or "").strip(),
        recorded_by=user,
    )
    asset.full_clean()
    asset.save()
    audit.record(
        user,
        events.ASSET_RECORDED,
        asset,
        participant=participant,
        changes=_created(asset),
        asset=str(asset),
        amount=euro(amount_cents),
    )
    _add_value(user, asset, amount_cents, valued_on)
    return asset


@transaction.atomic
def update_amounts(
    user,
    participant,
    *,
    on: date,
    debts: dict[int, int],
    assets: dict[int, int] | None = None,
    measurement=None,
) -> int:
    """Record the amounts of the participant's debts (and assets) as they are on `on`: per
    debt or asset id the amount in cents. With a measurement the day is the measurement's.
    Returns how many rows were added (an amount already recorded for that day is not)."""
    participant = _participant(user, participant, may_record_debts(user))
    assets = assets or {}
    if assets and not may_record_assets(user):
        raise PermissionDenied(_("Your role may not record assets."))
    if measurement is not None:
        if measurement.participant_id != participant.pk:
            raise Refused(_("This measurement is not the participant's."))
        on = measurement.measured_on
    _check_day(participant, on)
    own_debts = Debt.objects.filter(participant=participant).in_bulk(list(debts))
    own_assets = Asset.objects.filter(participant=participant).in_bulk(list(assets))
    if len(own_debts) != len(debts) or len(own_assets) != len(assets):
        raise Refused(_("Not every debt or asset is the participant's."))
    added = 0
    for pk, cents in debts.items():
        added += _add_amount(user, own_debts[pk], cents, on, measurement) is not None
    for pk, cents in assets.items():
        added += _add_value(user, own_assets[pk], cents, on) is not None
    return added


@transaction.atomic
def record_integration(
    user,
    participant,
    *,
    recorded_on: date,
    route: str = "",
    pip_on: date | None = None,
    language_level: str = "",
) -> IntegrationRecord:
    """The duaal-traject facts as they are on `recorded_on`; an empty one says nothing new."""
    participant = _participant(user, participant, may_record_integration(user))
    _check_day(participant, recorded_on)
    if not (route or pip_on or language_level):
        raise Refused(_("Fill in the route, the PIP date or the language level."))
    if pip_on is not None:
        if pip_on > timezone.localdate():
            raise Refused(_("The PIP date cannot be in the future."))
        if pip_on < PIP_SINCE:
            raise Refused(
                _("A PIP exists since %(day)s (Wet inburgering 2021).") % {"day": _dutch(PIP_SINCE)}
            )
    record = IntegrationRecord(
        participant=participant,
        recorded_on=recorded_on,
        route=route or "",
        pip_on=pip_on,
        language_level=language_level or "",
        recorded_by=user,
    )
    record.full_clean()
    record.save()
    audit.record(
        user,
        events.INTEGRATION_RECORDED,
        record,
        participant=participant,
        changes=_created(record),
        day=_dutch(recorded_on),
    )
    return record
