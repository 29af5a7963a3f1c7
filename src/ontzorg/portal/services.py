"""The personal page's business: who may log in with a BSN, the portal session, and what the
page shows (month overviews, appointments, measurements, what the participant already does).

Strict separation from staff logins: a participant is never a `accounts.User` and never logged
in with `django.contrib.auth`. The portal keeps its own key in the session (the participant's
id, the login time and the chosen language), with a short life; a request that carries a staff
login is never a participant's. Every login, refusal, logout and page view is audited, with the
participant as the entry's subject, so it shows in their inzage."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.audit.services import record
from ontzorg.core.dates import add_months, month_start
from ontzorg.core.languages import LANGUAGE_CODES
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant

from . import events

SESSION_KEY = "ontzorg_portal"
# Who may see their page: from the start of ontzorgen through nazorg. A candidate has nothing
# to show yet; an ended trajectory (or an anonymised file) shows nothing any more.
PORTAL_PHASES = (Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT, Phase.NAZORG)
# What the audit trail names as the actor of the participant's own actions.
ACTOR_NAME = "deelnemer (DigiD)"
# Months offered in the list of overviews, counted back from the current month.
MAX_MONTHS = 24


class Refusal:
    """Why a DigiD login found nothing to show (stored in the audit entry, never shown)."""

    UNKNOWN = "unknown BSN"
    NOT_IN_TRAJECTORY = "no open trajectory"
    STAFF_SESSION = "staff session"


def _hint(bsn: str) -> str:
    """Enough of a BSN to connect repeated refusals, not enough to name a person."""
    return f"*******{bsn[-2:]}" if bsn else ""


def find_participant(bsn: str) -> tuple[Participant | None, str]:
    """The participant of this BSN who may see their page, or None with the reason."""
    participant = (
        Participant.objects.select_related("regeling", "household").filter(bsn=bsn).first()
        if bsn and bsn.isdigit()
        else None
    )
    if participant is None or getattr(participant, "anonymisation", None) is not None:
        return None, Refusal.UNKNOWN
    if participant.phase not in PORTAL_PHASES:
        return participant, Refusal.NOT_IN_TRAJECTORY
    return participant, ""


def log_in(request, bsn: str) -> Participant | None:
    """Start a portal session for the participant DigiD named, or audit the refusal."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        record(None, events.LOGIN_REFUSED, reason=Refusal.STAFF_SESSION, bsn=_hint(bsn))
        return None
    participant, refusal = find_participant(bsn)
    if refusal:
        known = participant if refusal != Refusal.UNKNOWN else None
        record(
            None,
            events.LOGIN_REFUSED,
            known,
            participant=known,
            actor_name=ACTOR_NAME if known else "",
            reason=refusal,
            bsn=_hint(bsn),
        )
        return None
    # A fresh session key: no session id from before the login lives on into it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "participant": participant.pk,
        "at": timezone.now().isoformat(),
        "language": participant.preferred_language or settings.LANGUAGE_CODE,
    }
    request.session.set_expiry(settings.ONTZORG_PORTAL_SESSION_SECONDS)
    record(None, events.LOGGED_IN, participant, participant=participant, actor_name=ACTOR_NAME)
    return participant


def current(request) -> Participant | None:
    """The participant of this portal session: None without one, when it is too old, when the
    participant may no longer see the page, or when a staff user is logged in."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        started = datetime.fromisoformat(data["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - started > timedelta(seconds=settings.ONTZORG_PORTAL_SESSION_SECONDS):
        request.session.pop(SESSION_KEY, None)
        return None
    participant = (
        Participant.objects.select_related("regeling", "household")
        .filter(pk=data.get("participant"), phase__in=PORTAL_PHASES)
        .first()
    )
    if participant is None or getattr(participant, "anonymisation", None) is not None:
        return None
    return participant


def language(request) -> str:
    data = request.session.get(SESSION_KEY) or {}
    code = data.get("language") if isinstance(data, dict) else None
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def set_language(request, code: str) -> bool:
    data = request.session.get(SESSION_KEY)
    if code not in LANGUAGE_CODES or not isinstance(data, dict):
        return False
    request.session[SESSION_KEY] = {**data, "language": code}
    return True


def log_out(request, participant: Participant | None) -> None:
    if participant is not None:
        record(None, events.LOGGED_OUT, participant, participant=participant, actor_name=ACTOR_NAME)
    # Only the portal's own key: a session is never both (see `current`), but flushing is
    # what a logout promises, so the whole session goes.
    request.session.flush()


def record_view(participant: Participant, what: str) -> None:
    record(
        None,
        events.PAGE_VIEWED,
        participant,
        participant=participant,
        actor_name=ACTOR_NAME,
        what=what,
    )


# --- what the page shows --------------------------------------------------------------------


def months(participant: Participant, today: date | None = None) -> list[date]:
    """The months the participant has an overview for, newest first: from the start of their
    first plan through the current month (at most MAX_MONTHS)."""
    today = today or timezone.localdate()
    first_plan = participant.plans.order_by("start_on").first()
    if first_plan is None:
        return []
    first = month_start(first_plan.start_on)
    current_month = month_start(today)
    found, month = [], current_month
    while month >= first and len(found) < MAX_MONTHS:
        found.append(month)
        month = add_months(month, -1)
    return found


def overview(participant: Participant, month: date):
    """The month overview of the letters app (the same the letter and the PDF show), or None
    while that app is not installed."""
    try:
        from ontzorg.letters.overview import month_overview
    except ImportError:
        return None
    return month_overview(participant, month)


@dataclass(frozen=True)
class Appointment:
    on: date
    what: str
    where: str = ""


def appointments(participant: Participant, today: date | None = None) -> list[Appointment]:
    """Coming group sessions of the activities the participant is enrolled in."""
    from ontzorg.guidance.models import Session

    today = today or timezone.localdate()
    sessions = (
        Session.objects.filter(activity__enrollments__participant=participant, held_on__gte=today)
        .select_related("activity")
        .order_by("held_on", "pk")
        .distinct()[:10]
    )
    return [
        Appointment(s.held_on, s.topic or s.activity.name, s.activity.location) for s in sessions
    ]


@dataclass(frozen=True)
class PlannedMeasurement:
    on: date
    moment: str


def planned_measurements(participant: Participant, today: date | None = None):
    """Measurement moments still to come (or due now) on the participant's schedule."""
    from ontzorg.measurements import schedule
    from ontzorg.measurements.services import schedule_for

    moments = schedule_for(participant, today or timezone.localdate())
    return [
        PlannedMeasurement(m.due_on, m.moment)
        for m in moments
        if m.status in (schedule.PLANNED, schedule.DUE, schedule.OVERDUE)
    ]


# The moments of the measurement schedule, as the participant reads them.
MOMENT_LABELS = {
    "nulmeting": _("First conversation about your money"),
    "tussenmeting": _("Halfway conversation"),
    "eindmeting": _("Final conversation"),
    "vervolgmeting": _("Follow-up conversation"),
}


@dataclass(frozen=True)
class SelfDone:
    kind: str  # "cost" (a fixed cost they pay themselves) or "skill" (checklist of a measurement)
    text: str
    since: date | None = None


def self_done(participant: Participant, today: date | None = None) -> list[SelfDone]:
    """What the participant already does themselves: fixed costs handed back to them (phase-out
    steps in force) and the skills of their latest measurement's checklist they master."""
    from ontzorg.measurements.models import Measurement
    from ontzorg.trajectory.models import PhaseOutStep

    today = today or timezone.localdate()
    done = [
        SelfDone("cost", step.line.get_category_display(), step.from_on)
        for step in PhaseOutStep.objects.filter(plan__participant=participant, from_on__lte=today)
        .select_related("line")
        .order_by("order")
    ]
    latest = (
        Measurement.objects.filter(participant=participant, measured_on__lte=today)
        .self_reliance()
        .order_by("-measured_on", "-pk")
        .first()
    )
    if latest is not None:
        answers = latest.answers.filter(can_do=True).select_related("item")
        done += [
            SelfDone("skill", a.item.text, latest.measured_on)
            for a in answers.order_by("item__order")
        ]
    return done
