"""Audit events of proposals (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

PROPOSED = Event("proposal.proposed", Action.CREATE, _("proposal made: %(label)s"))
APPROVED = Event("proposal.approved", Action.DECISION, _("proposal approved: %(label)s"))
REJECTED = Event("proposal.rejected", Action.DECISION, _("proposal rejected: %(label)s"))
WITHDRAWN = Event("proposal.withdrawn", Action.UPDATE, _("proposal withdrawn: %(label)s"))
