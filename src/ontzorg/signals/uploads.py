"""Reading in a creditor's CSV of signals: checked whole at upload, stored in the background.

``receive_csv`` checks the whole file in the request (``csv_layout.parse``): one bad line
refuses it with every problem named, and nothing is stored. Otherwise it stores the file,
creates the job (``SignalImport``) and queues ``import_csv_task``; the job's page shows the
progress. A file of 20,000 signals thus never keeps a web request (or a web worker) busy
for minutes.

The task stores the signals in chunks, each one short transaction that also moves the job's
``cursor``, so it never holds the database's write lock for long and a crash loses one chunk
at most; ``resume_csv_import`` (from the job's page) continues after the last stored chunk.
Each report is stored once: its fingerprint is the signal's ``idempotency_key``, so a file
read in twice, or resumed, makes no second signal. One run works on a job at a time (a
token per run, as for statement imports)."""

import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ontzorg.audit import services as audit
from ontzorg.core import access, deadtasks
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.models import Participant

from . import csv_layout, events
from .constants import ImportStatus, Source
from .models import Signal, SignalImport
from .querysets import handles_queue
from .services import _create, find_participant, upload_regions

# A chunk ends after this many signals or this many seconds, whichever comes first: SQLite
# has one writer at a time, and pages that write must not wait long for it.
CHUNK_SIGNALS = 200
CHUNK_SECONDS = 0.5
# Let go of the lock for a moment between chunks on SQLite, so that a waiting page gets it
# (see banking.imports.CHUNK_PAUSE).
CHUNK_PAUSE = {"sqlite": 0.1}
STALE_AFTER = timedelta(minutes=2)
_ACTIVE = (ImportStatus.RECEIVED, ImportStatus.RUNNING, ImportStatus.INTERRUPTED)


def _require(user, region) -> None:
    if not handles_queue(user):
        raise PermissionDenied(_("Your role may not import signals."))
    if not upload_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(_("You may not import signals for this region."))


def _reporter(job_or_region, creditor_name: str) -> str:
    region_id = getattr(job_or_region, "region_id", None) or job_or_region.pk
    return f"csv:{region_id}:{' '.join(creditor_name.split()).casefold()}"


def receive_csv(user, upload, *, region, creditor_name, creditor_kind) -> SignalImport:
    """Check the whole file, store it and queue reading it in; raises ``CsvInvalid``."""
    _require(user, region)
    data = upload.read()
    rows = csv_layout.parse(data, today=timezone.localdate())
    reporter = _reporter(region, creditor_name)
    distinct = len({row.report.fingerprint(reporter) for row in rows})
    with transaction.atomic():
        job = SignalImport.objects.create(
            region=region,
            uploaded_by=user,
            creditor_name=creditor_name,
            creditor_kind=creditor_kind,
            file_name=Path(getattr(upload, "name", "") or "signalen.csv").name[:255],
            rows_total=distinct,
            duplicates=len(rows) - distinct,
        )
        job.stored_file = default_storage.save(
            f"signalen/{region.slug}/{job.pk}.csv", ContentFile(data)
        )
        job.save(update_fields=["stored_file"])
        audit.record(user, events.CSV_RECEIVED, job, rows=len(rows), creditor=creditor_name)
    import_csv_task.enqueue(job.pk)
    return job


def is_stale(job: SignalImport) -> bool:
    last = job.heartbeat_at or job.received_at
    return (
        job.status in (ImportStatus.RECEIVED, ImportStatus.RUNNING)
        and timezone.now() - last > STALE_AFTER
    )


def may_resume(job: SignalImport) -> bool:
    return job.status == ImportStatus.INTERRUPTED or is_stale(job)


def resume_csv_import(user, job: SignalImport) -> SignalImport:
    """Queue an interrupted job again, or one whose run went silent (a crashed worker)."""
    with transaction.atomic():
        job = access.get_or_refuse(
            SignalImport.objects.select_for_update().select_related("region"), user, pk=job.pk
        )
        _require(user, job.region)
        if job.status not in _ACTIVE:
            raise Refused(_("This file was already imported."))
        if job.status != ImportStatus.INTERRUPTED and not is_stale(job):
            raise Refused(_("The signal import is still running; wait until it is done."))
        job.status = ImportStatus.RECEIVED
        job.run_token = ""
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "run_token", "heartbeat_at"])
        audit.record(user, events.CSV_RESUMED, job, creditor=job.creditor_name, done=job.cursor)
    import_csv_task.enqueue(job.pk)
    return job


@task()
def import_csv_task(job_id: int) -> None:
    run_csv_import(job_id)


def run_csv_import(job_id: int) -> SignalImport:
    """Store the signals of a received file from the job's cursor on; a finished job, or one
    another run holds, is left alone."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        SignalImport.objects.filter(pk=job_id, status__in=_ACTIVE)
        .filter(Q(run_token="") | Q(heartbeat_at__lt=now - STALE_AFTER))
        .update(run_token=token, heartbeat_at=now, status=ImportStatus.RUNNING)
    )
    job = SignalImport.objects.select_related("uploaded_by", "region").get(pk=job_id)
    if not claimed:
        return job
    try:
        _store(job, token)
    except _Lost:
        pass
    except Exception:
        SignalImport.objects.filter(pk=job.pk, run_token=token).update(
            status=ImportStatus.INTERRUPTED,
            run_token="",
            error_message=_("Something went wrong during the import. Resume the import."),
        )
        raise
    job.refresh_from_db()
    return job


class _Lost(Exception):
    """Another run took the job over."""


def _store(job: SignalImport, token: str) -> None:
    with default_storage.open(job.stored_file, "rb") as file:
        data = file.read()
    # Checked against the day it was uploaded, as it was then.
    rows = csv_layout.parse(data, today=timezone.localdate(job.received_at))
    reporter = _reporter(job, job.creditor_name)
    keyed: dict[str, object] = {}
    for row in rows:
        keyed.setdefault(row.report.fingerprint(reporter), row.report)
    keys = list(keyed)
    user = job.uploaded_by
    candidates = (
        Participant.objects.visible_to(user)
        .filter(regeling__region=job.region_id)
        .select_related("regeling")
    )
    position = job.cursor
    while position < len(keys):
        started = time.monotonic()
        with transaction.atomic():
            held = (
                SignalImport.objects.select_for_update()
                .filter(pk=job.pk)
                .values_list("run_token", flat=True)
                .first()
            )
            if held != token:
                raise _Lost
            batch = keys[position : position + CHUNK_SIGNALS]
            stored = set(
                Signal.objects.filter(idempotency_key__in=batch).values_list(
                    "idempotency_key", flat=True
                )
            )
            for key in batch:
                position += 1
                if key in stored:
                    job.duplicates += 1
                else:
                    report = keyed[key]
                    signal = _create(
                        report=report,
                        participant=find_participant(report, candidates),
                        actor=user,
                        event=events.RECEIVED_CSV,
                        creditor=job.creditor_name,
                        source=Source.CSV,
                        uploaded_by=user,
                        creditor_name=job.creditor_name,
                        creditor_kind=job.creditor_kind,
                        region=job.region,
                        idempotency_key=key,
                    )
                    job.created_count += 1
                    if signal.participant_id is not None:
                        job.matched += 1
                if time.monotonic() - started > CHUNK_SECONDS:
                    break
            job.cursor = position
            job.heartbeat_at = timezone.now()
            job.save(
                update_fields=["cursor", "created_count", "matched", "duplicates", "heartbeat_at"]
            )
        pause = CHUNK_PAUSE.get(connection.vendor, 0)
        if pause and position < len(keys):
            time.sleep(pause)
    updated = SignalImport.objects.filter(pk=job.pk, run_token=token).update(
        status=ImportStatus.DONE, finished_at=timezone.now(), run_token="", error_message=""
    )
    if not updated:
        raise _Lost


def _mark_dead(job_id: int) -> None:
    """Called by ``mark_dead_tasks`` for an import task whose worker is gone."""
    SignalImport.objects.filter(
        pk=job_id, status__in=(ImportStatus.RECEIVED, ImportStatus.RUNNING)
    ).update(
        status=ImportStatus.INTERRUPTED,
        run_token="",
        error_message=_(
            "The import stopped: the background task is no longer active. Resume the import."
        ),
    )


deadtasks.watch(
    import_csv_task,
    job=lambda args, kwargs: args[0] if args else kwargs["job_id"],
    last_sign_of_life=lambda job_id: (
        SignalImport.objects.filter(pk=job_id).values_list("heartbeat_at", flat=True).first()
    ),
    on_dead=_mark_dead,
)
