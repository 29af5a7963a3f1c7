"""What needs attention in vroegsignalering, for the dashboard's "Wat vraagt aandacht".

`attention_items(user)` returns only the items with something to do, each a dict with
`label`, `count` and `url` (the signal list filtered to exactly what is counted)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import Status
from .models import Signal
from .querysets import handles_queue


def attention_items(user) -> list[dict]:
    signals = Signal.objects.visible_to(user).open()
    base = reverse("signals:list")
    checks = [
        (
            _("Signals past their deadline"),
            signals.overdue(timezone.localdate()),
            {"te_laat": "on"},
        ),
        (
            _("New signals, no contact yet"),
            signals.filter(status=Status.NEW),
            {"status": "new"},
        ),
        (
            _("Signals after ontzorgen ended"),
            signals.filter(after_end=True),
            {"na_afloop": "on"},
        ),
    ]
    checks.append(
        (
            _("New signals routed to you or your organisation"),
            signals.routed_to(user).filter(status=Status.NEW),
            {"voor_mij": "on", "status": "new"},
        )
    )
    if handles_queue(user):
        checks.append(
            (_("Signals without a participant (queue)"), signals.unmatched(), {"wachtrij": "on"})
        )
    items = []
    for label, queryset, query in checks:
        count = queryset.count()
        if count:
            items.append({"label": label, "count": count, "url": f"{base}?{urlencode(query)}"})
    return items
