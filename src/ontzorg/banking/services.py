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
import tempfile
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

from ontzorg.audit.constants import Action
from ontzorg.audit.services import record
from ontzorg.bulk import insert_rows, reserve_ids
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import Source
from ontzorg.ledger.models import Transaction
from ontzorg.payments import pain001
from ontzorg.payments.models import DebtorAccount, PaymentInstruction
from ontzorg.payments.querysets import region_ids_for
from ontzorg.payments.sepa import make_identifier
from ontzorg.plans.models import Income

from . import camt053, reconcile, repay
from .constants import ImportStatus, MatchRule, MatchStatus, ReconciliationKind, ReturnStatus
from .models import BankEntry, BankStatement, Reconciliation, ReturnedPayment, StatementImport

BATCH_SIZE = 5000
IMPORT_RIGHT = "prepares_payments"

Matcher = Callable[[list[BankEntry]], Callable[[], None] | None]
# The default matcher: reconcile new entries by the rules of reconcile.py.
RECONCILE = object()


class ImportRefused(Refused):
    """The file was refused; ``job`` is the failed import, kept for the report."""

    def __init__(self, message: str, job: StatementImport):
        super().__init__(message)
        self.job = job


def may_import(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_right(IMPORT_RIGHT))


def _require(user) -> None:
    if not may_import(user):
        raise PermissionDenied("Uw rol mag geen bankafschriften inlezen.")


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
    _require(user)
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
    own = None
    if job.region_id is not None:
        own = {
            iban
            for iban, region_id in reconcile.region_by_account().items()
            if region_id == job.region_id
        }
    counters = {name: getattr(job, name) for name in _COUNTERS}
    try:
        # One pass: the parser checks as it reads, so an error may come after entries were
        # stored; the transaction then rolls all of them back.
        with transaction.atomic():
            foreign = _store(job, _rewound(file), matcher, max_bytes, own)
            if foreign:
                raise _Foreign(foreign)
            job.matched = job.entries.filter(match_status=MatchStatus.MATCHED).count()
            job.unmatched = job.entries_new - job.matched
            job.status = ImportStatus.BOOKED
            job.finished_at = timezone.now()
            job.save()
            record(
                user,
                Action.CREATE,
                job,
                summary=(
                    f"Bankafschrift {job.file_name} ingelezen: {job.entries_new} nieuw, "
                    f"{job.duplicates_skipped} dubbel"
                ),
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


def _store(job, file, matcher, max_bytes, own: set[str] | None) -> list[str]:
    """Read the file once, storing its booked entries in batches; returns foreign accounts.

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
            if own is not None and reconcile.normalise_iban(item.account_iban) not in own:
                foreign.add(item.account_iban)
            statement = None if foreign else _statement(job, item)
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


def _statement(job, statement: camt053.Statement) -> BankStatement:
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
    record(user, Action.CREATE, job, summary=f"Bankafschrift {job.file_name} geweigerd")
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
    _require(user)
    _check_region(user, region.pk)
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
    record(user, Action.CREATE, job, summary=f"Bankafschrift {job.file_name} ontvangen")
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


# --- the work queue: deciding by hand ------------------------------------------------------------


def _check_region(user, region_id) -> None:
    allowed = region_ids_for(user)
    if allowed is not None and region_id not in allowed:
        raise PermissionDenied("Deze regio valt buiten uw bereik.")


def _entry_region(entry: BankEntry) -> int:
    region_id = reconcile.region_by_account().get(reconcile.normalise_iban(entry.account_iban))
    if region_id is None:
        raise Refused("Deze post staat op een rekening die bij geen regio hoort.")
    return region_id


def _open_entry(user, entry: BankEntry, note: str) -> tuple[BankEntry, int]:
    _require(user)
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    region_id = _entry_region(entry)
    _check_region(user, region_id)
    if entry.match_status != MatchStatus.UNMATCHED:
        raise Refused("Deze post is al afgehandeld.")
    if not note.strip():
        raise Refused("Geef een toelichting bij uw besluit.")
    return entry, region_id


def _decided(user, entry, reconciliation, summary, request) -> Reconciliation:
    entry.match_status = (
        MatchStatus.IGNORED
        if reconciliation.kind == ReconciliationKind.IGNORED
        else MatchStatus.MATCHED
    )
    entry.save(update_fields=["match_status"])
    record(
        user,
        Action.DECISION,
        reconciliation,
        participant=reconciliation.participant,
        summary=summary,
        changes={
            "bankpost": [None, entry.pk],
            "koppeling": [None, reconciliation.get_kind_display()],
            "betaalopdracht": [None, reconciliation.instruction_id],
            "deelnemer": [None, reconciliation.participant_id],
            "toelichting": [None, reconciliation.note],
        },
        request=request,
    )
    return reconciliation


@transaction.atomic
def assign_to_participant(user, entry, participant, *, note: str, request=None):
    """Book an incoming amount to a participant by hand (their income)."""
    entry, region_id = _open_entry(user, entry, note)
    if entry.amount_cents <= 0:
        raise Refused("Alleen een bijschrijving kan aan een deelnemer worden gekoppeld.")
    if participant.regeling.region_id != region_id:
        raise Refused("Deze deelnemer hoort niet bij de regio van deze rekening.")
    income = (
        Income.objects.filter(participant=participant, amount_cents=entry.amount_cents)
        .order_by("-valid_from")
        .first()
    )
    reconciliation = Reconciliation.objects.create(
        entry=entry,
        kind=ReconciliationKind.INCOME,
        rule=MatchRule.MANUAL,
        participant=participant,
        income=income,
        decided_by=user,
        note=note.strip()[:255],
    )
    return _decided(
        user,
        entry,
        reconciliation,
        f"Bankpost {entry.pk} ({entry.amount_cents / 100:.2f}) handmatig gekoppeld aan "
        f"deelnemer {participant.pk}",
        request,
    )


@transaction.atomic
def assign_to_instruction(user, entry, end_to_end_id: str, *, note: str, request=None):
    """Take an entry by hand as the bank's confirmation, or return, of one of our payments
    (when the bank lost or changed the EndToEndId)."""
    entry, region_id = _open_entry(user, entry, note)
    instruction = (
        PaymentInstruction.objects.select_related("run", "participant")
        .filter(end_to_end_id=end_to_end_id.strip(), run__region_id=region_id)
        .first()
    )
    if instruction is None:
        raise Refused("Er is in deze regio geen betaalopdracht met dit kenmerk (EndToEndId).")
    if abs(entry.amount_cents) != instruction.amount_cents:
        raise Refused(
            f"Het bedrag van de post ({abs(entry.amount_cents) / 100:.2f}) is niet het bedrag "
            f"van de betaalopdracht ({instruction.amount_cents / 100:.2f})."
        )
    note = note.strip()[:255]
    if entry.amount_cents < 0:
        if Reconciliation.objects.filter(
            kind=ReconciliationKind.PAYMENT, instruction=instruction
        ).exists():
            raise Refused("Deze betaalopdracht is al door een andere bankpost bevestigd.")
        reconciliation = Reconciliation.objects.create(
            entry=entry,
            kind=ReconciliationKind.PAYMENT,
            rule=MatchRule.MANUAL,
            instruction=instruction,
            participant=instruction.participant,
            transaction=Transaction.objects.filter(
                key=reconcile.instruction_transaction_key(instruction.end_to_end_id)
            ).first(),
            decided_by=user,
            note=note,
        )
        summary = "als bevestiging van betaling"
    else:
        if ReturnedPayment.objects.filter(instruction=instruction).exists():
            raise Refused("Deze betaalopdracht is al als teruggeboekt vastgelegd.")
        reconciliation = reconcile.open_return(
            user, entry, instruction, rule=MatchRule.MANUAL, decided_by=user, note=note
        )
        summary = "als terugboeking van betaling"
    return _decided(
        user,
        entry,
        reconciliation,
        f"Bankpost {entry.pk} handmatig gekoppeld {summary} {instruction.end_to_end_id}",
        request,
    )


@transaction.atomic
def ignore_entry(user, entry, *, note: str, request=None):
    """Close an entry that concerns no participant (bank costs, interest), with a reason."""
    entry, _region = _open_entry(user, entry, note)
    reconciliation = Reconciliation.objects.create(
        entry=entry,
        kind=ReconciliationKind.IGNORED,
        rule=MatchRule.MANUAL,
        decided_by=user,
        note=note.strip()[:255],
    )
    return _decided(
        user, entry, reconciliation, f"Bankpost {entry.pk} afgehandeld zonder deelnemer", request
    )


# --- returned payments: paying again once --------------------------------------------------------


@transaction.atomic
def retry_payment(user, returned: ReturnedPayment, *, request=None) -> ReturnedPayment:
    """Pay a returned payment again, now, to the corrected account: posts it once more in the
    ledger and writes a pain.001 file with this one payment. Exactly once."""
    _require(user)
    returned = (
        ReturnedPayment.objects.select_for_update()
        .select_related("instruction__run__region", "instruction__participant")
        .get(pk=returned.pk)
    )
    instruction = returned.instruction
    region = instruction.run.region
    _check_region(user, region.pk)
    if returned.status != ReturnStatus.OPEN:
        raise Refused("Deze betaling is al opnieuw gedaan.")
    payee = repay.current_payee(returned)
    if repay.needs_correction(returned, payee):
        raise Refused(
            f"De bank gaf als reden {returned.reason_code} ({returned.reason_label}). Pas eerst "
            "de rekeninggegevens van de begunstigde aan; met dezelfde IBAN mislukt de betaling "
            "opnieuw."
        )
    try:
        debtor_account = DebtorAccount.objects.get(region=region)
    except DebtorAccount.DoesNotExist:
        raise Refused(f"Voor {region} is geen betaalrekening ingesteld.") from None
    end_to_end_id = make_identifier("OZR", returned.pk, instruction.pk)
    today = timezone.localdate()
    repay_transaction = None
    original = Transaction.objects.filter(
        key=reconcile.instruction_transaction_key(instruction.end_to_end_id)
    ).first()
    if returned.reversal_id and original is not None:
        repay_transaction, _created = ledger.post(
            repay.repay_key(returned),
            list(original.entries.values_list("account_id", "amount_cents")),
            booked_on=today,
            period=original.period,
            description=f"Opnieuw betaald na terugboeking: {instruction.name} "
            f"{instruction.amount_cents / 100:.2f}",
            source=Source.INSTRUCTION,
            run=instruction.run,
            posted_by=user,
        )
    stored = _write_repayment(region, debtor_account, instruction, payee, end_to_end_id, today)
    if not repay.mark_repaid(
        returned,
        end_to_end_id=end_to_end_id,
        payee=payee,
        user=user,
        repay_file=stored,
        repay_transaction=repay_transaction,
    ):
        raise Refused("Deze betaling is al opnieuw gedaan.")
    returned.refresh_from_db()
    record(
        user,
        Action.DECISION,
        returned,
        participant=instruction.participant,
        summary=f"Teruggeboekte betaling {instruction.end_to_end_id} opnieuw betaald als "
        f"{end_to_end_id}",
        changes={"iban": [instruction.iban, payee.iban], "status": ["open", "repaid"]},
        request=request,
    )
    return returned


def _write_repayment(region, debtor_account, instruction, payee, end_to_end_id, today) -> str:
    payment = pain001.Payment(
        end_to_end_id=end_to_end_id,
        amount_cents=instruction.amount_cents,
        creditor_name=payee.name,
        creditor_iban=payee.iban,
        creditor_bic=payee.bic,
        execution_on=today,
        remittance_text=f"Herbetaling {instruction.remittance}"[:140],
    )
    debtor = pain001.Debtor(
        name=debtor_account.name, iban=debtor_account.iban, bic=debtor_account.bic
    )
    with tempfile.TemporaryFile() as out:
        try:
            pain001.write(
                out,
                message_id=end_to_end_id,
                created_at=timezone.now(),
                debtor=debtor,
                payments=[payment],
                version=instruction.run.pain_version,
            )
        except (pain001.InvalidPayment, pain001.InvalidDebtor) as exc:
            raise Refused(f"Het betaalbestand kan niet worden gemaakt. {exc}") from exc
        out.seek(0)
        pain001.validate(out, instruction.run.pain_version)
        out.seek(0)
        return default_storage.save(f"pain001/{region.slug}/{end_to_end_id}.xml", File(out))
