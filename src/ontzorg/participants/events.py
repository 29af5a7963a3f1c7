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
LIST_EXPORTED = Event(
    "participant.list_exported",
    Action.EXPORT,
    _("deelnemerslijst geëxporteerd (%(count)s deelnemers)"),
)
