"""Back-office pages for payees' account data ("Rekeninggegevens begunstigde"): the creditors
of the user's regions, and one page per creditor and per participant where a change of the
name as the bank knows it, the IBAN or the BIC is proposed for a colleague to approve."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.payments import sepa

from . import payees
from .forms import PayeeForm
from .models import Creditor
from .views import PARTICIPANT

RIGHTS = (payees.RIGHT,)
CREDITORS = access.Within(Creditor, lambda user: Creditor.objects.in_scope_of(user))
PAGE_SIZE = 50


@access.view(rights=RIGHTS)
def creditor_list(request):
    creditors = Creditor.objects.in_scope_of(request.user).select_related("region")
    without_name = request.GET.get("zonder_naam") == "1"
    if without_name:
        creditors = creditors.filter(account_holder_name="")
    page = Paginator(creditors.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/creditor_list.html", {"page": page, "without_name": without_name})


@access.view(
    methods=("GET", "POST"),
    rights=RIGHTS,
    objects={"participant_pk": PARTICIPANT},
    audit="rekeninggegevens",
)
def participant_payee(request, participant):
    return _payee_page(
        request,
        participant,
        own_name=participant.full_name,
        back=("participants:detail", participant.pk),
    )


@access.view(
    methods=("GET", "POST"), rights=RIGHTS, objects={"creditor_pk": ("creditor", CREDITORS)}
)
def creditor_payee(request, creditor):
    return _payee_page(request, creditor, own_name=creditor.name, back=("plans:creditors", None))


def _payee_page(request, payee, *, own_name, back):
    current = payees.account_of(payee)
    initial = dict(current)
    suggested = ""
    if not current["account_holder_name"]:
        suggested = sepa.latin_form(own_name) or sepa.suggest_name(own_name)
        initial["account_holder_name"] = suggested[: sepa.MAX_NAME_LENGTH]
    form = PayeeForm(request.POST or None, initial=initial, payee=payee)
    if request.method == "POST" and form.is_valid():
        try:
            payees.propose_change(request.user, payee, form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "The proposal has been recorded. A colleague who approves payments "
                    "must approve it; until then the old details apply."
                ),
            )
            return redirect(request.path)
    return render(
        request,
        "plans/payee.html",
        {
            "payee": payee,
            "is_participant": payees.kind_of(payee) == payees.PARTICIPANT,
            "own_name": own_name,
            "current": current,
            "suggested": suggested,
            "form": form,
            "pending": payees.pending_for(payee),
            "back_url": _url(*back),
        },
        status=400 if form.errors else 200,
    )


def _url(name, pk):
    return reverse(name, args=[pk] if pk is not None else [])
