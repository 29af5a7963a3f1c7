"""What needs attention on the dashboard. Each check is a named filter on the participants
the user sees; later apps (signals, measurements, payments) add theirs with `register`.

A check's key is also a filter of the participant list (`/deelnemers/?aandacht=<key>`), so
every count on the dashboard links to exactly the people it counts."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.core import access
from ontzorg.regelingen.constants import SelectionMethod

from .constants import Phase
from .models import Decision


@dataclass(frozen=True)
class AttentionCheck:
    key: str
    label: str
    filter: Callable  # (queryset, user) -> queryset
    visible: Callable = lambda user: True
    order: int = 50


@dataclass(frozen=True)
class AttentionItem:
    check: AttentionCheck
    count: int


@dataclass(frozen=True)
class AttentionLink:
    """One line of "Wat vraagt aandacht": what, how many, and the page that shows them."""

    key: str
    label: str
    count: int
    url: str


_checks: dict[str, AttentionCheck] = {}
# Apps whose items are not participant filters (signals, measurements, guidance) provide
# `provider(user) -> [{label, count, url}]` with the items that have something to do.
_providers: dict[str, tuple[int, Callable]] = {}


def register(check: AttentionCheck) -> None:
    _checks[check.key] = check


def register_provider(key: str, provider: Callable, order: int = 60) -> None:
    """Add or replace (by key) an app's provider of dashboard items."""
    _providers[key] = (order, provider)


def checks_for(user) -> list[AttentionCheck]:
    return [c for c in sorted(_checks.values(), key=lambda c: (c.order, c.key)) if c.visible(user)]


def get(key: str, user) -> AttentionCheck | None:
    check = _checks.get(key)
    return check if check and check.visible(user) else None


def items_for(user, participants) -> list[AttentionItem]:
    """The checks with something to do, counted on `participants` (already scoped)."""
    items = []
    for check in checks_for(user):
        count = check.filter(participants, user).count()
        if count:
            items.append(AttentionItem(check, count))
    return items


def links_for(user, participants, list_url: str, mine_query: str = "") -> list[AttentionLink]:
    """Every dashboard item in order: the participant checks (linking to the filtered list)
    followed by the providers' items (linking to their own pages)."""
    links = [
        AttentionLink(
            item.check.key,
            item.check.label,
            item.count,
            f"{list_url}?{mine_query}aandacht={item.check.key}",
        )
        for item in items_for(user, participants)
    ]
    for key, (_order, provider) in sorted(_providers.items(), key=lambda p: p[1][0]):
        links += [
            AttentionLink(f"{key}:{n}", i["label"], i["count"], i["url"])
            for n, i in enumerate(provider(user))
        ]
    return links


def _intake_without_iban(participants, user):
    return participants.filter(phase=Phase.INTAKE, iban="")


def _waiting_for_selection(participants, user):
    return participants.filter(
        phase=Phase.CANDIDATE, regeling__selection_method=SelectionMethod.RANDOM
    )


def _not_eligible_undecided(participants, user):
    decided = Decision.objects.filter(participant=OuterRef("pk"))
    return participants.filter(phase=Phase.NOT_ELIGIBLE).exclude(Exists(decided))


def _ending_soon(participants, user):
    today = timezone.localdate()
    return participants.filter(
        phase__in=[Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT]
    ).ending_between(today, today + timedelta(days=30))


register(
    AttentionCheck(
        "intake-zonder-iban",
        _("In intake without an IBAN"),
        _intake_without_iban,
        # Only for roles that see bank data: the absence of an IBAN is bank data too.
        visible=lambda user: access.may(user, "sees_bank"),
        order=10,
    )
)
register(
    AttentionCheck(
        "wacht-op-loting",
        _("Candidates waiting for the selection draw"),
        _waiting_for_selection,
        order=20,
    )
)
register(
    AttentionCheck(
        "niet-geschikt-zonder-besluit",
        _("Not eligible, no decision yet"),
        _not_eligible_undecided,
        order=30,
    )
)
register(
    AttentionCheck(
        "einde-binnen-30-dagen",
        _("Ontzorgen ends within 30 days"),
        _ending_soon,
        order=40,
    )
)
