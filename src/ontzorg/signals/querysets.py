"""Scoping and reusable filters for signals: every list and page of signals goes through here.

What a user may see of a signal is decided by ``ontzorg.core.access`` (``Signal.scope_path``);
the one rule added here is that signals nobody could link to a participant yet (the queue)
are for the roles that work the queue only."""

from django.utils import timezone

from ontzorg.core import access

from .constants import OPEN_STATUSES

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
        if not handles_queue(user):
            return matched
        regions = access.region_ids(user)
        unmatched = self.filter(participant=None)
        if regions is not None:
            unmatched = unmatched.filter(region_id__in=regions)
        return matched | unmatched

    def unmatched(self):
        return self.filter(participant=None)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())
