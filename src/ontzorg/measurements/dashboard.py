"""What the dashboard shows from measurements: overdue and due moments, and participants
whose latest measurement reaches the exit level. Each item links to the agenda."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .constants import ScheduleStatus


def end_of_week(day):
    return day + timedelta(days=6 - day.weekday())


def attention_items(user) -> list[dict]:
    """[{label, count, url}] with a non-zero count, for the dashboard."""
    today = timezone.localdate()
    due = services.due_measurements(user, today, until=end_of_week(today))
    overdue = sum(item.moment.status == ScheduleStatus.OVERDUE for item in due)
    url = reverse("measurements:agenda")
    items = [
        {"label": _("Measurements overdue"), "count": overdue, "url": url},
        {"label": _("Measurements this week"), "count": len(due) - overdue, "url": url},
        {
            "label": _("Exit level reached: end of ontzorgen in sight"),
            "count": len(services.ready_to_end(user)),
            "url": f"{url}#exitniveau",
        },
    ]
    return [item for item in items if item["count"]]
