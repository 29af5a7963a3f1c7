"""Importing bank statement files: read the file once, store every booked entry once.

``import_statement`` is the one business action. The file is read in one pass inside one
transaction: the parser checks as it reads (``camt053.parse``), and a hostile, malformed or
unbalanced file, or one with a statement of another region's account, rolls the transaction
back, so a refused file stores nothing. Entries already stored, by an earlier import of the
same file or of an overlapping statement, are skipped and counted.

Matching entries to payment instructions and participants is the reconciliation step
(``reconcile.py``), called through ``matcher``: a callable that receives each batch of new
``BankEntry`` objects inside the import's transaction, ids given but not yet written, and
sets ``match_status`` on those it matched; the batch is then written as it stands. The
matcher may return a function, called once the batch is written, to store what refers to
the entries. The job's matched/unmatched counts are read back from the database.

Uploads from the UI run in the background: ``receive_upload`` stores the file and creates the
job, ``import_statement_task`` imports it into that job while the page polls its state.
"""

import hashlib
import io
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

from ontzorg.audit.services import record
from ontzorg.bulk import insert_rows, reserve_ids
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied, Refused

from . import camt053, events, reconcile
from .constants import BANK_RIGHT, ImportStatus, MatchStatus
from .models import BankEntry, BankStatement, StatementImport
from .querysets import require_region

BATCH_SIZE = 5000

Matcher = Callable[[list[BankEntry]], Callable[[], None] | None]
# The default matcher: reconcile new entries by the rules of reconcile.py.
RECONCILE = object()


class ImportRefused(Refused):
    """The file was refused; ``job`` is the failed import, kept for the report."""

    def __init__(self, message: str, job: StatementImport):
        super().__init__(message)
        self.job = job


def import_statement(
    user,
    file,
    *,
    file_name: str = "",
    matcher: Matcher | object | None = RECONCILE,
    max_bytes: int | None = camt053.DEFAULT_MAX_BYTES,
    region=None,
    job: StatementImport | None = None,
) -> StatementImport:
    """Import a camt.053/.054 file (a path, bytes or a seekable binary file object).

    New entries are reconciled (``reconcile.py``) unless another ``matcher`` (or None) is
    given. With a ``region``, every statement in the file must be of that region's paying
    account. ``job`` is an import created earlier by ``receive_upload``.

    Returns the booked job; raises ``ImportRefused`` (with the failed job) when the file is
    refused, in which case nothing of it is stored.
    """
    access.require(user, BANK_RIGHT)
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    if job is None:
        digest, size = _fingerprint(file)
        job = StatementImport.objects.create(
            file_name=(file_name or _name_of(file))[:255],
            file_sha256=digest,
            size_bytes=size,
            uploaded_by=user,
            region=region,
        )
    if matcher is RECONCILE:
        matcher = reconcile.matcher_for(user)
    regions = reconcile.region_by_account()
    own = None
    if job.region_id is not None:
        own = {iban for iban, region_id in regions.items() if region_id == job.region_id}
    counters = {name: getattr(job, name) for name in _COUNTERS}
    try:
        # One pass: the parser checks as it reads, so an error may come after entries were
        # stored; the transaction then rolls all of them back.
        with transaction.atomic():
            foreign = _store(job, _rewound(file), matcher, max_bytes, regions, own)
            if foreign:
                raise _Foreign(foreign)
            job.matched = job.entries.filter(match_status=MatchStatus.MATCHED).count()
            job.unmatched = job.entries_new - job.matched
            job.status = ImportStatus.BOOKED
            job.finished_at = timezone.now()
            job.save()
            record(
                user,
                events.IMPORT_BOOKED,
                job,
                file_name=job.file_name,
                new=job.entries_new,
                duplicates=job.duplicates_skipped,
            )
    except camt053.StatementError as error:
        _restore(job, counters)
        raise _fail(user, job, error.dutch) from error
    except _Foreign as error:
        _restore(job, counters)
        raise _fail(
            user,
            job,
            f"Het bestand bevat afschriften van rekening {', '.join(error.ibans)}; dat is niet "
            f"de betaalrekening van {job.region}. Er is niets ingelezen.",
        ) from None
    except IntegrityError as error:
        _restore(job, counters)
        raise _fail(
            user,
            job,
            "Dezelfde posten werden tegelijk door een andere import ingelezen; probeer opnieuw.",
        ) from error
    except DataError as error:
        _restore(job, counters)
        raise _fail(
            user,
            job,
            "Een waarde in het bestand is langer of groter dan een bankafschrift toestaat "
            "(bijvoorbeeld een naam van meer dan 140 tekens). Er is niets ingelezen.",
        ) from error
    return job


def entry_key(entry: camt053.Entry, occurrence: int = 1) -> str:
    """The key that identifies a bank entry across files, for the uniqueness constraint.

    The bank's own reference (AcctSvcrRef) when it gives one. Otherwise a hash of what the
    bank says about the entry, leaving out what differs between statements (statement id,
    entry number); ``occurrence`` tells apart identical entries within one statement.
    """
    if entry.account_servicer_ref:
        return f"ref:{entry.account_servicer_ref}"
    fields = (
        entry.booking_date,
        entry.value_date,
        entry.amount_cents,
        entry.currency,
        entry.reversal,
        entry.end_to_end_id,
        entry.bank_transaction_code,
        entry.counterparty_name,
        entry.counterparty_iban,
        entry.remittance,
        entry.creditor_reference,
        entry.return_reason,
        entry.detail_sequence,
    )
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:40]
    return f"hash:{digest}#{occurrence}"


def _store(job, file, matcher, max_bytes, regions: dict, own: set[str] | None) -> list[str]:
    """Read the file once, storing its booked entries in batches; returns foreign accounts.
    ``regions`` maps each paying account to its region (``reconcile.region_by_account``).

    With ``own`` (the region's accounts), a statement of any other account is a refusal: from
    the first one on nothing more is stored, but the file is still read to its end, so that an
    error in the file is reported first (as before) and every foreign account is named."""
    statement = None
    occurrences: Counter = Counter()
    batch: list[tuple] = []  # rows of _ENTRY_FIELDS
    foreign: set[str] = set()
    booked = camt053.BOOKED
    entry_type = camt053.Entry
    unmatched = MatchStatus.UNMATCHED.value

    def flush():
        if batch:
            if not foreign:
                _insert(job, statement, batch, matcher)
            batch.clear()

    for item in camt053.parse(file, max_bytes=max_bytes):
        if type(item) is not entry_type:
            flush()
            job.statements_read += 1
            iban = reconcile.normalise_iban(item.account_iban)
            if own is not None and iban not in own:
                foreign.add(item.account_iban)
            statement = None if foreign else _statement(job, item, regions.get(iban))
            occurrences.clear()
            continue
        job.entries_read += 1
        if item.status != booked:
            # A pending entry comes back booked, under the same reference, in a later file.
            job.not_booked_skipped += 1
            continue
        if foreign:
            continue
        key = entry_key(item)
        if key[0] == "h":  # "hash:..."
            occurrences[key] += 1
            key = entry_key(item, occurrences[key])
        batch.append(
            (
                statement.pk,
                job.pk,
                item.account_iban,
                key,
                item.detail_sequence,
                item.amount_cents,
                item.currency,
                item.booking_date,
                item.value_date,
                item.reversal,
                item.entry_ref or "",
                item.end_to_end_id or "",
                item.account_servicer_ref or "",
                item.bank_transaction_code or "",
                item.counterparty_name or "",
                item.counterparty_iban or "",
                item.remittance or "",
                item.creditor_reference or "",
                item.return_reason or "",
                unmatched,
            )
        )
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    return sorted(foreign)


class _Foreign(Exception):
    def __init__(self, ibans: list[str]):
        super().__init__(ibans)
        self.ibans = ibans


_COUNTERS = (
    "statements_read",
    "entries_read",
    "entries_new",
    "duplicates_skipped",
    "not_booked_skipped",
    "matched",
    "unmatched",
)


def _restore(job, counters: dict) -> None:
    """Put back the counts of a refused import: nothing of the file was stored."""
    for name, value in counters.items():
        setattr(job, name, value)


def _statement(job, statement: camt053.Statement, region_id: int | None) -> BankStatement:
    row, _created = BankStatement.objects.get_or_create(
        account_iban=statement.account_iban,
        statement_id=statement.statement_id,
        defaults={
            "electronic_sequence": statement.electronic_sequence,
            "version": statement.version,
            "message_id": statement.message_id or "",
            "currency": statement.currency,
            "opening_balance_cents": statement.opening_balance_cents,
            "opening_on": statement.opening_date,
            "closing_balance_cents": statement.closing_balance_cents,
            "closing_on": statement.closing_date,
            "first_import": job,
            "region_id": region_id,
        },
    )
    return row


# The columns of a new bank entry, in the model's order (without the id): the rows that
# _store builds become BankEntry objects for the matcher, and are written from those.
_ENTRY_FIELDS = (
    "statement_id",
    "statement_import_id",
    "account_iban",
    "entry_key",
    "detail_sequence",
    "amount_cents",
    "currency",
    "booked_on",
    "value_on",
    "reversal",
    "entry_ref",
    "end_to_end_id",
    "account_servicer_ref",
    "bank_transaction_code",
    "counterparty_name",
    "counterparty_iban",
    "remittance",
    "creditor_reference",
    "return_reason",
    "match_status",
)
_KEY, _DETAIL = _ENTRY_FIELDS.index("entry_key"), _ENTRY_FIELDS.index("detail_sequence")


def _insert(job, statement, batch: list[tuple], matcher) -> None:
    """Let ``matcher`` match the rows of ``batch`` that are not stored yet, then store them.

    Rows are written as plain values (COPY on PostgreSQL, see ontzorg.bulk), with ids drawn
    first so that the matcher can refer to them: building model objects for ``bulk_create``
    and updating the matched ones afterwards would cost more than reading the file."""
    existing = set(
        BankEntry.objects.filter(
            account_iban=statement.account_iban,
            entry_key__in={row[_KEY] for row in batch},
        ).values_list("entry_key", "detail_sequence")
    )
    new = []
    for row in batch:
        key = (row[_KEY], row[_DETAIL])
        if key in existing:
            job.duplicates_skipped += 1
            continue
        existing.add(key)
        new.append(row)
    if not new:
        return
    ids = reserve_ids(BankEntry, len(new))
    names = ("id", *_ENTRY_FIELDS)
    entries = [
        BankEntry.from_db(connection.alias, names, (pk, *row))
        for pk, row in zip(ids, new, strict=True)
    ]
    after = matcher(entries) if matcher is not None else None
    insert_rows(
        BankEntry,
        names,
        [
            (pk, *row[:-1], entry.match_status)
            for pk, row, entry in zip(ids, new, entries, strict=True)
        ],
    )
    job.entries_new += len(new)
    if after is not None:
        after()


def _fail(user, job, message: str) -> ImportRefused:
    job.status = ImportStatus.FAILED
    job.errors += 1
    job.error_message = message
    job.finished_at = timezone.now()
    job.save()
    record(user, events.IMPORT_REFUSED, job, file_name=job.file_name)
    return ImportRefused(message, job)


def _fingerprint(file) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with ExitStack() as stack:
        if isinstance(file, str | Path):
            handle = stack.enter_context(open(file, "rb"))
        else:
            handle = _rewound(file)
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _rewound(file):
    if hasattr(file, "seek"):
        file.seek(0)
    return file


def _name_of(file) -> str:
    if isinstance(file, str | Path):
        return Path(file).name
    return Path(getattr(file, "name", "") or "upload.xml").name


# --- uploads in the background -----------------------------------------------------------------


def receive_upload(user, upload, *, region) -> StatementImport:
    """Store an uploaded file and queue its import; the job is returned at once."""
    access.require(user, BANK_RIGHT)
    require_region(user, region.pk)
    digest, size = _fingerprint(upload)
    job = StatementImport.objects.create(
        file_name=_name_of(upload)[:255],
        file_sha256=digest,
        size_bytes=size,
        uploaded_by=user,
        region=region,
    )
    job.stored_file = default_storage.save(
        f"camt/{region.slug}/{job.pk}-{digest[:12]}.xml", File(_rewound(upload))
    )
    job.save(update_fields=["stored_file"])
    record(user, events.UPLOAD_RECEIVED, job, file_name=job.file_name)
    import_statement_task.enqueue(job.pk)
    return job


@task()
def import_statement_task(job_id: int) -> None:
    run_import(job_id)


def run_import(job_id: int) -> StatementImport:
    """Import a received upload into its job; a job already finished is left alone."""
    job = StatementImport.objects.select_related("uploaded_by", "region").get(pk=job_id)
    if job.status != ImportStatus.RECEIVED:
        return job
    try:
        with default_storage.open(job.stored_file, "rb") as file:
            import_statement(job.uploaded_by, file, job=job)
    except ImportRefused:
        pass
    except PermissionDenied:
        _fail(job.uploaded_by, job, "De uploader mag geen bankafschriften (meer) inlezen.")
    job.refresh_from_db()
    return job
