"""`{% trajectory_timeline participant %}`: what the participant page shows of the trajectory:
the time to the first payment per payee, the handover checks and the timeline. The page itself
has checked the user's scope and written the view to the audit trail."""

from django import template
from django.urls import reverse

from ontzorg.core import access
from ontzorg.plans import first_payment
from ontzorg.trajectory import handover, services, timeline

register = template.Library()


@register.inclusion_tag("trajectory/_participant_sections.html", takes_context=True)
def trajectory_timeline(context, participant):
    user = context["request"].user
    plan = services.current_plan(participant)
    return {
        "participant": participant,
        "first_payments": first_payment.for_participant(participant),
        "may_record_keys": plan is not None and access.may(user, "edits_participants"),
        "may_propose_bridging": access.may(user, "prepares_payments")
        and participant.regeling.bridging_max_cents > 0,
        "handover_checks": handover.schedule_for(participant),
        "events": timeline.events_for(user, participant),
        "trajectory_url": reverse("trajectory:participant", args=[participant.pk]),
    }
