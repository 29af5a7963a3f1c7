"""Staff pages of the region's PDF batches: start one for a region and month, watch its
progress (polled by htmx), download the zip when done."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.core.dates import month_start
from ontzorg.regelingen.models import Region

from . import batch, events
from .batch_forms import PdfBatchForm
from .models import PdfBatch


@access.view(methods=("GET", "POST"), rights=batch.RIGHTS)
def batch_list(request):
    regions = access.restrict(Region, request.user).order_by("name")
    form = PdfBatchForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        made = batch.start(
            request.user, form.cleaned_data["region"], month_start(form.cleaned_data["month"])
        )
        messages.success(request, _("The PDFs are being made. This page shows the progress."))
        return redirect("letters:batch", batch=made.pk)
    batches = access.restrict(PdfBatch, request.user).select_related("region")[:20]
    return render(request, "letters/letter_batches.html", {"form": form, "batches": batches})


@access.view(rights=batch.RIGHTS, objects={"batch": ("made", PdfBatch)})
def batch_detail(request, made):
    return render(request, "letters/letter_batch.html", {"batch": made})


@access.view(rights=batch.RIGHTS, objects={"batch": ("made", PdfBatch)})
def batch_progress(request, made):
    """Polled every second while the task runs; asks htmx to reload the page once done."""
    response = render(request, "letters/letter_batch_progress.html", {"batch": made})
    if made.status in (PdfBatch.DONE, PdfBatch.FAILED):
        response["HX-Refresh"] = "true"
    return response


@access.view(rights=batch.RIGHTS, objects={"batch": ("made", PdfBatch)})
def batch_download(request, made):
    if made.status != PdfBatch.DONE or not made.stored_file:
        raise Http404("No zip (yet, or any more).")
    stored = batch.default_storage.open(made.stored_file, "rb")
    # Whose overviews are in the zip, for each one's inzage ("who looked").
    record(
        request.user,
        events.PDF_BATCH_DOWNLOADED,
        made,
        changes={"deelnemers": [None, batch.participants_in(stored)]},
        batch=str(made),
    )
    stored.seek(0)
    name = f"maandoverzichten-{made.region.name}-{made.month:%Y-%m}.zip"
    return FileResponse(stored, as_attachment=True, filename=name)
