"""Bank screens for the backoffice: upload with progress, import report, list of imports,
the work queue of unmatched entries and the returned payments.

Views hold no business rules: each declares its access (``ontzorg.core.access.view``), reads
through ``querysets`` and acts through ``imports``, ``decisions`` and ``repay``, which
check rights and regions again and write the audit trail."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ontzorg.approvals import proposals
from ontzorg.audit.services import record
from ontzorg.core import access, privacy
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant

from . import decisions, events, imports, querysets, repay
from .constants import BANK_RIGHT, RUNNING_STATUSES, ReturnStatus
from .forms import IgnoreForm, InstructionForm, ParticipantForm, UploadForm
from .models import BankEntry, ReturnedPayment, StatementImport

IMPORTS = StatementImport.objects.select_related("uploaded_by", "region")


@access.view(rights=(BANK_RIGHT,))
def import_list(request):
    user = request.user
    return render(
        request,
        "banking/import_list.html",
        {
            "imports": querysets.visible_imports(user)[:100],
            "queue_count": querysets.work_queue(user).count(),
            "open_returns": querysets.visible_returns(user)
            .filter(status=ReturnStatus.OPEN)
            .count(),
        },
    )


@access.view(methods=("GET", "POST"), rights=(BANK_RIGHT,))
def upload(request):
    regions = querysets.regions_with_account(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            job = imports.receive_upload(
                request.user, form.cleaned_data["file"], region=form.cleaned_data["region"]
            )
            return redirect("banking:import", pk=job.pk)
    else:
        form = UploadForm(regions=regions, initial={"region": regions.first()})
    return render(
        request,
        "banking/upload.html",
        {"form": form, "has_regions": regions.exists()},
        status=400 if form.errors else 200,
    )


@access.view(rights=(BANK_RIGHT,), objects={"pk": ("job", IMPORTS)})
def import_detail(request, job):
    kinds = (
        job.entries.filter(reconciliation__isnull=False)
        .values("reconciliation__kind")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "banking/import_detail.html",
        {
            "job": job,
            "running": job.status in RUNNING_STATUSES and not imports.is_stale(job),
            "resumable": imports.may_resume(job),
            "kinds": {row["reconciliation__kind"]: row["n"] for row in kinds},
            "unmatched": job.entries.filter(match_status="unmatched").order_by("pk")[:50],
        },
    )


@access.view(rights=(BANK_RIGHT,), objects={"pk": ("job", IMPORTS)})
def import_progress(request, job):
    """Polled every second while the import runs; asks htmx to reload the page once done
    (or once the import went silent, so that the page offers to resume it)."""
    running = job.status in RUNNING_STATUSES and not imports.is_stale(job)
    response = render(request, "banking/_progress.html", {"job": job, "running": running})
    if not running:
        response["HX-Refresh"] = "true"
    return response


@access.view(methods=("POST",), rights=(BANK_RIGHT,), objects={"pk": ("job", IMPORTS)})
def import_resume(request, job):
    try:
        imports.resume_import(request.user, job)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The import continues where it left off; what has been stored stays."),
        )
    return redirect("banking:import", pk=job.pk)


# The search form posts: a searched BSN never ends up in a URL (core.privacy).
@access.view(methods=("GET", "POST"), rights=(BANK_RIGHT,))
def queue(request):
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    entries = querysets.work_queue(user)
    search = data.get("zoek", "").strip() if request.method == "POST" else ""
    if search:
        entries = querysets.search_queue(user, entries, search)
        record(
            user,
            events.QUEUE_SEARCHED,
            object_type=BankEntry._meta.label,
            search=privacy.mask_digits(search),
        )
    direction = data.get("richting", "")
    if direction == "bij":
        entries = entries.filter(amount_cents__gt=0)
    elif direction == "af":
        entries = entries.filter(amount_cents__lt=0)
    elif direction == "herhaald":
        entries = entries.filter(repeats__isnull=False)
    return render(
        request,
        "banking/queue.html",
        {
            "entries": entries[:200],
            "total": entries.count(),
            "direction": direction,
            "search": search,
            "sees_bsn": access.may(user, "sees_bsn"),
        },
    )


@access.view(
    methods=("GET", "POST"),
    rights=(BANK_RIGHT,),
    objects={"pk": ("entry", BankEntry.objects.select_related("statement", "repeats"))},
)
def entry_detail(request, entry):
    user = request.user
    in_region = Participant.objects.visible_to(user).filter(
        regeling__region_id=entry.statement.region_id
    )
    search = request.GET.get("zoek", "").strip()
    if search:
        shown = in_region.search(search)
    else:
        # Suggestions: whoever expects exactly this amount as income.
        shown = in_region.filter(incomes__amount_cents=abs(entry.amount_cents))
    shown_ids = list(shown.order_by("last_name", "first_name").values_list("pk", flat=True)[:50])
    participants = in_region.filter(pk__in=shown_ids).order_by("last_name", "first_name")
    forms = {
        "participant": ParticipantForm(prefix="p", participants=participants),
        "instruction": InstructionForm(prefix="i"),
        "ignore": IgnoreForm(prefix="n"),
    }
    if request.method == "POST":
        action = request.POST.get("actie")
        done = _decide(request, entry, action, forms, in_region)
        if done:
            return redirect("banking:queue")
    else:
        record(user, events.ENTRY_VIEWED, entry, entry=entry.pk)
    return render(
        request,
        "banking/entry.html",
        {
            "entry": entry,
            "forms": forms,
            "search": search,
            "is_credit": entry.amount_cents > 0,
            "reconciliation": getattr(entry, "reconciliation", None),
        },
        status=400 if request.method == "POST" else 200,
    )


def _decide(request, entry, action, forms, participants) -> bool:
    user = request.user
    if action == "deelnemer":
        form = ParticipantForm(request.POST, prefix="p", participants=participants)
        forms["participant"] = form
        perform = lambda data: decisions.assign_to_participant(  # noqa: E731
            user, entry, data["participant"], note=data["note"]
        )
        done = _("The entry has been matched to the participant.")
    elif action == "betaling":
        form = InstructionForm(request.POST, prefix="i")
        forms["instruction"] = form
        perform = lambda data: decisions.assign_to_instruction(  # noqa: E731
            user, entry, data["end_to_end_id"], note=data["note"]
        )
        done = _("The entry has been matched to the payment.")
    elif action == "geen":
        form = IgnoreForm(request.POST, prefix="n")
        forms["ignore"] = form
        perform = lambda data: decisions.ignore_entry(user, entry, note=data["note"])  # noqa: E731
        done = _("The entry has been dealt with without a participant.")
    else:
        messages.error(request, _("Choose what to do with this entry."))
        return False
    if not form.is_valid():
        return False
    try:
        perform(form.cleaned_data)
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return False
    messages.success(request, done)
    return True


@access.view(rights=(BANK_RIGHT,))
def returns(request):
    items = querysets.visible_returns(request.user)
    show = request.GET.get("status", ReturnStatus.OPEN)
    if show in ReturnStatus.values:
        items = items.filter(status=show)
    waiting = list(proposals.pending(user=request.user, kind=repay.REPAY))
    return render(
        request,
        "banking/returns.html",
        {
            "returns": items[:200],
            "proposals": waiting,
            "proposed": {p.target_id for p in waiting},
            "may_change_payees": access.may(request.user, "prepares_payments"),
            "show": show,
            "statuses": ReturnStatus.choices,
            "counts": querysets.visible_returns(request.user).aggregate(
                open=Count("pk", filter=Q(status=ReturnStatus.OPEN)),
                repaid=Count("pk", filter=Q(status=ReturnStatus.REPAID)),
            ),
        },
    )


@access.view(methods=("POST",), rights=(BANK_RIGHT,), objects={"pk": ("returned", ReturnedPayment)})
def retry(request, returned):
    try:
        repay.propose_retry(request.user, returned)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "Proposal to pay again recorded. When a colleague approves it, the "
                "payment file is ready here to submit to the bank."
            ),
        )
    return redirect("banking:returns")


@access.view(
    rights=(BANK_RIGHT,),
    objects={"pk": ("returned", ReturnedPayment.objects.exclude(repay_file=""))},
)
def retry_file(request, returned):
    record(
        request.user,
        events.REPAY_FILE_DOWNLOADED,
        returned,
        repay_end_to_end_id=returned.repay_end_to_end_id,
    )
    if not default_storage.exists(returned.repay_file):
        return HttpResponse(_("The file is no longer there."), status=410)
    return FileResponse(
        default_storage.open(returned.repay_file),
        as_attachment=True,
        filename=f"{returned.repay_end_to_end_id}.xml",
        content_type="application/xml",
    )
