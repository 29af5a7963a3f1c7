"""Plan pages for money held for a participant: savings pots (create, pay out, end) and
one-off payments, and the figures the plan page shows from the ledger.

Creating a pot is a plan change (done at once, like a plan line). Paying out, ending a pot
and a one-off payment are proposals that a colleague approves (``plans.payouts``)."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.core.money import euro, to_cents

from . import balances, payouts, services
from .forms import EndPotForm, OneOffForm, PotForm, PotPayoutForm
from .models import SavingsPot
from .views import PARTICIPANT, _confirmed_action, _form, _open_plan

POT = ("pot", SavingsPot.objects.select_related("plan__participant", "plan__regeling__region"))
FORM_METHODS = ("GET", "POST")
POT_RIGHTS = ("edits_participants", "prepares_payments")
PROPOSE_RIGHTS = (payouts.PROPOSE_RIGHT,)
PROPOSED = _("Het voorstel staat klaar. Een collega moet het goedkeuren; daarna wordt het betaald.")


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
        title=_("Spaarpot aanmaken"),
        intro=_(
            "Elke maand zet de betaalrun dit bedrag opzij uit het inkomen, vóór het leefgeld. "
            "Het geld blijft van de deelnemer; uitbetalen gaat met een voorstel dat een "
            "collega goedkeurt."
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
        done=_("De spaarpot is aangemaakt."),
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
        title=_("Uitbetalen uit spaarpot %(pot)s") % {"pot": pot.name},
        intro=_(
            "Beschikbaar: %(available)s (geboekt %(booked)s, al toegezegd %(promised)s). "
            "Een collega keurt de uitbetaling goed; de betaalrun van de gekozen maand betaalt."
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
        title=_("Spaarpot %(pot)s opheffen") % {"pot": pot.name},
        intro=_(
            "Er staat nu %(available)s beschikbaar. Het restant gaat naar de eigen rekening "
            "van de deelnemer, in de betaalrun van de gekozen maand. Een collega keurt het "
            "goed."
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
        title=_("Eenmalige betaling"),
        intro=_(
            "Uit het eigen geld van de deelnemer (buiten de spaarpotten): nu %(own)s. Is "
            "het bedrag hoger, dan is het verschil een voorschot en is een reden daarvoor "
            "verplicht. Een collega keurt de betaling goed."
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
            _("Dit is meer dan het eigen geld van de deelnemer; %(advance)s wordt een voorschot.")
            % {"advance": euro(payouts.advance_needed(participant, to_cents(d["amount"])))}
            if payouts.advance_needed(participant, to_cents(d["amount"]))
            else ""
        ],
    )
