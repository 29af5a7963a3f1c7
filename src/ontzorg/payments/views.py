"""Payment run screens for the backoffice: list, new run, run screen with progress,
shortfall decisions, four-eyes approval, export, download and booking.

Views hold no business rules: they read through `PaymentRun.objects.visible_to(user)` and
act through `services`, which check rights, lock and write the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ontzorg.audit.constants import Action
from ontzorg.audit.services import record
from ontzorg.exceptions import Refused
from ontzorg.plans.models import Plan, month_end
from ontzorg.regelingen.models import Region

from . import services
from .constants import RunStatus
from .forms import BookForm, ExportForm, NewRunForm, ShortfallForm
from .models import PaymentFile, PaymentRun, ShortfallCase
from .querysets import handles_payments, region_ids_for


def _require_payments(request):
    if not handles_payments(request.user):
        raise PermissionDenied


def _regions(user):
    allowed = region_ids_for(user)
    regions = Region.objects.all()
    return regions if allowed is None else regions.filter(pk__in=allowed)


def _run_or_404(request, pk) -> PaymentRun:
    _require_payments(request)
    return get_object_or_404(
        PaymentRun.objects.visible_to(request.user).select_related(
            "region", "prepared_by", "approved_by"
        ),
        pk=pk,
    )


@require_GET
def run_list(request):
    _require_payments(request)
    user = request.user
    runs = PaymentRun.objects.visible_to(user).select_related("region", "prepared_by")
    return render(
        request,
        "payments/run_list.html",
        {
            "runs": runs[:100],
            "form": NewRunForm(regions=_regions(user)),
            "may_prepare": user.has_right("prepares_payments"),
        },
    )


@require_http_methods(["GET", "POST"])
def run_new(request):
    """Confirm the region and month before a run starts; starting computes in the background."""
    _require_payments(request)
    user = request.user
    form = NewRunForm(request.POST or request.GET or None, regions=_regions(user))
    plans = None
    if form.is_valid():
        region, period = form.cleaned_data["region"], form.cleaned_data["month"]
        plans = (
            Plan.objects.open()
            .running_in(period, month_end(period))
            .filter(regeling__region=region)
            .count()
        )
        if request.method == "POST":
            try:
                run = services.prepare_run(
                    user, region, period, pain_version=form.cleaned_data["pain_version"]
                )
            except Refused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, f"{run} is gestart.")
                return redirect("payments:detail", pk=run.pk)
    return render(request, "payments/run_new.html", {"form": form, "plans": plans})


def _detail_context(request, run, shortfall_forms=None):
    user = request.user
    cases = list(run.shortfalls.select_related("participant", "decision__decided_by"))
    shortfall_forms = shortfall_forms or {}
    for case in cases:
        case.form = shortfall_forms.get(case.pk) or ShortfallForm(prefix=f"tekort-{case.pk}")
    is_preparer = run.prepared_by_id == user.pk
    return {
        "run": run,
        "totals": services.run_totals(run),
        "cases": cases,
        "files": list(run.files.all()),
        "is_preparer": is_preparer,
        "may_prepare": user.has_right("prepares_payments"),
        "may_approve": user.has_right("approves_payments") and not is_preparer,
        "is_stale": services.is_stale(run),
        "export_form": ExportForm(initial={"version": run.pain_version}),
        "book_form": BookForm(),
        "RunStatus": RunStatus,
    }


@require_GET
def run_detail(request, pk):
    run = _run_or_404(request, pk)
    return render(request, "payments/run_detail.html", _detail_context(request, run))


@require_GET
def run_progress(request, pk):
    """Polled every second while computing; asks htmx to reload the page once done."""
    run = _run_or_404(request, pk)
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


@require_POST
def run_decide(request, pk, case_pk):
    run = _run_or_404(request, pk)
    case = get_object_or_404(ShortfallCase, pk=case_pk, run=run)
    form = ShortfallForm(request.POST, prefix=f"tekort-{case.pk}")
    if not form.is_valid():
        context = _detail_context(request, run, {case.pk: form})
        return render(request, "payments/run_detail.html", context, status=400)
    return _act(
        request,
        run,
        lambda: services.decide_shortfall(
            request.user,
            case,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            extra_cents=form.extra_cents,
            request=request,
        ),
        f"Besluit over het tekort van {case.participant} vastgelegd.",
    )


@require_POST
def run_approve(request, pk):
    run = _run_or_404(request, pk)
    return _act(
        request,
        run,
        lambda: services.approve_run(request.user, run, request=request),
        "De betaalrun is goedgekeurd.",
    )


@require_POST
def run_export(request, pk):
    run = _run_or_404(request, pk)
    form = ExportForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    return _act(
        request,
        run,
        lambda: services.export_run(request.user, run, version=version, request=request),
        "Het betaalbestand is gemaakt en gecontroleerd tegen het XSD-schema.",
    )


@require_POST
def run_book(request, pk):
    run = _run_or_404(request, pk)
    if not BookForm(request.POST).is_valid():
        messages.error(request, "Bevestig eerst dat het bestand bij de bank is aangeboden.")
        return redirect("payments:detail", pk=run.pk)
    return _act(
        request,
        run,
        lambda: services.book_run(request.user, run, request=request),
        "De betaalrun is geboekt in het grootboek.",
    )


@require_POST
def run_cancel(request, pk):
    run = _run_or_404(request, pk)
    return _act(
        request,
        run,
        lambda: services.cancel_run(request.user, run, request=request),
        "De betaalrun is geannuleerd.",
    )


@require_POST
def run_resume(request, pk):
    run = _run_or_404(request, pk)
    return _act(
        request,
        run,
        lambda: services.resume_run(request.user, run),
        "De berekening is hervat.",
    )


@require_GET
def file_download(request, pk, file_pk):
    run = _run_or_404(request, pk)
    payment_file = get_object_or_404(PaymentFile, pk=file_pk, run=run)
    record(
        request.user,
        Action.EXPORT,
        run,
        summary=f"pain.001 {payment_file.message_id} gedownload",
        request=request,
    )
    if not default_storage.exists(payment_file.file.name):
        return HttpResponse("Het bestand is niet meer aanwezig; exporteer opnieuw.", status=410)
    return FileResponse(
        default_storage.open(payment_file.file.name),
        as_attachment=True,
        filename=payment_file.filename,
        content_type="application/xml",
    )
