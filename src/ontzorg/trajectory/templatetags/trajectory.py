"""`{% trajectory_timeline participant %}`: the timeline on the participant page. The page
itself has checked the user's scope and written the view to the audit trail."""

from django import template
from django.urls import reverse

from ontzorg.trajectory import timeline

register = template.Library()


@register.inclusion_tag("trajectory/_timeline.html", takes_context=True)
def trajectory_timeline(context, participant):
    return {
        "events": timeline.events_for(context["request"].user, participant),
        "trajectory_url": reverse("trajectory:participant", args=[participant.pk]),
    }
