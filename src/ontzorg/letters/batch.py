"""The PDFs of the monthly overviews of a whole region for one month, in one zip in the
default storage (``letters/pdf/``), made by a task that reports its progress on the batch row.

Only participants with postings or an overview in that month are in it. The zip is personal
data: privacy retention erases it ``ONTZORG_RETENTION_FILE_DAYS`` after it was made
(``privacy.retention.erase_files``)."""

import tempfile
import zipfile
from datetime import date

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.core.dates import month_start
from ontzorg.ledger.models import Entry
from ontzorg.participants.models import Participant

from . import events, pdf, services
from .models import MonthlyOverview, PdfBatch

FOLDER = "letters/pdf/"
RIGHTS = ("edits_participants", "prepares_payments")


def participants_of(region, month: date):
    """The region's participants with postings or an overview in `month`, in id order."""
    posted = Entry.objects.filter(
        account__participant__regeling__region=region, transaction__period=month
    ).values("account__participant_id")
    made = MonthlyOverview.objects.filter(participant__regeling__region=region, month=month).values(
        "participant_id"
    )
    return (
        Participant.objects.filter(regeling__region=region)
        .filter(Q(pk__in=posted) | Q(pk__in=made))
        .select_related("regeling__region", "household")
        .order_by("pk")
    )


def participants_in(zipped) -> list[int]:
    """The ids of the participants whose overview is in the zip (from the names that
    ``pdf.filename`` gives its files)."""
    with zipfile.ZipFile(zipped) as archive:
        names = archive.namelist()
    return sorted(int(name.split("-")[1]) for name in names if name.count("-") >= 2)


def start(user, region, month: date) -> PdfBatch:
    """Queue the zip of PDFs of `region` for `month`; the task makes it."""
    access.require(user, *RIGHTS)
    region = access.visible(user, region)
    batch = PdfBatch.objects.create(region=region, month=month_start(month), requested_by=user)
    record(user, events.PDF_BATCH_STARTED, batch, batch=str(batch))
    transaction.on_commit(lambda: make_batch_task.enqueue(batch.pk))
    return batch


@task()
def make_batch_task(batch_id: int) -> None:
    make_batch(batch_id)


def make_batch(batch_id: int) -> PdfBatch:
    """Render every PDF into a zip, counting progress on the batch row; the zip is stored
    under ``letters/pdf/`` when all are done. Safe to run again: it starts over."""
    batch = PdfBatch.objects.select_related("region").get(pk=batch_id)
    people = list(participants_of(batch.region, batch.month))
    PdfBatch.objects.filter(pk=batch.pk).update(
        status=PdfBatch.RUNNING, total=len(people), done=0, heartbeat_at=timezone.now()
    )
    try:
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, participant in enumerate(people, start=1):
                    overview = services.overview_for(participant, batch.month)
                    if overview is not None:
                        document = pdf.overview_document(participant, overview, batch.month)
                        name = pdf.filename(participant, "maandoverzicht", batch.month)
                        archive.writestr(name, pdf.pdf(document))
                    PdfBatch.objects.filter(pk=batch.pk).update(
                        done=done, heartbeat_at=timezone.now()
                    )
            buffer.seek(0)
            name = f"{FOLDER}{batch.region.pk}-{batch.month:%Y-%m}-{batch.pk}.zip"
            stored = default_storage.save(name, File(buffer, name=name))
    except Exception:
        PdfBatch.objects.filter(pk=batch.pk).update(
            status=PdfBatch.FAILED, finished_at=timezone.now()
        )
        raise
    PdfBatch.objects.filter(pk=batch.pk).update(
        status=PdfBatch.DONE, stored_file=stored, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
