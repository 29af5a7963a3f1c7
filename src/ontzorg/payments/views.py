"""Payment run screens for the backoffice: list, new run, run screen with progress,
shortfall decisions, four-eyes approval, export, download and booking.

Views hold no business rules: `core.access` checks each page's rights and scope (declared
on the view), and `services` act, lock and write the audit trail."""

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ontzorg.approvals import proposals
from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.core.privacy import mask_digits
from ontzorg.exceptions import Refused
from ontzorg.plans import plausibility
from ontzorg.regelingen.models import Region

from . import debtor_accounts, events, review, services
from .constants import RunStatus
from .forms import (
    BookForm,
    DebtorAccountForm,
    ExportForm,
    InstructionFilterForm,
    NewRunForm,
    ShortfallForm,
)
from .models import (
    AllowanceWarning,
    DebtorAccount,
    PayeeCase,
    PaymentFile,
    PaymentRun,
    ShortfallCase,
)
from .querysets import PAYMENT_RIGHTS

PREPARES = ("prepares_payments",)
APPROVES = ("approves_payments",)
RUN = (
    "run",
    PaymentRun.objects.select_related("region", "prepared_by", "approved_by").annotate(
        # Read with the run, so a run without them costs no query for these two lists.
        has_held_back=Exists(PayeeCase.objects.filter(run=OuterRef("pk"))),
        has_low_allowance=Exists(AllowanceWarning.objects.filter(run=OuterRef("pk"))),
    ),
)


def _regions(user):
    allowed = access.region_wide_ids(user)
    regions = Region.objects.all()
    return regions if allowed is None else regions.filter(pk__in=allowed)


@access.view(rights=PAYMENT_RIGHTS)
def run_list(request):
    user = request.user
    runs = PaymentRun.objects.visible_to(user).select_related("region", "prepared_by")
    return render(
        request,
        "payments/run_list.html",
        {
            "runs": runs[:100],
            "form": NewRunForm(regions=_regions(user)),
            "may_prepare": access.may(user, *PREPARES),
        },
    )


@access.view(methods=("GET", "POST"), rights=PREPARES)
def run_new(request):
    """Confirm the region and month before a run starts; starting computes in the background."""
    user = request.user
    form = NewRunForm(request.POST or request.GET or None, regions=_regions(user))
    plans = None
    if form.is_valid():
        region, period = form.cleaned_data["region"], form.cleaned_data["month"]
        plans = services.payable_plans(region, period).count()
        if request.method == "POST":
            try:
                run = services.prepare_run(
                    user, region, period, pain_version=form.cleaned_data["pain_version"]
                )
            except Refused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("%(run)s has started.") % {"run": run})
                return redirect("payments:detail", pk=run.pk)
    return render(request, "payments/run_new.html", {"form": form, "plans": plans})


def _detail_context(request, run, shortfall_forms=None):
    user = request.user
    cases = list(
        run.shortfalls.select_related(
            "participant", "decision__decided_by", "decision__approved_by"
        )
    )
    waiting = list(proposals.pending(user=user, region=run.region, period=run.period))
    proposed = {p.target_id for p in waiting if p.kind == services.SHORTFALL_DECIDE}
    shortfall_forms = shortfall_forms or {}
    for case in cases:
        case.form = shortfall_forms.get(case.pk) or ShortfallForm(prefix=f"tekort-{case.pk}")
        case.proposed = case.pk in proposed
    is_preparer = run.prepared_by_id == user.pk
    return {
        "run": run,
        "totals": services.run_totals(run),
        "execution_days": services.execution_days(run),
        "cutoff": settings.ONTZORG_PAYMENT_CUTOFF,
        "cases": cases,
        "held_back": (
            list(run.payee_cases.select_related("participant", "creditor", "carried_to__region"))
            if getattr(run, "has_held_back", True)
            else []
        ),
        "allowance_warnings": (
            list(run.allowance_warnings.select_related("participant"))
            if getattr(run, "has_low_allowance", True)
            else []
        ),
        "high_amounts": (plausibility.high_amounts(run) if run.status == RunStatus.DRAFT else []),
        "proposals": waiting,
        "files": list(run.files.select_related("debtor_account__municipality")),
        "accounts": debtor_accounts.split(run),
        "review": _review_summary(run),
        "instruction_form": InstructionFilterForm(),
        "is_preparer": is_preparer,
        "may_prepare": access.may(user, *PREPARES),
        "may_approve": access.may(user, *APPROVES) and not is_preparer,
        "is_stale": services.is_stale(run),
        "export_form": ExportForm(initial={"version": run.pain_version}),
        "book_form": BookForm(),
        "RunStatus": RunStatus,
    }


@access.view(rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_detail(request, run):
    return render(request, "payments/run_detail.html", _detail_context(request, run))


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_recheck(request, run):
    """Check the held-back payments again after their payees' data were fixed."""
    try:
        paid, held = services.recheck_held_back(request.user, run)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        if held:
            text = _("%(paid)s held-back payee(s) now paid; %(held)s still held back.") % {
                "paid": paid,
                "held": held,
            }
        else:
            text = _("%(paid)s held-back payee(s) now paid.") % {"paid": paid}
        messages.success(request, text)
    return redirect("payments:detail", pk=run.pk)


@access.view(rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_progress(request, run):
    """Polled every second while computing; asks htmx to reload the page once done."""
    response = render(request, "payments/_progress.html", {"run": run})
    if run.status != RunStatus.PREPARING:
        response["HX-Refresh"] = "true"
    return response


def _act(request, run, action, success: str):
    try:
        action()
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)
    return redirect("payments:detail", pk=run.pk)


@access.view(
    methods=("POST",),
    rights=PREPARES,
    objects={"pk": RUN, "case_pk": ("case", ShortfallCase.objects.select_related("participant"))},
)
def run_decide(request, run, case):
    if case.run_id != run.pk:
        raise Http404
    form = ShortfallForm(request.POST, prefix=f"tekort-{case.pk}")
    if not form.is_valid():
        context = _detail_context(request, run, {case.pk: form})
        return render(request, "payments/run_detail.html", context, status=400)
    return _act(
        request,
        run,
        lambda: services.propose_shortfall_decision(
            request.user,
            case,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            extra_cents=form.extra_cents,
        ),
        _("Proposal on the shortfall of %(participant)s recorded. A colleague must approve it.")
        % {"participant": case.participant},
    )


@access.view(methods=("POST",), rights=APPROVES, objects={"pk": RUN})
def run_approve(request, run):
    return _act(
        request,
        run,
        lambda: services.approve_run(request.user, run),
        _("The payment run has been approved."),
    )


@access.view(methods=("POST",), rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_export(request, run):
    form = ExportForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    return _act(
        request,
        run,
        lambda: services.export_run(request.user, run, version=version),
        _("The payment file has been created and checked against the XSD schema."),
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_book(request, run):
    if not BookForm(request.POST).is_valid():
        messages.error(request, _("First confirm that the file has been submitted to the bank."))
        return redirect("payments:detail", pk=run.pk)
    return _act(
        request,
        run,
        lambda: services.book_run(request.user, run),
        _("The payment run has been booked in the ledger."),
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_cancel(request, run):
    return _act(
        request,
        run,
        lambda: services.cancel_run(request.user, run),
        _("The payment run has been cancelled."),
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_resume(request, run):
    return _act(
        request,
        run,
        lambda: services.resume_run(request.user, run),
        _("The computation has been resumed."),
    )


@access.view(
    rights=PAYMENT_RIGHTS,
    objects={"pk": RUN, "file_pk": ("payment_file", PaymentFile)},
)
def file_download(request, run, payment_file):
    if payment_file.run_id != run.pk:
        raise Http404
    record(request.user, events.FILE_DOWNLOADED, run, message_id=payment_file.message_id)
    if not default_storage.exists(payment_file.file.name):
        return HttpResponse(_("The file is no longer there; export again."), status=410)
    return FileResponse(
        default_storage.open(payment_file.file.name),
        as_attachment=True,
        filename=payment_file.filename,
        content_type="application/xml",
    )


# --- the approver's view: every payment, and what changed since last month --------------------


def _review_summary(run):
    """The change counts for the run page, once the run is computed."""
    if run.status in (RunStatus.PREPARING, RunStatus.CANCELLED):
        return None
    return review.summary(run, review.previous_run(run))


def _record_listed(user, run, event, rows, search: str) -> None:
    """One audit entry per shown page of payees with their IBANs: how many, and the search
    with any number masked."""
    if access.may(user, "sees_bank"):
        record(user, event, run, run=str(run), count=len(rows), search=mask_digits(search) or "-")


# Carried from page to page in the POST body; the page number is the button's own.
NOT_CARRIED = ("csrfmiddlewaretoken", "pagina")


@access.view(methods=("GET", "POST"), rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_instructions(request, run):
    """Every payment of the run, filtered, sorted and paged; each row links to its plan.
    An htmx request (from the run page or this page's own filters) gets only the results.
    The filters post (a search never ends up in a URL); a link may still narrow the list by
    its query string, but never search."""
    user = request.user
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET.copy()
        data.pop("q", None)
    form = InstructionFilterForm(data or None)
    previous = review.previous_run(run)
    found = review.instructions(
        run,
        previous=previous,
        sees_bank=access.may(user, "sees_bank"),
        **form.filters(),
    )
    page = review.page_of(found, data.get("pagina"))
    rows = list(page.object_list)
    _record_listed(user, run, events.INSTRUCTIONS_VIEWED, rows, form.cleaned_search)
    changes = review.changes_of(run, previous, {i.participant_id for i in rows})
    for instruction in rows:
        instruction.change = changes.get((instruction.participant_id, review.payee_of(instruction)))
    context = {
        "run": run,
        "form": form,
        "page": page,
        "rows": rows,
        "previous": previous,
        "filtered": form.narrows,
        "carried": [
            (key, value)
            for key, values in data.lists()
            if key not in NOT_CARRIED
            for value in values
            if value
        ],
        "sees_bank": access.may(user, "sees_bank"),
        "RunStatus": RunStatus,
    }
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, "payments/_instructions.html", context)
    return render(request, "payments/run_instructions.html", context)


@access.view(rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_changes(request, run):
    """What changed since the region's previous approved run, per group; one group paged
    with ?groep=…&pagina=…, else the first rows of every group."""
    previous = review.previous_run(run)
    try:
        group = review.Group(request.GET.get("groep", ""))
    except ValueError:
        group = None
    try:
        number = max(1, int(request.GET.get("pagina", 1))) if group else 1
    except ValueError:
        number = 1
    summary, sections = review.group_rows(run, previous, group=group, number=number)
    shown = [row for section in sections for row in section.rows]
    _record_listed(request.user, run, events.CHANGES_VIEWED, shown, "")
    return render(
        request,
        "payments/run_changes.html",
        {
            "run": run,
            "previous": previous,
            "summary": summary,
            "group": group,
            "sections": sections,
            "sees_bank": access.may(request.user, "sees_bank"),
        },
    )


@access.view(
    methods=("GET", "POST"),
    rights=PREPARES,
    objects={"pk": ("account", DebtorAccount.objects.select_related("region"))},
)
def debtor_account(request, account):
    """Propose another name, IBAN or BIC for the region's paying account (four eyes)."""
    form = DebtorAccountForm(request.POST or None, initial=debtor_accounts.account_of(account))
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "1":
            try:
                proposal = debtor_accounts.propose_change(request.user, account, form.cleaned_data)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Proposal recorded. A colleague must approve it."))
                return redirect("approvals:detail", pk=proposal.pk)
        else:
            confirming = True
    return render(
        request,
        "payments/debtor_account.html",
        {
            "account": account,
            "form": form,
            "confirming": confirming,
            "proposals": proposals.pending(
                user=request.user, kind=debtor_accounts.CHANGE, target=account
            ),
        },
    )
