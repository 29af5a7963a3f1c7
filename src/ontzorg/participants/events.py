"""Audit events of participants: intake, changes, decisions, selection and export (see
``ontzorg.audit.events``). Display values (kind, outcome) are stored as shown, so the rendered
text reads as it always has."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

HOUSEHOLD_CREATED = Event("household.created", Action.CREATE, _("household created"))
INTAKE_RECORDED = Event("participant.intake_recorded", Action.CREATE, _("intake recorded"))
PARTICIPANT_CHANGED = Event("participant.changed", Action.UPDATE, _("participant details changed"))
DECISION_RECORDED = Event(
    "participant.decision_recorded", Action.DECISION, _("%(kind)s: %(outcome)s")
)
SELECTION_DRAWN = Event(
    "participant.selection_drawn",
    Action.SELECTION,
    _("selection draw: %(size)s out of %(pool)s (seed %(seed)s)"),
)
LIST_VIEWED = Event(
    "participant.list_viewed",
    Action.VIEW,
    _("participant list with BSN viewed (%(count)s shown, search: %(search)s)"),
)
LIST_EXPORTED = Event(
    "participant.list_exported",
    Action.EXPORT,
    _("participant list exported (%(count)s participants)"),
)
# Households (participants.households): dated members and moves.
MEMBER_ADDED = Event(
    "household.member_added", Action.CREATE, _("%(kind)s %(name)s added from %(on)s")
)
MEMBER_CHANGED = Event(
    "household.member_changed", Action.UPDATE, _("details of %(name)s changed from %(on)s")
)
MEMBER_ENDED = Event(
    "household.member_ended", Action.UPDATE, _("%(name)s no longer lives in the home from %(on)s")
)
ADDRESS_CHANGED = Event(
    "household.address_changed", Action.UPDATE, _("moved to %(address)s on %(on)s")
)
# The lifecycle (participants.lifecycle.move): every phase change.
PHASE_CHANGED = Event(
    "participant.phase_changed",
    Action.UPDATE,
    _("phase changed from %(before)s to %(after)s on %(on)s (%(reason)s)"),
)
