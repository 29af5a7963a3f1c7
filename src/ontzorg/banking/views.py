"""Bank screens for the backoffice: upload with progress, import report, list of imports,
the work queue of unmatched entries and the returned payments.

Views hold no business rules: they read through the scoping functions of ``querysets`` and
act through ``services``, which check rights and regions and write the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ontzorg.audit.constants import Action
from ontzorg.audit.services import record
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant
from ontzorg.payments.querysets import region_ids_for
from ontzorg.regelingen.models import Region

from . import querysets, reconcile, services
from .constants import ImportStatus, ReturnStatus
from .forms import IgnoreForm, InstructionForm, ParticipantForm, UploadForm

RUNNING = (ImportStatus.RECEIVED, ImportStatus.PARSED)


def _require(request):
    if not services.may_import(request.user):
        raise PermissionDenied


def _regions(user):
    allowed = region_ids_for(user)
    regions = Region.objects.filter(debtor_account__isnull=False)
    return regions if allowed is None else regions.filter(pk__in=allowed)


@require_GET
def import_list(request):
    _require(request)
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


@require_http_methods(["GET", "POST"])
def upload(request):
    _require(request)
    regions = _regions(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            job = services.receive_upload(
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


def _import_or_404(request, pk):
    _require(request)
    return get_object_or_404(querysets.visible_imports(request.user), pk=pk)


@require_GET
def import_detail(request, pk):
    job = _import_or_404(request, pk)
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
            "running": job.status in RUNNING,
            "kinds": {row["reconciliation__kind"]: row["n"] for row in kinds},
            "unmatched": job.entries.filter(match_status="unmatched").order_by("pk")[:50],
        },
    )


@require_GET
def import_progress(request, pk):
    """Polled every second while the import runs; asks htmx to reload the page once done."""
    job = _import_or_404(request, pk)
    response = render(
        request, "banking/_progress.html", {"job": job, "running": job.status in RUNNING}
    )
    if job.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_GET
def queue(request):
    _require(request)
    entries = querysets.work_queue(request.user)
    direction = request.GET.get("richting", "")
    if direction == "bij":
        entries = entries.filter(amount_cents__gt=0)
    elif direction == "af":
        entries = entries.filter(amount_cents__lt=0)
    return render(
        request,
        "banking/queue.html",
        {"entries": entries[:200], "total": entries.count(), "direction": direction},
    )


@require_http_methods(["GET", "POST"])
def entry_detail(request, pk):
    _require(request)
    user = request.user
    entry = get_object_or_404(querysets.visible_entries(user).select_related("statement"), pk=pk)
    region_id = reconcile.region_by_account().get(reconcile.normalise_iban(entry.account_iban))
    in_region = Participant.objects.visible_to(user).filter(regeling__region_id=region_id)
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
        record(user, Action.VIEW, entry, summary=f"bankpost {entry.pk} bekeken", request=request)
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
        perform = lambda data: services.assign_to_participant(  # noqa: E731
            user, entry, data["participant"], note=data["note"], request=request
        )
        done = "De post is aan de deelnemer gekoppeld."
    elif action == "betaling":
        form = InstructionForm(request.POST, prefix="i")
        forms["instruction"] = form
        perform = lambda data: services.assign_to_instruction(  # noqa: E731
            user, entry, data["end_to_end_id"], note=data["note"], request=request
        )
        done = "De post is aan de betaling gekoppeld."
    elif action == "geen":
        form = IgnoreForm(request.POST, prefix="n")
        forms["ignore"] = form
        perform = lambda data: services.ignore_entry(  # noqa: E731
            user, entry, note=data["note"], request=request
        )
        done = "De post is afgehandeld zonder deelnemer."
    else:
        messages.error(request, "Kies wat u met deze post wilt doen.")
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


@require_GET
def returns(request):
    _require(request)
    items = querysets.visible_returns(request.user)
    show = request.GET.get("status", ReturnStatus.OPEN)
    if show in ReturnStatus.values:
        items = items.filter(status=show)
    return render(
        request,
        "banking/returns.html",
        {
            "returns": items[:200],
            "show": show,
            "statuses": ReturnStatus.choices,
            "counts": querysets.visible_returns(request.user).aggregate(
                open=Count("pk", filter=Q(status=ReturnStatus.OPEN)),
                repaid=Count("pk", filter=Q(status=ReturnStatus.REPAID)),
            ),
        },
    )


@require_POST
def retry(request, pk):
    _require(request)
    returned = get_object_or_404(querysets.visible_returns(request.user), pk=pk)
    try:
        services.retry_payment(request.user, returned, request=request)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "De betaling is opnieuw klaargezet. Download het betaalbestand en bied het aan bij "
            "de bank.",
        )
    return redirect("banking:returns")


@require_GET
def retry_file(request, pk):
    _require(request)
    returned = get_object_or_404(
        querysets.visible_returns(request.user).exclude(repay_file=""), pk=pk
    )
    record(
        request.user,
        Action.EXPORT,
        returned,
        summary=f"pain.001 herbetaling {returned.repay_end_to_end_id} gedownload",
        request=request,
    )
    if not default_storage.exists(returned.repay_file):
        return HttpResponse("Het bestand is niet meer aanwezig.", status=410)
    return FileResponse(
        default_storage.open(returned.repay_file),
        as_attachment=True,
        filename=f"{returned.repay_end_to_end_id}.xml",
        content_type="application/xml",
    )
