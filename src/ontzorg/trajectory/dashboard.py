"""What the dashboard and the menu show from the trajectory: participants still waiting for a
first payment (``plans.first_payment``), who went to work (guidance goes on), evaluations that
are due, nazorg that ends soon."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.attention import AttentionCheck

# A job stays on the dashboard this long, so the case worker keeps guidance going.
RECENT_OUTFLOW_DAYS = 92
NAZORG_ENDING_DAYS = 30


def has_week(user) -> bool:
    """Roles that act on participants and see them: case workers and coaches."""
    from ontzorg.accounts.constants import Scope
    from ontzorg.core import access

    acts = access.may(user, "edits_participants", "records_guidance")
    return acts and access.scope_of(user) != Scope.NONE


def _recent_outflow(participants, user):
    from .models import Outflow

    since = timezone.localdate() - timedelta(days=RECENT_OUTFLOW_DAYS)
    recent = Outflow.objects.filter(participant=OuterRef("pk"), starts_on__gte=since)
    return participants.filter(Exists(recent))


def _evaluation_due(participants, user):
    from ontzorg.plans.models import Plan

    from .models import Evaluation
    from .services import EVALUATION_LEAD_DAYS

    today = timezone.localdate()
    evaluated = Evaluation.objects.filter(
        plan=OuterRef("pk"), for_end_on=OuterRef("planned_end_on")
    )
    due = (
        Plan.objects.open()
        .filter(
            participant=OuterRef("pk"),
            planned_end_on__lte=today + timedelta(days=EVALUATION_LEAD_DAYS),
        )
        .exclude(Exists(evaluated))
    )
    return participants.filter(Exists(due))


def _nazorg_ending(participants, user):
    from .models import NazorgPeriod

    until = timezone.localdate() + timedelta(days=NAZORG_ENDING_DAYS)
    ending = NazorgPeriod.objects.filter(
        participant=OuterRef("pk"), closed_on=None, ends_on__lte=until
    )
    return participants.filter(Exists(ending))


def _waiting_for_first_payment(participants, user):
    from ontzorg.plans import first_payment

    return first_payment.waiting(participants, user)


CHECKS = [
    AttentionCheck(
        "wacht-op-eerste-betaling",
        _("Waiting too long for the first payment to a creditor"),
        _waiting_for_first_payment,
        order=15,
    ),
    AttentionCheck(
        "evaluatie-nodig",
        _("Evaluation meeting needed: end within 30 days"),
        _evaluation_due,
        order=42,
    ),
    AttentionCheck(
        "uitstroom-naar-werk",
        _("Started work (last 3 months): guidance and measurements continue"),
        _recent_outflow,
        order=60,
    ),
    AttentionCheck(
        "nazorg-loopt-af",
        _("Nazorg ends within 30 days"),
        _nazorg_ending,
        order=62,
    ),
]
