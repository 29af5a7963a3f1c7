"""Plan pages for money held for a participant: savings pots (create, pay out, end) and
one-off payments, and the figures the plan page shows from the ledger.

Creating a pot is a plan change (done at once, like a plan line). Paying out, ending a pot
and a one-off payment are proposals that a colleague approves (``plans.payouts``)."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.core.money import euro, to_cents

from . import balances, first_payment, payouts, services
from .forms import (
    BridgingForm,
    EndPotForm,
    KeysReceivedForm,
    OneOffForm,
    PotForm,
    PotPayoutForm,
)
from .models import SavingsPot
from .views import PARTICIPANT, _confirmed_action, _form, _open_plan

POT = ("pot", SavingsPot.objects.select_related("plan__participant", "plan__regeling__region"))
FORM_METHODS = ("GET", "POST")
POT_RIGHTS = ("edits_participants", "prepares_payments")
PROPOSE_RIGHTS = (payouts.PROPOSE_RIGHT,)
PROPOSED = _("The proposal is ready. A colleague must approve it; then it will be paid.")


def _first_month(region):
    return payouts.first_open_month(region)


@access.view(
    methods=FORM_METHODS,
    rights=POT_RIGHTS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def create_pot(request, participant):
    plan = _open_plan(participant)
    first = services.first_month_without_run(plan.regeling.region)
    form = _form(PotForm, request, initial={"starts_on": first})
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Create savings pot"),
        intro=_(
            "Every month the payment run sets this amount aside from the income, "
            "before the living allowance. The money remains the participant's; "
            "paying out goes by a proposal that a colleague approves."
        ),
        perform=lambda d: services.create_pot(
            request.user,
            plan,
            name=d["name"],
            goal_cents=to_cents(d["goal"]) or None,
            monthly_cents=to_cents(d["monthly"]),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        done=_("The savings pot has been created."),
    )


def _open_pot(pot) -> SavingsPot:
    if pot.is_ended and not balances.pot_balance(pot).available_cents:
        raise Http404
    return pot


@access.view(
    methods=FORM_METHODS, rights=PROPOSE_RIGHTS, objects={"pot_pk": POT}, audit="planformulier"
)
def pot_payout(request, pot):
    pot = _open_pot(pot)
    participant, region = pot.plan.participant, pot.plan.regeling.region
    balance = balances.pot_balance(pot)
    form = _form(PotPayoutForm, request, region=region, first_month=_first_month(region))
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Pay out from savings pot %(pot)s") % {"pot": pot.name},
        intro=_(
            "Available: %(available)s (booked %(booked)s, already promised "
            "%(promised)s). A colleague approves the payout; the payment run of "
            "the chosen month pays it."
        )
        % {
            "available": euro(balance.available_cents),
            "booked": euro(balance.booked_cents),
            "promised": euro(balance.promised_cents),
        },
        perform=lambda d: payouts.propose_payout(
            request.user,
            pot,
            amount_cents=to_cents(d["amount"]),
            period=date.fromisoformat(d["period"]),
            reason=d["reason"],
            creditor=d["creditor"],
            reference=d["reference"],
        ),
        done=PROPOSED,
    )


@access.view(
    methods=FORM_METHODS, rights=PROPOSE_RIGHTS, objects={"pot_pk": POT}, audit="planformulier"
)
def end_pot(request, pot):
    if pot.is_ended:
        raise Http404
    participant, region = pot.plan.participant, pot.plan.regeling.region
    balance = balances.pot_balance(pot)
    form = _form(EndPotForm, request, first_month=_first_month(region))
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Close savings pot %(pot)s") % {"pot": pot.name},
        intro=_(
            "%(available)s is available now. The remainder goes to the "
            "participant's own account, in the payment run of the chosen month. A "
            "colleague approves it."
        )
        % {"available": euro(balance.available_cents)},
        perform=lambda d: payouts.propose_end(
            request.user, pot, period=date.fromisoformat(d["period"]), reason=d["reason"]
        ),
        done=PROPOSED,
    )


@access.view(
    methods=FORM_METHODS,
    rights=PROPOSE_RIGHTS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def one_off(request, participant):
    region = participant.regeling.region
    own = balances.free_balance(participant)
    form = _form(OneOffForm, request, region=region, first_month=_first_month(region))
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("One-off payment"),
        intro=_(
            "From the participant's own money (outside the savings pots): now "
            "%(own)s. If the amount is higher, the difference is an advance and a "
            "reason for it is required. A colleague approves the payment."
        )
        % {"own": euro(max(0, own.available_cents))},
        perform=lambda d: payouts.propose_one_off(
            request.user,
            participant,
            amount_cents=to_cents(d["amount"]),
            period=date.fromisoformat(d["period"]),
            reason=d["reason"],
            creditor=d["creditor"],
            reference=d["reference"],
            advance_reason=d["advance_reason"],
        ),
        done=PROPOSED,
        warnings=lambda d: [
            _("This is more than the participant's own money; %(advance)s becomes an advance.")
            % {"advance": euro(payouts.advance_needed(participant, to_cents(d["amount"])))}
            if payouts.advance_needed(participant, to_cents(d["amount"]))
            else ""
        ],
    )


@access.view(
    methods=FORM_METHODS,
    rights=PROPOSE_RIGHTS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def bridging(request, participant):
    region = participant.regeling.region
    maximum = participant.regeling.bridging_max_cents
    if not maximum:
        raise Http404
    form = _form(BridgingForm, request, region=region, first_month=_first_month(region))
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Bridging payment"),
        intro=_(
            "While the first payment is awaited, a bridging payment can be made to "
            "the participant or a creditor, up to %(max)s. What the participant's own "
            "money (now %(own)s) does not cover is an advance. A colleague approves it."
        )
        % {
            "max": euro(maximum),
            "own": euro(max(0, balances.free_balance(participant).available_cents)),
        },
        perform=lambda d: payouts.propose_bridging(
            request.user,
            participant,
            amount_cents=to_cents(d["amount"]),
            period=date.fromisoformat(d["period"]),
            reason=d["reason"],
            creditor=d["creditor"],
            reference=d["reference"],
        ),
        done=PROPOSED,
    )


@access.view(
    methods=FORM_METHODS,
    rights=("edits_participants",),
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def keys_received(request, participant):
    plan = _open_plan(participant)
    form = _form(KeysReceivedForm, request, initial={"received_on": plan.keys_received_on})
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Key handover"),
        intro=_("The time to the first payment is also counted from the key handover."),
        perform=lambda d: first_payment.record_keys_received(request.user, plan, d["received_on"]),
        done=_("The key handover has been recorded."),
    )
