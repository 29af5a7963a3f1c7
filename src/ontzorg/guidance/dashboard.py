"""What the dashboard shows from guidance: participants without a recent contact and past
sessions whose attendance is still missing."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.participants.constants import OPEN_PHASES
from ontzorg.participants.models import Participant

from .models import Activity, Attendance, Contact, Enrollment, Session

# Six weeks without any contact is worth a look.
QUIET_DAYS = 42


def without_recent_contact(user, today=None):
    today = today or timezone.localdate()
    recent = Contact.objects.filter(
        participant=OuterRef("pk"), occurred_on__gte=today - timedelta(days=QUIET_DAYS)
    )
    return (
        Participant.objects.visible_to(user).filter(phase__in=OPEN_PHASES).exclude(Exists(recent))
    )


def sessions_missing_attendance(user, today=None):
    today = today or timezone.localdate()
    recorded = Attendance.objects.filter(session=OuterRef("pk"))
    enrolled = Enrollment.objects.filter(activity=OuterRef("activity"))
    return (
        Session.objects.filter(activity__in=Activity.objects.visible_to(user), held_on__lte=today)
        .filter(Exists(enrolled))
        .exclude(Exists(recorded))
    )


def attention_items(user) -> list[dict]:
    """[{label, count, url}] with a non-zero count, for the dashboard."""
    items = [
        {
            "label": _("No guidance contact in %(weeks)s weeks") % {"weeks": QUIET_DAYS // 7},
            "count": without_recent_contact(user).count(),
            "url": reverse("guidance:hours") + "?zonder_contact=1",
        },
        {
            "label": _("Session attendance not yet filled in"),
            "count": sessions_missing_attendance(user).count(),
            "url": reverse("guidance:activities"),
        },
    ]
    return [item for item in items if item["count"]]
