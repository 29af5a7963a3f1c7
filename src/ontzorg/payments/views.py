"""Payment run screens for the backoffice: list, new run, run screen with progress,
shortfall decisions, four-eyes approval, export, download and booking.

Views hold no business rules: `core.access` checks each page's rights and scope (declared
on the view), and `services` act, lock and write the audit trail."""

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.regelingen.models import Region

from . import events, services
from .constants import RunStatus
from .forms import BookForm, ExportForm, NewRunForm, ShortfallForm
from .models import PaymentFile, PaymentRun, ShortfallCase
from .querysets import PAYMENT_RIGHTS

PREPARES = ("prepares_payments",)
APPROVES = ("approves_payments",)
RUN = ("run", PaymentRun.objects.select_related("region", "prepared_by", "approved_by"))


def _regions(user):
    allowed = access.region_ids(user)
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
        "execution_days": services.execution_days(run),
        "cutoff": settings.ONTZORG_PAYMENT_CUTOFF,
        "cases": cases,
        "files": list(run.files.all()),
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
        lambda: services.decide_shortfall(
            request.user,
            case,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            extra_cents=form.extra_cents,
        ),
        f"Besluit over het tekort van {case.participant} vastgelegd.",
    )


@access.view(methods=("POST",), rights=APPROVES, objects={"pk": RUN})
def run_approve(request, run):
    return _act(
        request,
        run,
        lambda: services.approve_run(request.user, run),
        "De betaalrun is goedgekeurd.",
    )


@access.view(methods=("POST",), rights=PAYMENT_RIGHTS, objects={"pk": RUN})
def run_export(request, run):
    form = ExportForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    return _act(
        request,
        run,
        lambda: services.export_run(request.user, run, version=version),
        "Het betaalbestand is gemaakt en gecontroleerd tegen het XSD-schema.",
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_book(request, run):
    if not BookForm(request.POST).is_valid():
        messages.error(request, "Bevestig eerst dat het bestand bij de bank is aangeboden.")
        return redirect("payments:detail", pk=run.pk)
    return _act(
        request,
        run,
        lambda: services.book_run(request.user, run),
        "De betaalrun is geboekt in het grootboek.",
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_cancel(request, run):
    return _act(
        request,
        run,
        lambda: services.cancel_run(request.user, run),
        "De betaalrun is geannuleerd.",
    )


@access.view(methods=("POST",), rights=PREPARES, objects={"pk": RUN})
def run_resume(request, run):
    return _act(
        request,
        run,
        lambda: services.resume_run(request.user, run),
        "De berekening is hervat.",
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
        return HttpResponse("Het bestand is niet meer aanwezig; exporteer opnieuw.", status=410)
    return FileResponse(
        default_storage.open(payment_file.file.name),
        as_attachment=True,
        filename=payment_file.filename,
        content_type="application/xml",
    )
