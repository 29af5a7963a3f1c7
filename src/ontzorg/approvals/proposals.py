"""Propose, approve, reject and withdraw money decisions: the one home of four eyes.

An app registers what approving a kind of proposal does::

    from ontzorg.approvals import proposals

    @proposals.action("pot.payout", label="Uitbetaling uit spaarpot")
    def _apply_pot_payout(proposal, approver):
        ...  # inside the approving transaction; raise Refused to refuse (nothing changes)

and its service calls `propose(user, "pot.payout", region=..., payload=..., summary=...)`
instead of making the change. `approve` runs the handler in the same transaction that marks
the proposal approved, with the proposal row locked, so a proposal is carried out once."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied, Refused

from . import events
from .constants import APPROVE_RIGHT, ProposalStatus
from .models import Proposal


@dataclass(frozen=True)
class Action:
    kind: str
    label: str
    apply: Callable
    # details(proposal) -> [(label, value)]: what the approver checks; the payload if None.
    details: Callable | None = None
    handler: Callable | None = None
    # Whether approving it changes where money goes (a payee's or the region's account).
    changes_payee: bool = False

    def describe(self, proposal) -> list[tuple[str, object]]:
        if self.details is not None:
            return list(self.details(proposal))
        return [(str(key).replace("_", " "), value) for key, value in proposal.payload.items()]


_OWN = gettext_lazy("You cannot approve your own proposal. A colleague must approve it.")

# kind -> Action; filled by the apps at import time (the four-eyes matrix test enumerates it).
registry: dict[str, Action] = {}


def action(kind: str, *, label: str, details: Callable | None = None, changes_payee: bool = False):
    """Register the handler that carries out an approved proposal of `kind`; `details`
    optionally says what the approver sees of its payload; `changes_payee` marks a change of
    where money goes, which holds the region's payment runs while it waits. The registry
    holds the handler guarded, so even a direct call never lets the proposer carry out their
    own proposal."""

    def register(func):
        known = registry.get(kind)
        if known is not None and _name(known.handler) != _name(func):
            raise ValueError(f"Proposal action {kind!r} is registered twice.")

        @functools.wraps(func)
        def guarded(proposal, approver):
            if approver is None or approver.pk == proposal.proposed_by_id:
                raise Refused(str(_OWN))
            if proposal.status != ProposalStatus.PENDING:
                raise Refused(_("This proposal has already been decided."))
            return func(proposal, approver)

        registry[kind] = Action(
            kind=kind,
            label=label,
            apply=guarded,
            details=details,
            handler=func,
            changes_payee=changes_payee,
        )
        return func

    return register


def _name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def load_actions() -> dict[str, Action]:
    """The registry, complete. Actions register when their module is imported, and every
    such module serves a page, so loading the URLconf imports them all (once)."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    return registry


def _check_region(user, region) -> None:
    regions = access.region_ids(user)
    if regions is not None and region.pk not in regions:
        raise PermissionDenied(_("This is outside your scope."))


def propose(
    user,
    kind: str,
    *,
    region,
    payload: dict,
    summary: str,
    participant=None,
    period: date | None = None,
    amount_cents: int | None = None,
    target=None,
    right: str = "prepares_payments",
    one_at_a_time: bool = False,
) -> Proposal:
    """Record a money decision as a proposal; nothing changes until someone else approves.
    With `one_at_a_time`, a second proposal of this kind for `target` is refused while the
    first waits (the caller locks the target when two could race)."""
    if kind not in registry:
        raise ValueError(f"Unknown proposal kind {kind!r}.")
    access.require(user, right)
    _check_region(user, region)
    if participant is not None:
        access.visible(user, participant)
    if period is not None and period.day != 1:
        raise ValueError("A proposal's period is the first day of a month.")
    if one_at_a_time and pending(kind=kind, target=target).exists():
        raise Refused(
            _(
                "A proposal for this is already awaiting approval. Have a colleague "
                "approve or reject it first, or withdraw it if you want to propose "
                "something else."
            )
        )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            region=region,
            participant=participant,
            period=period,
            kind=kind,
            payload=payload,
            summary=str(summary)[:255],
            amount_cents=amount_cents,
            target_label=target._meta.label_lower if target is not None else "",
            target_id=target.pk if target is not None else None,
            proposed_by=user,
        )
        _record(user, events.PROPOSED, proposal)
    return proposal


def _record(user, event, proposal, **extra) -> None:
    record(
        user,
        event,
        proposal,
        participant=proposal.participant,
        label=proposal.label,
        kind=proposal.kind,
        summary_text=proposal.summary,
        amount_cents=proposal.amount_cents,
        **extra,
    )


def _locked(user, proposal) -> Proposal:
    """The proposal locked for the deciding transaction, if `user` may see it."""
    access.visible(user, proposal)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise Refused(
            _("This proposal has already been decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def check_separation(user) -> None:
    """Segregation of duties: whoever approves money may not also change the plans and
    incomes it is computed from (else one person could raise an income and approve what it
    pays). Checked on the rights a user has now, so a role widened in the admin is caught."""
    if access.may(user, "edits_participants"):
        raise Refused(
            _(
                "You may change participants and plans. Whoever may do that does not "
                "approve payments (separation of duties); a back-office colleague does."
            )
        )


def approve(user, proposal: Proposal) -> Proposal:
    """The second pair of eyes: carry out `proposal` and mark it approved, or refuse."""
    access.require(user, APPROVE_RIGHT)
    check_separation(user)
    with transaction.atomic():
        locked = _locked(user, proposal)
        if locked.proposed_by_id == user.pk:
            raise Refused(str(_OWN))
        handler = registry.get(locked.kind) or load_actions().get(locked.kind)
        if handler is None:
            raise Refused(_("This kind of proposal can no longer be carried out."))
        handler.apply(locked, user)
        locked.status = ProposalStatus.APPROVED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        _record(user, events.APPROVED, locked)
    return locked


def reject(user, proposal: Proposal, *, reason: str) -> Proposal:
    """Turn `proposal` down with a reason; nothing changes. The proposer withdraws instead."""
    access.require(user, APPROVE_RIGHT)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give a reason why you reject the proposal."))
    with transaction.atomic():
        locked = _locked(user, proposal)
        if locked.proposed_by_id == user.pk:
            raise Refused(_("You do not reject your own proposal; withdraw it."))
        locked.status = ProposalStatus.REJECTED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        _record(user, events.REJECTED, locked, reason=reason)
    return locked


def withdraw(user, proposal: Proposal) -> Proposal:
    """The proposer takes back a proposal that is still pending."""
    with transaction.atomic():
        locked = _locked(user, proposal)
        if locked.proposed_by_id != user.pk:
            raise Refused(_("Only whoever made the proposal can withdraw it."))
        locked.status = ProposalStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        _record(user, events.WITHDRAWN, locked)
    return locked


def pending(
    *,
    user=None,
    region=None,
    period: date | None = None,
    kind: str | None = None,
    target=None,
    participant=None,
):
    """Pending proposals, narrowed by what is given (and to `user`'s scope if given)."""
    queryset = Proposal.objects.pending()
    if user is not None:
        queryset = queryset.scoped(user)
    if region is not None:
        queryset = queryset.filter(region=region)
    if period is not None:
        queryset = queryset.filter(period=period)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if target is not None:
        queryset = queryset.for_target(target)
    if participant is not None:
        queryset = queryset.filter(participant=participant)
    return queryset.select_related("proposed_by", "participant", "region")


def payee_kinds() -> list[str]:
    """The kinds of proposal that change where money goes."""
    return [kind for kind, action in load_actions().items() if action.changes_payee]


def payee_changes_pending(region):
    """Pending changes of where money goes in `region`: they hold its payment runs."""
    return Proposal.objects.pending().filter(region=region, kind__in=payee_kinds())


def payee_changers(*, region, since) -> set[int]:
    """Ids of the users whose change of where money goes in `region` was approved after
    `since` (all time if None): they may not approve the next run that pays to it."""
    queryset = Proposal.objects.filter(
        region=region, kind__in=payee_kinds(), status=ProposalStatus.APPROVED
    )
    if since is not None:
        queryset = queryset.filter(decided_at__gt=since)
    return set(queryset.values_list("proposed_by_id", flat=True))


def proposers(*, region, period: date) -> set[int]:
    """Ids of the users whose proposals for `region` and `period` are pending or carried out:
    they may not approve that month's payment run."""
    return set(
        Proposal.objects.filter(
            region=region,
            period=period,
            status__in=[ProposalStatus.PENDING, ProposalStatus.APPROVED],
        ).values_list("proposed_by_id", flat=True)
    )


__all__ = [
    "Action",
    "Proposal",
    "ProposalStatus",
    "action",
    "approve",
    "check_separation",
    "load_actions",
    "payee_changers",
    "payee_changes_pending",
    "payee_kinds",
    "pending",
    "propose",
    "proposers",
    "registry",
    "reject",
    "withdraw",
]
