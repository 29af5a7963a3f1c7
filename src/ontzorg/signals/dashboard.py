"""What needs attention in vroegsignalering, for the dashboard's "Wat vraagt aandacht".

`attention_items(user)` returns only the items with something to do, each a dict with
`label`, `count` and `url` (the signal list filtered to exactly what is counted)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from .constants import Status
from .models import Signal
from .querysets import handles_queue


def attention_items(user) -> list[dict]:
    signals = Signal.objects.visible_to(user).open()
    base = reverse("signals:list")
    checks = [
        ("Signalen over de termijn", signals.overdue(timezone.localdate()), {"te_laat": "on"}),
        ("Nieuwe signalen, nog geen contact", signals.filter(status=Status.NEW), {"status": "new"}),
        (
            "Signalen na afloop van het ontzorgen",
            signals.filter(after_end=True),
            {"na_afloop": "on"},
        ),
    ]
    if handles_queue(user):
        checks.append(
            ("Signalen zonder deelnemer (wachtrij)", signals.unmatched(), {"wachtrij": "on"})
        )
    items = []
    for label, queryset, query in checks:
        count = queryset.count()
        if count:
            items.append({"label": label, "count": count, "url": f"{base}?{urlencode(query)}"})
    return items
