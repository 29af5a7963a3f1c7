"""Pages of the monitor: the dashboards, measurement moments and snapshots, the evaluators'
export and the caseload report. The views hold no rules: services decide."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ontzorg.exceptions import Refused
from ontzorg.regelingen.models import Region

from . import caseload as caseload_report
from . import dashboard as figures
from . import services
from .forms import ExportForm, MomentForm
from .models import MeasurementMoment, Snapshot


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _download(download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _dashboard_page(request, regions, region=None):
    ids = [r.pk for r in regions]
    suppress = not services.sees_exact_figures(request.user, ids)
    context = {
        "region": region,
        "regions": regions,
        "figures": figures.figures(ids, today=timezone.localdate(), suppress=suppress),
        "may_export": services.may_export(request.user),
    }
    if region is None:
        context["per_region"] = figures.per_region(ids, suppress=suppress)
    return render(request, "monitor/dashboard.html", context)


@require_GET
def dashboard(request):
    _require(services.may_view_dashboard(request.user))
    regions = list(services.regions_for(request.user))
    if len(regions) == 1:
        return redirect("monitor:region", slug=regions[0].slug)
    return _dashboard_page(request, regions)


@require_GET
def region_dashboard(request, slug):
    _require(services.may_view_dashboard(request.user))
    region = services.regions_for(request.user).filter(slug=slug).first()
    if region is None:
        if Region.objects.filter(slug=slug).exists():
            raise PermissionDenied
        raise Http404("Regio niet gevonden")
    return _dashboard_page(request, [region], region)


def _moments_page(request, form=None, status=200):
    regions = services.regions_for(request.user)
    moments = (
        MeasurementMoment.objects.filter(region__in=regions)
        .select_related("region", "snapshot")
        .order_by("region__name", "on")
    )
    may_manage = services.may_export(request.user) or request.user.is_superuser
    return render(
        request,
        "monitor/moments.html",
        {
            "moments": moments,
            "today": timezone.localdate(),
            "form": (form or MomentForm(request.user)) if may_manage else None,
            "may_manage": may_manage,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def moments(request):
    _require(services.may_view_dashboard(request.user))
    if request.method == "GET":
        return _moments_page(request)
    form = MomentForm(request.user, request.POST)
    if form.is_valid():
        try:
            services.create_moment(
                request.user,
                form.cleaned_data["region"],
                form.cleaned_data["name"],
                form.cleaned_data["on"],
                request=request,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Het meetmoment is ingesteld.")
            return redirect("monitor:moments")
    return _moments_page(request, form, status=400)


@require_POST
def build_snapshot(request, pk):
    _require(services.may_view_dashboard(request.user))
    moment = (
        MeasurementMoment.objects.filter(region__in=services.regions_for(request.user))
        .filter(pk=pk)
        .first()
    )
    if moment is None:
        raise Http404("Meetmoment niet gevonden")
    try:
        snapshot = services.build_snapshot(request.user, moment, request=request)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"De momentopname is gemaakt: {snapshot.row_count} deelnemers vastgelegd."
        )
    return redirect("monitor:moments")


@require_http_methods(["GET", "POST"])
def export_page(request):
    _require(services.may_export(request.user))
    form = ExportForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            download = services.export(
                request.user,
                form.cleaned_data["part"],
                region=form.cleaned_data["region"],
                request=request,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _download(download)
    regions = services.regions_for(request.user)
    snapshots = (
        Snapshot.objects.filter(region__in=regions)
        .select_related("moment", "region")
        .order_by("region__name", "as_of")
    )
    return render(
        request,
        "monitor/export.html",
        {"form": form, "snapshots": snapshots},
        status=400 if form.errors else 200,
    )


@require_GET
def codebook(request):
    _require(services.may_export(request.user))
    return _download(services.codebook(request.user))


@require_GET
def caseload(request):
    _require(services.may_view_caseload(request.user))
    today = timezone.localdate()
    lines, totals = caseload_report.report(request.user, today)
    return render(
        request,
        "monitor/caseload.html",
        {"lines": lines, "totals": totals, "today": today},
    )
