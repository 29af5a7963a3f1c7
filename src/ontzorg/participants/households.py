"""Households after intake: a partner, children and housemates who come and go, and moves.

Public interface (each action takes the acting user, checks ``edits_participants`` and the
user's scope through ``core.access``, works in one transaction and writes its audit event)::

    add_member(user, participant, *, kind, first_name, date_of_birth, starts_on,
               is_student=False, income_cents=0) -> HouseholdMember
    change_member(user, member, *, on, **changes) -> HouseholdMember   # the row valid from `on`
    end_member(user, member, *, on) -> HouseholdMember                 # `on`: first day away
    change_address(user, participant, *, moves_on, street, house_number, postcode, city,
                   municipality) -> HouseholdMove
    first_changeable_day(household, today=None) -> date | None
    members_on(household, day) -> list[HouseholdMember]

Design:

- **Membership is dated.** A ``HouseholdMember`` lives in the home from ``starts_on`` up to
  and including ``ends_on`` (empty ``starts_on``: already there at the intake). The norm of
  any day follows from the members living there that day (``plans.reading.norm_for``): a
  partner makes it the couple's norm, a housemate who counts as kostendeler the
  kostendelersnorm, a partner or applicant under 21 the jongerennorm.
- **A change applies from a date.** Facts that can change the norm (birth date, student,
  own income) are never overwritten for the months before the change: the old row ends the
  day before and a new row, linked by ``replaces``, starts on that date. A first name is a
  correction and is changed in place.
- **Past months are never recomputed silently.** Once any participant of the household has
  a plan, months before the current one have been computed (and maybe paid and booked). A
  change dated before the first day of the current month is refused with a clear message,
  so past months keep exactly the facts, norm and booked amounts they had. Before the first
  plan nothing has been computed, and any date is accepted (the household as found at
  intake).
- **A move is one dated record.** The whole household moves: the ``Household`` row gets the
  new address (its members and partners come along, so the norm history stays whole) and a
  ``HouseholdMove`` keeps the old address and the day of the move. The norm does not depend
  on the address. Whoever does not move along is ended with ``end_member``. A new
  municipality must belong to the region of the participant's regeling; moving out of the
  region ends ontzorgen, which is a decision, not a move. A move is recorded on or after the
  day itself, never ahead.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access, dates
from ontzorg.exceptions import Refused
from ontzorg.payments import sepa
from ontzorg.regelingen.models import Municipality

from . import events
from .constants import HouseholdRole, MemberKind, Phase
from .models import Household, HouseholdMember, HouseholdMove, Participant

# Facts of a member that may be changed; all but the first name are dated.
CHANGEABLE = ("first_name", "date_of_birth", "is_student", "income_cents")
CORRECTIONS = ("first_name",)
WITH_INCOME = (MemberKind.PARTNER, MemberKind.HOUSEMATE)


def _today() -> date:
    return timezone.localdate()


def _dutch(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else ""


def first_changeable_day(household: Household, today: date | None = None) -> date | None:
    """The earliest date a household change may take effect: the first day of the current
    month once a month of the household has been computed (any participant has a plan);
    None (any date) before that."""
    computed = Participant.objects.filter(household=household, plans__isnull=False).exists()
    return dates.month_start(today or _today()) if computed else None


def members_on(household: Household, day: date) -> list[HouseholdMember]:
    """The partner (not taking part), children and housemates living there on `day`."""
    return list(household.members.living_there_on(day).order_by("date_of_birth", "pk"))


def _check_from(household: Household, on: date | None, *, what: str) -> None:
    first = first_changeable_day(household)
    if first is None:
        return
    if on is None or on < first:
        raise Refused(
            _(
                "%(what)s can take effect on %(first)s or later. The months before "
                "have been calculated already and stay as they are."
            )
            % {"what": what, "first": _dutch(first)}
        )


def _check_birth(date_of_birth: date) -> None:
    if date_of_birth > _today():
        raise Refused(_("The date of birth is in the future."))


def _check_income(kind: str, income_cents: int) -> None:
    if income_cents < 0:
        raise Refused(_("An income cannot be negative."))
    if income_cents and kind not in WITH_INCOME:
        raise Refused(_("Fill in an own income only for a partner or housemate."))


def _overlaps(member: HouseholdMember, starts_on: date | None, ends_on: date | None) -> bool:
    starts_before_end = ends_on is None or member.starts_on is None or member.starts_on <= ends_on
    ends_after_start = starts_on is None or member.ends_on is None or member.ends_on >= starts_on
    return starts_before_end and ends_after_start


def _check_one_partner(
    household: Household, starts_on: date | None, *, ignore: HouseholdMember | None = None
) -> None:
    if household.participants.filter(household_role=HouseholdRole.PARTNER).exists():
        raise Refused(_("The partner in this household takes part as a participant."))
    others = household.members.filter(kind=MemberKind.PARTNER)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    if any(_overlaps(other, starts_on, None) for other in others):
        raise Refused(
            _("A partner already lives in this household. End that one first, with a date.")
        )


def _locked_participant(user, participant) -> Participant:
    return access.get_or_refuse(
        Participant.objects.select_for_update().select_related("household", "regeling"),
        user,
        pk=participant.pk,
    )


def _locked_member(user, member) -> HouseholdMember:
    visible = access.get_or_refuse(HouseholdMember, user, pk=member.pk)
    return (
        HouseholdMember.objects.select_for_update().select_related("household").get(pk=visible.pk)
    )


def _created(obj) -> dict:
    return {name: [None, value] for name, value in audit.snapshot(obj).items()}


@transaction.atomic
def add_member(
    user,
    participant,
    *,
    kind: str,
    first_name: str,
    date_of_birth: date,
    starts_on: date | None,
    is_student: bool = False,
    income_cents: int = 0,
) -> HouseholdMember:
    """A partner (who does not take part), child or housemate comes to live in the
    participant's home from `starts_on` (None: was already there at intake, only before
    the first plan)."""
    access.require(user, "edits_participants")
    participant = _locked_participant(user, participant)
    household = participant.household
    if kind not in MemberKind.values:
        raise Refused(_("Choose partner, child or housemate."))
    _check_from(household, starts_on, what=_("A new household member"))
    _check_birth(date_of_birth)
    _check_income(kind, income_cents)
    if starts_on is not None and starts_on < date_of_birth:
        raise Refused(_("The start date is before the date of birth."))
    if kind == MemberKind.PARTNER:
        _check_one_partner(household, starts_on)
    member = HouseholdMember(
        household=household,
        kind=kind,
        first_name=(first_name or "").strip(),
        date_of_birth=date_of_birth,
        is_student=is_student,
        income_cents=income_cents,
        starts_on=starts_on,
    )
    member.full_clean()
    member.save()
    audit.record(
        user,
        events.MEMBER_ADDED,
        member,
        participant=participant,
        changes=_created(member),
        kind=str(member.get_kind_display()),
        name=member.first_name,
        on=_dutch(starts_on) or _("the intake"),
    )
    return member


# Copied from the applicant to a partner who takes part: one home, one trajectory.
SHARED_WITH_PARTNER = (
    "regeling",
    "country_of_origin",
    "languages",
    "arrival_on",
    "bijstand_start_on",
    "lease_signed_on",
    "case_worker",
    "guidance_organisation",
    "coach",
)


@transaction.atomic
def add_partner_participant(
    user,
    participant,
    *,
    first_name: str,
    last_name: str,
    bsn: str,
    date_of_birth: date,
    gender: str,
) -> Participant:
    """The applicant's partner takes part too (a regeling where both partners do): an intake
    of the partner into the same household, with the applicant's regeling, dates and
    guidance. The partner's phase then follows the applicant's (`lifecycle`)."""
    from . import lifecycle

    access.require(user, "edits_participants")
    applicant = _locked_participant(user, participant)
    household = applicant.household
    if not applicant.regeling.both_partners:
        raise Refused(_("In this regeling only the applicant takes part."))
    _check_one_partner(household, None)
    _check_birth(date_of_birth)
    partner = Participant(
        household=household,
        household_role=HouseholdRole.PARTNER,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        bsn=bsn,
        date_of_birth=date_of_birth,
        gender=gender,
        **{name: getattr(applicant, name) for name in SHARED_WITH_PARTNER},
    )
    # As at the intake: a Latin name is the name the bank knows; another script waits for
    # back office to set it (four eyes), with the IBAN.
    partner.account_holder_name = sepa.latin_form(partner.full_name) or ""
    try:
        partner.full_clean()
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    partner.save()
    audit.record(
        user, events.INTAKE_RECORDED, partner, participant=partner, changes=_created(partner)
    )
    lifecycle.after_intake(partner, on=timezone.localdate(), user=user)
    # A partner who joins an applicant already further on catches up with the applicant.
    partner.refresh_from_db(fields=["phase"])
    if partner.phase == Phase.INTAKE and applicant.phase in lifecycle.PAYABLE_PHASES:
        for phase in lifecycle.route(partner.phase, applicant.phase):
            lifecycle.move(
                partner, phase, on=timezone.localdate(), reason=_("partner takes part"), user=user
            )
    return partner


@transaction.atomic
def change_member(user, member, *, on: date, **changes) -> HouseholdMember:
    """Change a member's facts from `on`. A first name is corrected everywhere; other facts
    keep their old value for the days before `on` (a new row from `on`). Returns the row
    that holds the facts from `on`."""
    access.require(user, "edits_participants")
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    member = _locked_member(user, member)
    household = member.household
    if HouseholdMember.objects.filter(replaces=member).exists():
        raise Refused(_("This household member has newer details already; change those."))
    if member.ends_on is not None and member.ends_on < on:
        raise Refused(_("On this date this household member no longer lives there."))
    if "first_name" in changes:
        changes["first_name"] = (changes["first_name"] or "").strip()
    changes = {name: value for name, value in changes.items() if getattr(member, name) != value}
    if not changes:
        raise Refused(_("Nothing has changed."))
    dated = [name for name in changes if name not in CORRECTIONS]
    if dated:
        _check_from(household, on, what=_("A change"))
    if "date_of_birth" in changes:
        _check_birth(changes["date_of_birth"])
    _check_income(member.kind, changes.get("income_cents", member.income_cents))
    before = audit.snapshot(member, list(changes))

    for name in CORRECTIONS:
        if name in changes:
            setattr(member, name, changes[name])
    if dated and member.starts_on is not None and member.starts_on >= on:
        # Nothing before `on` was ever computed with this row: change it in place.
        for name in dated:
            setattr(member, name, changes[name])
    if dated and (member.starts_on is None or member.starts_on < on):
        current = HouseholdMember(
            household=household,
            kind=member.kind,
            first_name=member.first_name,
            date_of_birth=member.date_of_birth,
            is_student=member.is_student,
            income_cents=member.income_cents,
            starts_on=on,
            ends_on=member.ends_on,
            replaces=member,
        )
        for name in dated:
            setattr(current, name, changes[name])
        member.ends_on = on - timedelta(days=1)
        member.full_clean()
        member.save()
        current.full_clean()
        current.save()
    else:
        member.full_clean()
        member.save()
        current = member
    audit.record(
        user,
        events.MEMBER_CHANGED,
        current,
        participant=current.participant,
        changes=audit.diff(before, audit.snapshot(current, list(changes))),
        name=current.first_name,
        on=_dutch(on) if dated else _("always (correction)"),
    )
    return current


@transaction.atomic
def end_member(user, member, *, on: date) -> HouseholdMember:
    """The member no longer lives in the home from `on` (the first day away); the last day
    there, `ends_on`, is the day before."""
    access.require(user, "edits_participants")
    member = _locked_member(user, member)
    if member.ends_on is not None:
        raise Refused(
            _("This household member has not lived here since %(day)s.")
            % {"day": _dutch(member.ends_on + timedelta(days=1))}
        )
    _check_from(member.household, on, what=_("A departure"))
    if member.starts_on is not None and on <= member.starts_on:
        raise Refused(
            _("The departure date must be after the start date (%(day)s).")
            % {"day": _dutch(member.starts_on)}
        )
    before = audit.snapshot(member, ["ends_on"])
    member.ends_on = on - timedelta(days=1)
    member.full_clean()
    member.save(update_fields=["ends_on"])
    audit.record(
        user,
        events.MEMBER_ENDED,
        member,
        participant=member.participant,
        changes=audit.diff(before, audit.snapshot(member, ["ends_on"])),
        name=member.first_name,
        on=_dutch(on),
    )
    return member


def municipalities_for_move(participant: Participant):
    """The municipalities a participant's household may move to: those of the region of
    the regeling."""
    return Municipality.objects.filter(region_id=participant.regeling.region_id)


@transaction.atomic
def change_address(
    user,
    participant,
    *,
    moves_on: date,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    municipality: Municipality,
) -> HouseholdMove:
    """The participant's household moves to a new address on `moves_on` (everyone in it
    moves along; see the module docstring)."""
    access.require(user, "edits_participants")
    participant = _locked_participant(user, participant)
    household = Household.objects.select_for_update().get(pk=participant.household_id)
    if moves_on > _today():
        raise Refused(_("Record a move on or after the moving day, not in advance."))
    _check_from(household, moves_on, what=_("A move"))
    last = household.moves.order_by("-moves_on").first()
    if last is not None and moves_on <= last.moves_on:
        raise Refused(
            _("A move has already been recorded on %(day)s. Choose a later date.")
            % {"day": _dutch(last.moves_on)}
        )
    if not municipalities_for_move(participant).filter(pk=municipality.pk).exists():
        raise Refused(
            _(
                "This municipality is not part of the region of the regeling. A move "
                "out of the region ends ontzorgen: record that as a decision."
            )
        )
    fields = ["street", "house_number", "postcode", "city", "municipality"]
    before = audit.snapshot(household, fields)
    old_address, old_municipality = household.address, household.municipality
    household.street = (street or "").strip()
    household.house_number = (house_number or "").strip()
    household.postcode = (postcode or "").strip().upper()
    household.city = (city or "").strip()
    household.municipality = municipality
    diff = audit.diff(before, audit.snapshot(household, fields))
    if not diff:
        raise Refused(_("The new address is the same as the current one."))
    household.full_clean()
    household.save()
    move = HouseholdMove.objects.create(
        household=household,
        moves_on=moves_on,
        from_address=old_address,
        from_municipality=old_municipality,
        to_address=household.address,
        to_municipality=municipality,
        recorded_by=user,
    )
    audit.record(
        user,
        events.ADDRESS_CHANGED,
        move,
        participant=participant,
        changes={**diff, "verhuisd op": [None, moves_on.isoformat()]},
        address=household.address,
        on=_dutch(moves_on),
    )
    return move
