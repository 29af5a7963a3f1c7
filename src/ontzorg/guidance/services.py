"""Business actions on guidance: contacts, activities and their sessions, enrolment,
attendance and practical conditions; and the guidance-hours totals a user may see.

Who may record: roles with the right `records_guidance` (klantmanager, budgetcoach), only for
participants in their scope, so a partner organisation's coach records for the
participants assigned to that organisation and no one else. Referrals to regular services
follow the same rule: the coach who guides the participant refers, as does the case worker."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.accounts.constants import Scope
from ontzorg.accounts.models import Organisation
from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Regeling, Training

from . import events
from .constants import ReferralOrganisation, ReferralStatus
from .models import (
    MAX_MINUTES,
    Activity,
    Attendance,
    Contact,
    Enrollment,
    PracticalCondition,
    Referral,
    Session,
)
from .querysets import with_guidance_minutes

# The right to record guidance: contacts, activities, attendance, conditions.
RECORDS = "records_guidance"


def may_record(user) -> bool:
    return access.may(user, RECORDS)


def _require_record(user):
    if not may_record(user):
        raise PermissionDenied(_("Your role may not record guidance."))


def _created(obj) -> dict:
    return {name: [None, value] for name, value in audit.snapshot(obj).items()}


def _visible_activity(user, activity) -> Activity:
    return access.visible(user, activity)


def _check_minutes(minutes: int):
    if not 0 < minutes <= MAX_MINUTES:
        raise Refused(_("The duration is between 1 and %(max)s minutes.") % {"max": MAX_MINUTES})


def regelingen_for(user):
    """The regelingen for which `user` may plan activities: those of the user's regions (a
    partner organisation plans in the region it works in)."""
    regions = access.region_ids(user)
    regelingen = Regeling.objects.all()
    return regelingen if regions is None else regelingen.filter(region_id__in=regions)


@transaction.atomic
def record_contact(
    user,
    participant,
    *,
    kind: str,
    occurred_on: date,
    duration_minutes: int,
    with_interpreter: bool = False,
    notes: str = "",
) -> Contact:
    _require_record(user)
    participant = access.get_or_refuse(Participant, user, pk=participant.pk)
    _check_minutes(duration_minutes)
    if occurred_on > timezone.localdate():
        raise Refused(_("A contact cannot be in the future."))
    contact = Contact(
        participant=participant,
        kind=kind,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        with_interpreter=with_interpreter,
        recorded_by=user,
        organisation=user.organisation,
        notes=(notes or "").strip(),
    )
    contact.full_clean()
    contact.save()
    audit.record(
        user,
        events.CONTACT_RECORDED,
        contact,
        participant=participant,
        changes=_created(contact),
        kind=str(contact.get_kind_display()),
        minutes=duration_minutes,
    )
    return contact


@transaction.atomic
def plan_activity(
    user,
    *,
    training: Training,
    name: str = "",
    level_group: str,
    organisation: Organisation | None = None,
    location: str = "",
) -> Activity:
    _require_record(user)
    if not regelingen_for(user).filter(pk=training.regeling_id).exists():
        raise PermissionDenied(_("This training does not belong to your region."))
    if access.scope_of(user) == Scope.ORGANISATION:
        # A partner organisation plans activities it runs itself.
        organisation = user.organisation
    if organisation is not None and organisation.region_id not in (
        None,
        training.regeling.region_id,
    ):
        raise Refused(_("This organisation does not work in the training's region."))
    activity = Activity(
        regeling=training.regeling,
        training=training,
        name=(name or "").strip() or training.name,
        level_group=level_group,
        organisation=organisation,
        location=(location or "").strip(),
        created_by=user,
    )
    activity.full_clean()
    activity.save()
    audit.record(
        user,
        events.ACTIVITY_PLANNED,
        activity,
        changes=_created(activity),
        activity=str(activity),
    )
    return activity


@transaction.atomic
def add_session(
    user, activity, *, held_on: date, duration_minutes: int, topic: str = ""
) -> Session:
    _require_record(user)
    activity = _visible_activity(user, activity)
    _check_minutes(duration_minutes)
    session = Session(
        activity=activity, held_on=held_on, duration_minutes=duration_minutes, topic=topic.strip()
    )
    session.full_clean()
    session.save()
    audit.record(
        user,
        events.SESSION_PLANNED,
        session,
        changes=_created(session),
        session=str(session),
    )
    return session


@transaction.atomic
def enroll(user, activity, participant, *, enrolled_on: date | None = None):
    _require_record(user)
    activity = _visible_activity(user, activity)
    participant = access.get_or_refuse(Participant, user, pk=participant.pk)
    if participant.regeling_id != activity.regeling_id:
        raise Refused(_("The participant falls under a different regeling than this activity."))
    enrollment, created = Enrollment.objects.get_or_create(
        activity=activity,
        participant=participant,
        defaults={"enrolled_on": enrolled_on or timezone.localdate()},
    )
    if created:
        audit.record(
            user,
            events.ENROLLED,
            enrollment,
            participant=participant,
            changes=_created(enrollment),
            activity=str(activity),
        )
    return enrollment


@transaction.atomic
def record_attendance(user, session, present: dict[int, bool]) -> int:
    """Set attendance for enrolled participants the user sees (participant id -> present).
    Returns how many rows changed; unchanged ones write no audit entry."""
    _require_record(user)
    activity = _visible_activity(user, session.activity)
    session = Session.objects.select_related("activity").get(pk=session.pk, activity=activity)
    if session.held_on > timezone.localdate():
        raise Refused(_("Attendance can only be recorded on or after the day of the session."))
    allowed = {
        p.pk: p
        for p in access.restrict(Participant, user).filter(
            enrollments__activity=session.activity_id, pk__in=list(present)
        )
    }
    unknown = set(present) - set(allowed)
    if unknown:
        raise Refused(_("Not every participant is enrolled in this activity."))
    changed = 0
    existing = {
        a.participant_id: a for a in session.attendances.filter(participant__in=list(allowed))
    }
    for participant_id, attended in present.items():
        row = existing.get(participant_id)
        if row is not None and row.attended == attended:
            continue
        before = audit.snapshot(row, ["attended"]) if row else {}
        if row is None:
            row = Attendance(
                session=session, participant_id=participant_id, attended=attended, recorded_by=user
            )
        row.attended, row.recorded_by = attended, user
        row.save()
        changes = audit.diff(before, audit.snapshot(row, ["attended"])) if before else None
        audit.record(
            user,
            events.ATTENDANCE_CHANGED if before else events.ATTENDANCE_RECORDED,
            row,
            participant=allowed[participant_id],
            changes=changes or _created(row),
            presence="aanwezig" if attended else "afwezig",
            session=str(session),
        )
        changed += 1
    return changed


@transaction.atomic
def record_condition(
    user,
    participant,
    *,
    kind: str,
    provided_on: date,
    cost_cents: int,
    description: str = "",
    activity=None,
) -> PracticalCondition:
    _require_record(user)
    participant = access.get_or_refuse(Participant, user, pk=participant.pk)
    if cost_cents < 0:
        raise Refused(_("Costs cannot be negative."))
    if activity is not None:
        activity = _visible_activity(user, activity)
        if not activity.enrollments.filter(participant=participant).exists():
            raise Refused(_("The participant is not enrolled in this activity."))
    condition = PracticalCondition(
        participant=participant,
        activity=activity,
        kind=kind,
        description=(description or "").strip(),
        provided_on=provided_on,
        cost_cents=cost_cents,
        recorded_by=user,
    )
    condition.full_clean()
    condition.save()
    audit.record(
        user,
        events.CONDITION_RECORDED,
        condition,
        participant=participant,
        changes=_created(condition),
        kind=str(condition.get_kind_display()),
    )
    return condition


def _check_referral_day(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise Refused(_("The %(what)s cannot be in the future.") % {"what": what})


@transaction.atomic
def record_referral(
    user,
    participant,
    *,
    kind: str,
    referred_on: date,
    reason: str,
    organisation_name: str = "",
    status: str = ReferralStatus.REFERRED,
) -> Referral:
    """A referral of the participant to a regular service, as it stands on `referred_on`."""
    _require_record(user)
    participant = access.get_or_refuse(Participant, user, pk=participant.pk)
    _check_referral_day(referred_on, _("referral date"))
    reason, organisation_name = (reason or "").strip(), (organisation_name or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the referral."))
    if kind == ReferralOrganisation.OTHER and not organisation_name:
        raise Refused(_("Name the organisation the participant is referred to."))
    referral = Referral(
        participant=participant,
        kind=kind,
        organisation_name=organisation_name,
        referred_on=referred_on,
        reason=reason,
        status=status,
        status_on=referred_on,
        recorded_by=user,
        organisation=user.organisation,
    )
    referral.full_clean()
    referral.save()
    audit.record(
        user,
        events.REFERRAL_RECORDED,
        referral,
        participant=participant,
        changes=_created(referral),
        referral=str(referral),
    )
    return referral


@transaction.atomic
def change_referral_status(user, referral, *, status: str, on: date) -> Referral:
    """Where the referral stands now (accepted, closed...), from `on`."""
    _require_record(user)
    referral = access.get_or_refuse(Referral.objects.select_for_update(), user, pk=referral.pk)
    if status not in ReferralStatus.values:
        raise Refused(_("Choose a status."))
    if status == referral.status:
        raise Refused(_("The referral already has this status."))
    _check_referral_day(on, _("date of the status"))
    if on < referral.referred_on:
        raise Refused(_("The status cannot be dated before the referral."))
    before = audit.snapshot(referral, ["status", "status_on"])
    referral.status, referral.status_on = status, on
    referral.save(update_fields=["status", "status_on"])
    audit.record(
        user,
        events.REFERRAL_STATUS_CHANGED,
        referral,
        participant=referral.participant,
        changes=audit.diff(before, audit.snapshot(referral, ["status", "status_on"])),
        referral=str(referral),
        status=str(referral.get_status_display()),
    )
    return referral


def hours_per_participant(user):
    """The participants `user` sees, annotated with their guidance minutes."""
    return with_guidance_minutes(access.restrict(Participant, user))


@dataclass(frozen=True)
class OrganisationHours:
    organisation: Organisation | None
    contact_minutes: int
    session_minutes: int

    @property
    def total_minutes(self) -> int:
        return self.contact_minutes + self.session_minutes


def hours_per_organisation(user) -> list[OrganisationHours]:
    """Minutes delivered per organisation to the participants `user` sees."""
    contacts = {
        row["organisation"]: row["minutes"]
        for row in Contact.objects.visible_to(user).order_by().minutes_per_organisation()
    }
    sessions = {
        row["organisation"]: row["minutes"]
        for row in Attendance.objects.visible_to(user).order_by().minutes_per_organisation()
    }
    keys = set(contacts) | set(sessions)
    organisations = Organisation.objects.in_bulk([k for k in keys if k is not None])
    rows = [
        OrganisationHours(organisations.get(k), contacts.get(k) or 0, sessions.get(k) or 0)
        for k in keys
    ]
    return sorted(rows, key=lambda r: (r.organisation is None, str(r.organisation or "")))


def participant_minutes(participant) -> dict:
    contact = participant.contacts.aggregate(t=Sum("duration_minutes"))["t"] or 0
    session = (
        Attendance.objects.filter(participant=participant)
        .attended()
        .aggregate(t=Sum("session__duration_minutes"))["t"]
        or 0
    )
    return {"contact": contact, "session": session, "total": contact + session}
