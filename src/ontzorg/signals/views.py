"""Pages for following up signals: the list (with the queue), a signal, the CSV upload, the
page of an uploaded file, which shows how far reading it in got, and the arrears list per
creditor for a month (page and CSV)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.core.dates import month_label
from ontzorg.core.spreadsheet import safe_cell
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant

from . import arrears, csv_layout, services, uploads
from .constants import OPEN_STATUSES, ImportStatus, RouteTarget, Status
from .forms import ArrearsForm, FilterForm, MatchForm, StatusForm, UploadForm
from .models import Signal, SignalImport
from .querysets import FOLLOW_UP_RIGHTS, QUEUE_RIGHTS, handles_queue, sees

SIGNALS = Signal.objects.select_related(
    "participant__household",
    "participant__regeling",
    "region",
    "client",
    "assigned_to",
    "assigned_organisation",
)


def _seen(user, signal) -> Signal:
    """The signal ``@access.view`` found in scope, if the queue rule lets ``user`` see it."""
    if not sees(user, signal):
        raise Http404
    return signal


@access.view()
def signal_list(request):
    user = request.user
    signals = Signal.objects.visible_to(user).select_related(
        "participant", "region", "assigned_to", "assigned_organisation"
    )
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status")
    if not status:
        signals = signals.filter(status__in=OPEN_STATUSES)
    elif status != "alle":
        signals = signals.filter(status=status)
    if filters.get("soort"):
        signals = signals.filter(kind=filters["soort"])
    if filters.get("te_laat"):
        signals = signals.overdue()
    if filters.get("na_afloop"):
        signals = signals.filter(after_end=True)
    if filters.get("wachtrij"):
        signals = signals.unmatched()
    if filters.get("voor_mij"):
        signals = signals.routed_to(user)
    page = Paginator(signals.order_by("due_on", "-received_at", "-pk"), 50).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "signals/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "handles_queue": handles_queue(user),
        },
    )


@access.view(objects={"pk": ("signal", SIGNALS)}, audit="signaal")
def signal_detail(request, signal):
    signal = _seen(request.user, signal)
    if signal.participant_id is None:
        services.view_queued(request.user, signal)
    return _render_detail(request, signal)


def _render_detail(request, signal, *, status_form=None, match_form=None, status=200):
    user = request.user
    may_handle = services.may_handle(user) and (
        signal.participant_id is not None or handles_queue(user)
    )
    context = {
        "signal": signal,
        "history": signal.history.select_related("changed_by"),
        "today": timezone.localdate(),
        "sees_bsn": access.may(user, "sees_bsn"),
        "status_form": status_form or (StatusForm(signal=signal) if may_handle else None),
        "may_handle": may_handle and signal.is_open,
        # A debt counsellor the signal is routed to sees the signal, not the participant.
        "sees_participant": signal.participant_id is not None
        and Participant.objects.visible_to(user).filter(pk=signal.participant_id).exists(),
        "to_debt_counsellor": signal.route == RouteTarget.DEBT_COUNSELLOR,
    }
    if signal.participant_id is None and handles_queue(user):
        context["match_form"] = match_form or MatchForm()
        context["candidates"] = services.match_candidates(user, signal)
    return render(request, "signals/detail.html", context, status=status)


@access.view(methods=("POST",), rights=FOLLOW_UP_RIGHTS, objects={"pk": ("signal", SIGNALS)})
def change_status(request, signal):
    signal = _seen(request.user, signal)
    form = StatusForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            services.change_status(
                request.user,
                signal,
                form.cleaned_data["status"],
                form.cleaned_data["note"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Status changed to '%(status)s'.")
                % {"status": Status(form.cleaned_data["status"]).label},
            )
            return redirect("signals:detail", pk=signal.pk)
    return _render_detail(request, signal, status_form=form, status=400)


@access.view(methods=("POST",), rights=QUEUE_RIGHTS, objects={"pk": ("signal", SIGNALS)})
def match(request, signal):
    user = request.user
    signal = _seen(user, signal)
    form = MatchForm(request.POST)
    if form.is_valid():
        participant = (
            Participant.objects.visible_to(user).filter(bsn=form.cleaned_data["bsn"]).first()
        )
        if participant is None:
            form.add_error("bsn", _("No participant with this BSN that you may see."))
        else:
            try:
                services.match_by_hand(user, signal, participant, form.cleaned_data["note"])
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Signal matched to %(name)s.") % {"name": participant.full_name},
                )
                return redirect("signals:detail", pk=signal.pk)
    return _render_detail(request, signal, match_form=form, status=400)


@access.view(methods=("GET", "POST"), rights=QUEUE_RIGHTS)
def upload(request):
    user = request.user
    regions = services.upload_regions(user)
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = uploads.receive_csv(
                    user,
                    data["file"],
                    region=data["region"],
                    creditor_name=data["creditor_name"],
                    creditor_kind=data["creditor_kind"],
                )
            except csv_layout.CsvInvalid as exc:
                problems = exc.problems
            else:
                return redirect("signals:import", pk=job.pk)
    else:
        form = UploadForm(regions=regions, initial={"region": regions.first()})
    return render(
        request,
        "signals/upload.html",
        {
            "form": form,
            "problems": problems,
            "columns": csv_layout.COLUMNS,
            "example": csv_layout.EXAMPLE,
        },
        status=400 if problems or form.errors else 200,
    )


IMPORTS = SignalImport.objects.select_related("region", "uploaded_by")
_RUNNING = (ImportStatus.RECEIVED, ImportStatus.RUNNING)


@access.view(rights=QUEUE_RIGHTS, objects={"pk": ("job", IMPORTS)})
def import_detail(request, job):
    return render(
        request,
        "signals/import.html",
        {
            "job": job,
            "running": job.status in _RUNNING and not uploads.is_stale(job),
            "resumable": uploads.may_resume(job),
        },
    )


@access.view(rights=QUEUE_RIGHTS, objects={"pk": ("job", IMPORTS)})
def import_progress(request, job):
    """Polled every second while the file is read in; reloads the page once it stopped."""
    running = job.status in _RUNNING and not uploads.is_stale(job)
    response = render(request, "signals/_import_progress.html", {"job": job, "running": running})
    if not running:
        response["HX-Refresh"] = "true"
    return response


@access.view(methods=("POST",), rights=QUEUE_RIGHTS, objects={"pk": ("job", IMPORTS)})
def import_resume(request, job):
    try:
        uploads.resume_csv_import(request.user, job)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The import continues where it left off."))
    return redirect("signals:import", pk=job.pk)


def _arrears_choice(request):
    """(form, creditor names, creditor, month) of the arrears list; the last two are None
    until the choice is valid."""
    names = arrears.creditors(request.user)
    data = request.GET.copy() if request.GET else None
    if data is not None and "maand" not in data:
        data["maand"] = f"{timezone.localdate():%Y-%m}"
    form = ArrearsForm(data, creditors=names, initial={"maand": f"{timezone.localdate():%Y-%m}"})
    if data is not None and form.is_valid():
        return form, names, form.cleaned_data["schuldeiser"], form.cleaned_data["maand"]
    return form, names, None, None


@access.view(rights=FOLLOW_UP_RIGHTS)
def arrears_list(request):
    """The arrears one creditor reported in one month, for the meeting with that creditor."""
    form, names, creditor, month = _arrears_choice(request)
    found = []
    if creditor is not None:
        found = arrears.lines(request.user, creditor, month)
        arrears.record_shown(request.user, found, creditor, month, exported=False)
    return render(
        request,
        "signals/arrears.html",
        {
            "form": form,
            "creditors": names,
            "creditor": creditor,
            "month": month,
            "month_text": month_label(month) if month else "",
            "lines": found,
            "query": request.GET.urlencode(),
            "total_cents": sum(line.signal.amount_cents or 0 for line in found),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@access.view(rights=FOLLOW_UP_RIGHTS)
def arrears_csv(request):
    _form, _names, creditor, month = _arrears_choice(request)
    if creditor is None:
        return redirect(f"{reverse('signals:arrears')}?{request.GET.urlencode()}")
    found = arrears.lines(request.user, creditor, month)
    arrears.record_shown(request.user, found, creditor, month, exported=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{arrears.file_name(creditor, month)}"'
    # The BOM and the semicolon are what Dutch Excel expects.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(arrears.HEADER)
    for row in arrears.csv_rows(found):
        writer.writerow([safe_cell(cell) for cell in row])
    return response
