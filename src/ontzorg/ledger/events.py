"""Audit events of the ledger (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

REVERSED = Event("ledger.reversed", Action.CREATE, _("transaction %(original)s corrected"))
