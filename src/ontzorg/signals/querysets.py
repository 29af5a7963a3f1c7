"""Scoping and reusable filters for signals: every list and page of signals goes through here.

What a user may see of a signal is decided by ``ontzorg.core.access`` (``Signal.scope_path``);
the rules added here are that signals nobody could link to a participant yet (the queue)
are for the roles that work the queue only, and that a signal a region routes to its debt
counsellor (``SignalRoute``) is seen by the follow-up roles of that organisation as well."""

from django.db.models import Q
from django.utils import timezone

from ontzorg.core import access

from .constants import OPEN_STATUSES, RouteTarget

# Roles that may see and match signals nobody could link to a participant yet.
QUEUE_RIGHTS = ("edits_participants", "prepares_payments")
# Roles that follow signals up: case workers, back office, coaches (for their participants).
FOLLOW_UP_RIGHTS = (*QUEUE_RIGHTS, "records_guidance")


def handles_queue(user) -> bool:
    return access.may(user, *QUEUE_RIGHTS)


def sees(user, signal) -> bool:
    """Whether ``user`` may see ``signal``, once access has found it in the user's scope."""
    return signal.participant_id is not None or handles_queue(user)


class SignalQuerySet(access.ScopedQuerySet):
    def scoped(self, user):
        """Matched signals of the participants `user` sees, plus, for the roles that work the
        queue, the unmatched signals of their region (every region for scope 'all')."""
        matched = super().scoped(user).exclude(participant=None)
        organisation_id = getattr(user, "organisation_id", None) if access.is_active(user) else None
        if organisation_id and access.may(user, *FOLLOW_UP_RIGHTS):
            matched = matched | self.filter(
                route=RouteTarget.DEBT_COUNSELLOR, assigned_organisation_id=organisation_id
            ).exclude(participant=None)
        if not handles_queue(user):
            return matched
        # Region-wide work: not for staff limited to their municipality (region_wide_ids).
        regions = access.region_wide_ids(user)
        unmatched = self.filter(participant=None)
        if regions is not None:
            unmatched = unmatched.filter(region_id__in=regions)
        return matched | unmatched

    def unmatched(self):
        return self.filter(participant=None)

    def routed_to(self, user):
        """The signals that are `user`'s to follow up: assigned to them, or to their
        organisation (the guidance organisation, or the debt counsellor)."""
        if not access.is_active(user):
            return self.none()
        mine = Q(assigned_to_id=user.pk)
        if user.organisation_id:
            mine |= Q(assigned_organisation_id=user.organisation_id)
        return self.filter(mine)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())
