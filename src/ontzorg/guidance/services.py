"""Business actions on guidance: contacts, activities and their sessions, enrolment,
attendance and practical conditions; and the guidance-hours totals a user may see.

Who may record: roles with the right `records_guidance` (klantmanager, budgetcoach), only for
participants in their scope, so a partner organisation's coach records for the
participants assigned to that organisation and no one else."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.accounts.constants import Scope
from ontzorg.accounts.models import Organisation
from ontzorg.audit import services as audit
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Regeling, Training

from .models import (
    MAX_MINUTES,
    Activity,
    Attendance,
    Contact,
    Enrollment,
    PracticalCondition,
    Session,
)
from .querysets import with_guidance_minutes


def may_record(user) -> bool:
    return user.is_superuser or user.has_right("records_guidance")


def _require_record(user):
    if not may_record(user):
        raise PermissionDenied(_("Uw rol mag geen begeleiding vastleggen."))


def _visible_participant(user, participant) -> Participant:
    """The participant if in the user's scope; Participant.DoesNotExist (404) otherwise."""
    return Participant.objects.visible_to(user).get(pk=participant.pk)


def _check_minutes(minutes: int):
    if not 0 < minutes <= MAX_MINUTES:
        raise Refused(_("De duur ligt tussen 1 en %(max)s minuten.") % {"max": MAX_MINUTES})


def regelingen_for(user):
    """The regelingen for which `user` may plan activities."""
    if user.is_superuser or (user.role and user.role.scope == Scope.ALL):
        return Regeling.objects.all()
    if user.organisation and user.organisation.region_id:
        return Regeling.objects.filter(region_id=user.organisation.region_id)
    return Regeling.objects.none()


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
    request=None,
) -> Contact:
    _require_record(user)
    participant = _visible_participant(user, participant)
    _check_minutes(duration_minutes)
    if occurred_on > timezone.localdate():
        raise Refused(_("Een contact kan niet in de toekomst liggen."))
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
    audit.record_change(
        user,
        contact,
        {},
        participant=participant,
        summary=f"contact vastgelegd: {contact.get_kind_display()}, {duration_minutes} min",
        request=request,
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
    request=None,
) -> Activity:
    _require_record(user)
    if not regelingen_for(user).filter(pk=training.regeling_id).exists():
        raise PermissionDenied(_("Deze training hoort niet bij uw regio."))
    if user.role and user.role.scope == Scope.ORGANISATION:
        # A partner organisation plans activities it runs itself.
        organisation = user.organisation
    if organisation is not None and organisation.region_id not in (
        None,
        training.regeling.region_id,
    ):
        raise Refused(_("Deze organisatie werkt niet in de regio van de training."))
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
    audit.record_change(
        user, activity, {}, summary=f"activiteit gepland: {activity}", request=request
    )
    return activity


def _visible_activity(user, activity) -> Activity:
    return Activity.objects.visible_to(user).get(pk=activity.pk)


@transaction.atomic
def add_session(
    user, activity, *, held_on: date, duration_minutes: int, topic: str = "", request=None
) -> Session:
    _require_record(user)
    activity = _visible_activity(user, activity)
    _check_minutes(duration_minutes)
    session = Session(
        activity=activity, held_on=held_on, duration_minutes=duration_minutes, topic=topic.strip()
    )
    session.full_clean()
    session.save()
    audit.record_change(
        user, session, {}, summary=f"bijeenkomst gepland: {session}", request=request
    )
    return session


@transaction.atomic
def enroll(user, activity, participant, *, enrolled_on: date | None = None, request=None):
    _require_record(user)
    activity = _visible_activity(user, activity)
    participant = _visible_participant(user, participant)
    if participant.regeling_id != activity.regeling_id:
        raise Refused(_("De deelnemer valt onder een andere regeling dan deze activiteit."))
    enrollment, created = Enrollment.objects.get_or_create(
        activity=activity,
        participant=participant,
        defaults={"enrolled_on": enrolled_on or timezone.localdate()},
    )
    if created:
        audit.record_change(
            user,
            enrollment,
            {},
            participant=participant,
            summary=f"aangemeld voor {activity}",
            request=request,
        )
    return enrollment


@transaction.atomic
def record_attendance(user, session, present: dict[int, bool], *, request=None) -> int:
    """Set attendance for enrolled participants the user sees (participant id -> present).
    Returns how many rows changed; unchanged ones write no audit entry."""
    _require_record(user)
    session = Session.objects.select_related("activity").get(
        pk=session.pk, activity__in=Activity.objects.visible_to(user)
    )
    if session.held_on > timezone.localdate():
        raise Refused(_("Aanwezigheid kan pas op of na de dag van de bijeenkomst."))
    allowed = {
        p.pk: p
        for p in Participant.objects.visible_to(user).filter(
            enrollments__activity=session.activity_id, pk__in=list(present)
        )
    }
    unknown = set(present) - set(allowed)
    if unknown:
        raise Refused(_("Niet elke deelnemer is aangemeld voor deze activiteit."))
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
        audit.record_change(
            user,
            row,
            before,
            participant=allowed[participant_id],
            summary=f"{'aanwezig' if attended else 'afwezig'}: {session}",
            request=request,
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
    request=None,
) -> PracticalCondition:
    _require_record(user)
    participant = _visible_participant(user, participant)
    if cost_cents < 0:
        raise Refused(_("Kosten kunnen niet negatief zijn."))
    if activity is not None:
        activity = _visible_activity(user, activity)
        if not activity.enrollments.filter(participant=participant).exists():
            raise Refused(_("De deelnemer is niet aangemeld voor deze activiteit."))
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
    audit.record_change(
        user,
        condition,
        {},
        participant=participant,
        summary=f"voorziening vastgelegd: {condition.get_kind_display()}",
        request=request,
    )
    return condition


def hours_per_participant(user):
    """The participants `user` sees, annotated with their guidance minutes."""
    return with_guidance_minutes(Participant.objects.visible_to(user))


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
