"""Pages of the monitor: the dashboards, measurement moments and snapshots, the evaluators'
export and the caseload report. The views hold no rules: services decide.

Every view declares its access with `ontzorg.core.access.view`. The dashboards and the
caseload are open to a role scope rather than a right (`check=` services.may_view_dashboard,
may_view_caseload), and the monitor's regions follow the organisation (an evaluator's
onderzoeksbureau works for every region: services.regions_for, declared as the objects'
source); a region or moment outside the user's regions is not found (404)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.regelingen.models import Region

from . import caseload as caseload_report
from . import dashboard as figures
from . import services, whatworks
from .forms import ExportForm, MomentForm, WhatWorksForm
from .models import MeasurementMoment, Snapshot

EXPORTS = (services.EXPORTS,)
REGIONS = access.Within(Region, services.regions_for)
MOMENTS = access.Within(
    MeasurementMoment,
    lambda user: MeasurementMoment.objects.filter(region__in=services.regions_for(user)),
)


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


@access.view(check=services.may_view_dashboard)
def dashboard(request):
    regions = list(services.regions_for(request.user))
    if len(regions) == 1:
        return redirect("monitor:region", slug=regions[0].slug)
    return _dashboard_page(request, regions)


@access.view(check=services.may_view_dashboard, objects={"slug": ("region", REGIONS)})
def region_dashboard(request, region):
    return _dashboard_page(request, [region], region)


def _what_works_page(request, regions, region=None):
    ids = [r.pk for r in regions]
    form = WhatWorksForm(request.GET or None)
    outcome, breakdown = form.choice()
    if not form.is_bound:
        form = WhatWorksForm(initial={"outcome": outcome, "breakdown": breakdown})
    suppress = not services.sees_exact_figures(request.user, ids)
    return render(
        request,
        "monitor/what_works.html",
        {
            "region": region,
            "regions": regions,
            "form": form,
            "comparison": whatworks.compare(
                ids, outcome=outcome, breakdown=breakdown, suppress=suppress
            ),
        },
    )


@access.view(check=services.may_view_dashboard)
def what_works(request):
    regions = list(services.regions_for(request.user))
    if len(regions) == 1:
        url = reverse("monitor:region_what_works", args=[regions[0].slug])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return _what_works_page(request, regions)


@access.view(check=services.may_view_dashboard, objects={"slug": ("region", REGIONS)})
def region_what_works(request, region):
    return _what_works_page(request, [region], region)


def _moments_page(request, form=None, status=200):
    regions = services.regions_for(request.user)
    moments = (
        MeasurementMoment.objects.filter(region__in=regions)
        .select_related("region", "snapshot")
        .order_by("region__name", "on")
    )
    may_manage = services.may_export(request.user)
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


@access.view(methods=("GET", "POST"), check=services.may_view_dashboard)
def moments(request):
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
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The measurement moment has been set."))
            return redirect("monitor:moments")
    return _moments_page(request, form, status=400)


@access.view(methods=("POST",), rights=EXPORTS, objects={"pk": ("moment", MOMENTS)})
def build_snapshot(request, moment):
    try:
        snapshot = services.build_snapshot(request.user, moment)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The snapshot has been built: %(rows)s participants recorded.")
            % {"rows": snapshot.row_count},
        )
    return redirect("monitor:moments")


@access.view(methods=("GET", "POST"), rights=EXPORTS)
def export_page(request):
    form = ExportForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            download = services.export(
                request.user,
                form.cleaned_data["part"],
                region=form.cleaned_data["region"],
                study=form.cleaned_data.get("study"),
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


@access.view(rights=EXPORTS)
def codebook(request):
    return _download(services.codebook(request.user))


@access.view(check=services.may_view_caseload)
def caseload(request):
    today = timezone.localdate()
    lines, totals = caseload_report.report(request.user, today)
    return render(
        request,
        "monitor/caseload.html",
        {"lines": lines, "totals": totals, "today": today},
    )
