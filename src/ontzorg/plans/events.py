"""Audit events of plans, creditors, machtigingen and income (see ``ontzorg.audit.events``).

Amounts and dates in the parameters are stored as they are shown (``€ 650,00``, ``01-10-2025``),
so the rendered text reads as it always has."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

CREDITOR_CREATED = Event("creditor.created", Action.CREATE, _("creditor created"))
PLAN_CREATED = Event("plan.created", Action.CREATE, _("plan created"))
LINE_ADDED = Event("plan.line_added", Action.CREATE, _("fixed cost added: %(line)s %(amount)s"))
AMOUNT_CHANGED = Event(
    "plan.amount_changed",
    Action.UPDATE,
    _("amount of %(line)s changed from %(valid_from)s: %(old)s to %(new)s"),
)
LINE_CLOSED = Event(
    "plan.line_closed", Action.UPDATE, _("fixed cost %(line)s stops on %(on)s%(reason)s")
)
MACHTIGING_SIGNED = Event(
    "machtiging.signed", Action.CREATE, _("machtiging %(creditor)s signed on %(signed_on)s")
)
MACHTIGING_REVOKED = Event(
    "machtiging.revoked", Action.UPDATE, _("machtiging %(creditor)s revoked from %(on)s")
)
INCOME_RECORDED = Event("income.recorded", Action.CREATE, _("income recorded: %(kind)s %(amount)s"))
SHORTFALL_DECIDED = Event(
    "plan.shortfall_decided", Action.DECISION, _("shortfall %(period)s: %(choice)s")
)
OUTFLOW_RECORDED = Event(
    "plan.outflow_recorded", Action.DECISION, _("outflow from bijstand on %(on)s")
)
PLAN_DECIDED = Event("plan.decided", Action.DECISION, _("plan %(kind)s"))
LINE_REMOVED = Event(
    "plan.line_removed", Action.UPDATE, _("fixed cost %(line)s removed: %(reason)s")
)
MODE_DECIDED = Event(
    "plan.mode_decided", Action.DECISION, _("mode of ontzorgen %(mode)s from %(from_on)s")
)
PLAN_CLOSED_OPT_OUT = Event(
    "plan.closed_opt_out",
    Action.UPDATE,
    _("plan stopped from %(on)s: no ontzorgen"),
)
POT_CREATED = Event(
    "pot.created", Action.CREATE, _("savings pot %(pot)s created: %(amount)s per month")
)
POT_PAYOUT_APPROVED = Event(
    "pot.payout_approved",
    Action.DECISION,
    _("payout from savings pot %(pot)s approved: %(amount)s to %(payee)s in %(month)s"),
)
POT_ENDED = Event(
    "pot.ended",
    Action.DECISION,
    _("savings pot %(pot)s closed; the remainder goes to the participant in %(month)s"),
)
ONE_OFF_APPROVED = Event(
    "oneoff.approved",
    Action.DECISION,
    _("one-off payment approved: %(amount)s to %(payee)s in %(month)s%(advance)s"),
)
PAYEE_CHANGED = Event(
    "payee.changed",
    Action.UPDATE,
    _("account details of %(payee)s changed (proposed by %(proposed_by)s)"),
)
KEYS_RECEIVED = Event(
    "plan.keys_received", Action.UPDATE, _("key handover recorded: keys received on %(on)s")
)
BRIDGING_APPROVED = Event(
    "bridging.approved",
    Action.DECISION,
    _("bridging payment %(amount)s to %(payee)s in the run of %(month)s approved%(advance)s"),
)
