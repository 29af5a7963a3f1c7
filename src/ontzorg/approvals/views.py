"""Pages of the proposals: the list a colleague works from, one proposal, and the
approve / reject / withdraw steps, each behind a confirmation page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused

from . import proposals
from .constants import APPROVE_RIGHT, PROPOSAL_RIGHTS
from .forms import FilterForm, RejectForm
from .models import Proposal

PROPOSALS = Proposal.objects.select_related("region", "participant", "proposed_by", "decided_by")
PROPOSAL = ("proposal", PROPOSALS)
FORM_METHODS = ("GET", "POST")


def _next(request, default: str) -> str:
    """Where to go back to: the page that linked here (same site only), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _kinds():
    return sorted(
        ((kind, str(action.label)) for kind, action in proposals.registry.items()),
        key=lambda pair: pair[1],
    )


@access.view(rights=PROPOSAL_RIGHTS)
def proposal_list(request):
    form = FilterForm(request.GET or None, kinds=_kinds())
    found = access.restrict(PROPOSALS, request.user).filter(status__in=form.statuses())
    if form.is_valid() and form.cleaned_data.get("soort"):
        found = found.filter(kind=form.cleaned_data["soort"])
    page = Paginator(found.order_by("-proposed_at", "-pk"), 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "approvals/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_approve": access.may(request.user, APPROVE_RIGHT),
        },
    )


def _details(proposal) -> list[tuple[str, object]]:
    action = proposals.registry.get(proposal.kind)
    return action.describe(proposal) if action else []


def _context(request, proposal, **extra) -> dict:
    return {
        "proposal": proposal,
        "details": _details(proposal),
        "target": proposal.target(),
        "own": proposal.proposed_by_id == request.user.pk,
        "may_approve": access.may(request.user, APPROVE_RIGHT),
        "next": _next(request, ""),
        **extra,
    }


@access.view(rights=PROPOSAL_RIGHTS, objects={"pk": PROPOSAL}, audit="voorstel")
def proposal_detail(request, proposal):
    return render(request, "approvals/detail.html", _context(request, proposal))


def _decide(request, proposal, perform, done: str):
    try:
        perform()
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("approvals:detail", pk=proposal.pk)
    messages.success(request, done)
    return redirect(_next(request, reverse("approvals:list")))


@access.view(
    methods=FORM_METHODS, rights=(APPROVE_RIGHT,), objects={"pk": PROPOSAL}, audit="voorstel"
)
def proposal_approve(request, proposal):
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _decide(
            request,
            proposal,
            lambda: proposals.approve(request.user, proposal),
            _("The proposal is approved and carried out."),
        )
    return render(request, "approvals/confirm.html", _context(request, proposal, step="approve"))


@access.view(
    methods=FORM_METHODS, rights=(APPROVE_RIGHT,), objects={"pk": PROPOSAL}, audit="voorstel"
)
def proposal_reject(request, proposal):
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "1":
            return _decide(
                request,
                proposal,
                lambda: proposals.reject(
                    request.user, proposal, reason=form.cleaned_data["reason"]
                ),
                _("The proposal is rejected."),
            )
        return render(
            request,
            "approvals/confirm.html",
            _context(request, proposal, step="reject", form=form),
        )
    return render(request, "approvals/reject.html", _context(request, proposal, form=form))


@access.view(
    methods=FORM_METHODS, rights=PROPOSAL_RIGHTS, objects={"pk": PROPOSAL}, audit="voorstel"
)
def proposal_withdraw(request, proposal):
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _decide(
            request,
            proposal,
            lambda: proposals.withdraw(request.user, proposal),
            _("The proposal is withdrawn."),
        )
    return render(request, "approvals/confirm.html", _context(request, proposal, step="withdraw"))
