"""Structured audit event codes. Each app declares its own events in ``<app>/events.py``::

    from ontzorg.audit.events import Event, Action
    LINE_ADDED = Event("plan.line_added", Action.CREATE, _("vaste last %(category)s toegevoegd"))

and records them with ``audit.services.record(user, LINE_ADDED, obj, category=...)``. The
entry stores the code and its parameters; the Dutch text is rendered when it is shown, so a
reworded text changes old entries too and the codes can be counted and filtered."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import Action

REGISTRY: dict[str, "Event"] = {}


@dataclass(frozen=True)
class Event:
    code: str
    action: str
    text: str

    def __post_init__(self):
        known = REGISTRY.get(self.code)
        if known is not None and known != self:
            raise ValueError(f"Audit event {self.code!r} is declared twice, differently.")
        REGISTRY[self.code] = self

    def render(self, params: dict | None) -> str:
        """The Dutch text; a call site's own wording (`summary`) wins over the generic one."""
        if params and params.get("summary"):
            return str(params["summary"])
        try:
            return str(self.text) % (params or {})
        except (KeyError, TypeError, ValueError):
            return str(self.text)


def render(code: str, params: dict | None, fallback: str = "") -> str:
    event = REGISTRY.get(code)
    return event.render(params) if event is not None else fallback


# Events of the audit trail itself and of what every app shares.
VIEWED = Event("participant.viewed", Action.VIEW, _("%(what)s viewed"))
ADMIN_ADDED = Event("admin.added", Action.CREATE, _("%(model)s created in the admin"))
ADMIN_CHANGED = Event("admin.changed", Action.UPDATE, _("%(model)s changed in the admin"))
ADMIN_DELETED = Event("admin.deleted", Action.UPDATE, _("%(model)s deleted in the admin"))
# Reading: admin lists and pages that show a BSN or an IBAN, and searches in the trail.
ADMIN_LIST_VIEWED = Event(
    "admin.list_viewed",
    Action.VIEW,
    _("%(model)s: list viewed in the admin (%(count)s shown, search: %(search)s)"),
)
ADMIN_VIEWED = Event("admin.viewed", Action.VIEW, _("%(model)s viewed in the admin"))
TRAIL_SEARCHED = Event(
    "audit.searched", Action.VIEW, _("audit trail searched (search: %(search)s)")
)
CREATED = Event("object.created", Action.CREATE, _("%(model)s created"))
CHANGED = Event("object.changed", Action.UPDATE, _("%(model)s changed"))

__all__ = ["REGISTRY", "Action", "Event", "render"]
