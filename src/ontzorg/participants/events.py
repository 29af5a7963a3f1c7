"""Audit events of participants: intake, changes, decisions, selection and export (see
``ontzorg.audit.events``). Display values (kind, outcome) are stored as shown, so the rendered
text reads as it always has."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

HOUSEHOLD_CREATED = Event("household.created", Action.CREATE, _("huishouden aangemaakt"))
INTAKE_RECORDED = Event("participant.intake_recorded", Action.CREATE, _("intake vastgelegd"))
PARTICIPANT_CHANGED = Event("participant.changed", Action.UPDATE, _("deelnemergegevens gewijzigd"))
DECISION_RECORDED = Event(
    "participant.decision_recorded", Action.DECISION, _("%(kind)s: %(outcome)s")
)
SELECTION_DRAWN = Event(
    "participant.selection_drawn",
    Action.SELECTION,
    _("loting: %(size)s uit %(pool)s (seed %(seed)s)"),
)
LIST_VIEWED = Event(
    "participant.list_viewed",
    Action.VIEW,
    _("deelnemerslijst met BSN bekeken (%(count)s getoond, zoekopdracht: %(search)s)"),
)
LIST_EXPORTED = Event(
    "participant.list_exported",
    Action.EXPORT,
    _("deelnemerslijst geëxporteerd (%(count)s deelnemers)"),
)
# Households (participants.households): dated members and moves.
MEMBER_ADDED = Event(
    "household.member_added", Action.CREATE, _("%(kind)s %(name)s toegevoegd vanaf %(on)s")
)
MEMBER_CHANGED = Event(
    "household.member_changed", Action.UPDATE, _("gegevens van %(name)s gewijzigd vanaf %(on)s")
)
MEMBER_ENDED = Event(
    "household.member_ended", Action.UPDATE, _("%(name)s woont niet meer in huis vanaf %(on)s")
)
ADDRESS_CHANGED = Event(
    "household.address_changed", Action.UPDATE, _("verhuisd naar %(address)s op %(on)s")
)
# The lifecycle (participants.lifecycle.move): every phase change.
PHASE_CHANGED = Event(
    "participant.phase_changed",
    Action.UPDATE,
    _("fase gewijzigd van %(before)s naar %(after)s op %(on)s (%(reason)s)"),
)
