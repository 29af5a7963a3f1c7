"""Audit events of proposals (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

PROPOSED = Event("proposal.proposed", Action.CREATE, _("voorstel gedaan: %(label)s"))
APPROVED = Event("proposal.approved", Action.DECISION, _("voorstel goedgekeurd: %(label)s"))
REJECTED = Event("proposal.rejected", Action.DECISION, _("voorstel afgewezen: %(label)s"))
WITHDRAWN = Event("proposal.withdrawn", Action.UPDATE, _("voorstel ingetrokken: %(label)s"))
