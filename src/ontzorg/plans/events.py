"""Audit events of plans, creditors, machtigingen and income (see ``ontzorg.audit.events``).

Amounts and dates in the parameters are stored as they are shown (``€ 650,00``, ``01-10-2025``),
so the rendered text reads as it always has."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

CREDITOR_CREATED = Event("creditor.created", Action.CREATE, _("schuldeiser aangemaakt"))
PLAN_CREATED = Event("plan.created", Action.CREATE, _("plan aangemaakt"))
LINE_ADDED = Event(
    "plan.line_added", Action.CREATE, _("vaste last toegevoegd: %(line)s %(amount)s")
)
AMOUNT_CHANGED = Event(
    "plan.amount_changed",
    Action.UPDATE,
    _("bedrag %(line)s gewijzigd per %(valid_from)s: %(old)s naar %(new)s"),
)
LINE_CLOSED = Event(
    "plan.line_closed", Action.UPDATE, _("vaste last %(line)s stopt per %(on)s%(reason)s")
)
MACHTIGING_SIGNED = Event(
    "machtiging.signed", Action.CREATE, _("machtiging %(creditor)s getekend op %(signed_on)s")
)
MACHTIGING_REVOKED = Event(
    "machtiging.revoked", Action.UPDATE, _("machtiging %(creditor)s ingetrokken per %(on)s")
)
INCOME_RECORDED = Event(
    "income.recorded", Action.CREATE, _("inkomen vastgelegd: %(kind)s %(amount)s")
)
SHORTFALL_DECIDED = Event(
    "plan.shortfall_decided", Action.DECISION, _("tekort %(period)s: %(choice)s")
)
OUTFLOW_RECORDED = Event(
    "plan.outflow_recorded", Action.DECISION, _("uitstroom uit de bijstand per %(on)s")
)
PLAN_DECIDED = Event("plan.decided", Action.DECISION, _("plan %(kind)s"))
LINE_REMOVED = Event(
    "plan.line_removed", Action.UPDATE, _("vaste last %(line)s verwijderd: %(reason)s")
)
MODE_DECIDED = Event(
    "plan.mode_decided", Action.DECISION, _("vorm van ontzorgen %(mode)s vanaf %(from_on)s")
)
PLAN_CLOSED_OPT_OUT = Event(
    "plan.closed_opt_out",
    Action.UPDATE,
    _("plan gestopt vanaf %(on)s: geen ontzorging"),
)
POT_CREATED = Event(
    "pot.created", Action.CREATE, _("spaarpot %(pot)s aangemaakt: %(amount)s per maand")
)
POT_PAYOUT_APPROVED = Event(
    "pot.payout_approved",
    Action.DECISION,
    _("uitbetaling uit spaarpot %(pot)s goedgekeurd: %(amount)s aan %(payee)s in %(month)s"),
)
POT_ENDED = Event(
    "pot.ended",
    Action.DECISION,
    _("spaarpot %(pot)s opgeheven; het restant gaat in %(month)s naar de deelnemer"),
)
ONE_OFF_APPROVED = Event(
    "oneoff.approved",
    Action.DECISION,
    _("eenmalige betaling goedgekeurd: %(amount)s aan %(payee)s in %(month)s%(advance)s"),
)
PAYEE_CHANGED = Event(
    "payee.changed",
    Action.UPDATE,
    _("rekeninggegevens van %(payee)s gewijzigd (voorgesteld door %(proposed_by)s)"),
)
