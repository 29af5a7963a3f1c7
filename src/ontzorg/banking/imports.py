"""Importing bank statement files: check the whole file, then store every booked entry once,
in short committed chunks.

``import_statement`` is the one business action, in two passes over the file:

1. **The check.** The parser reads the whole file (``camt053.parse``) while nothing is
   written. Every statement's account must be known: a region's paying account by IBAN, or
   by another identification configured for the region (``AccountAlias``); with a region,
   it must be that region's. A statement id already stored must come with the same content
   (``BankStatement.content_sha256``, a fingerprint of everything the statement says), and
   every value must fit its column. The rows to store go to a temporary spool file
   meanwhile, so the file is parsed once. A hostile, malformed, unbalanced or otherwise
   refused file stores nothing: the job ends FAILED with the reason.
2. **The storing.** The spooled rows are stored in chunks (``CHUNK_ROWS``), each one short
   transaction that also moves the job's ``cursor``. So a long import never holds the
   database's write lock for more than a moment (SQLite has one writer at a time), pages
   keep working meanwhile, and a crash loses one chunk at most: the import resumes after
   the last committed chunk (``resume_import``, from its page), and reading the file again
   gives the same rows in the same order. Entries already stored, by an earlier import of
   the same file or of an overlapping statement, are skipped and counted. An entry whose
   bank reference is already stored with other data (amount, dates, counterparty, ...) is
   not a duplicate: it is stored too, under a key of its own, flagged (``repeats``) and left
   for a person in the work queue.

A statement without an opening and closing balance is imported with a warning on the job
(``warning_message``): nothing could be checked against the balances. When both are there,
the parser checks them (see ``camt053``).

Matching entries to payment instructions and participants is the reconciliation step
(``reconcile.py``), called through ``matcher``: a callable that receives each chunk of new
``BankEntry`` objects inside the chunk's transaction, ids given but not yet written, and
sets ``match_status`` on those it matched; the chunk is then written as it stands. The
matcher may return a function, called once the chunk is written, to store what refers to
the entries. Flagged entries are not given to the matcher. The job's matched/unmatched
counts are read back from the database.

Uploads from the UI run in the background: ``receive_upload`` stores the file and creates the
job, ``import_statement_task`` imports it into that job while the page polls its progress.
Only one run works on a job at a time: each run claims it with a token (``run_token``) and
checks the token in every chunk, so a run that lost the job to a resumed one stops.
"""

import hashlib
import io
import pickle
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from operator import attrgetter, itemgetter
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from ontzorg.audit.services import record
from ontzorg.bulk import insert_rows, reserve_ids
from ontzorg.core import access, deadtasks
from ontzorg.exceptions import PermissionDenied, Refused

from . import camt053, events, reconcile
from .constants import BANK_RIGHT, RUNNING_STATUSES, ImportStatus, MatchStatus
from .models import AccountAlias, BankEntry, BankStatement, StatementImport
from .querysets import require_region

# Booked entries per chunk, one transaction each. SQLite has one writer at a time: its
# chunks stay small enough to take a fraction of a second, so that pages which write (an
# audit entry per participant page) hardly wait. PostgreSQL locks rows, not the database;
# smaller chunks there only cost speed.
CHUNK_ROWS = {"postgresql": 5000, "sqlite": 500}
# On SQLite a chunk should hold the write lock for well under a second: a chunk that takes
# longer than this makes the next ones smaller (a busy machine), down to _MIN_CHUNK_ROWS.
CHUNK_SECONDS = {"sqlite": 0.4}
_MIN_CHUNK_ROWS = 25
# ... and between two chunks it lets go for a moment: a page waiting for the lock polls
# (SQLite's busy handler sleeps up to 100 ms between tries), and an import that took the
# lock again at once would win every time.
CHUNK_PAUSE = {"sqlite": 0.1}
# A running import that showed no sign of life for this long has stopped (its worker died).
STALE_AFTER = timedelta(minutes=2)
# How often the check pass, which writes nothing, tells that it is still alive.
_HEARTBEAT_EVERY = timedelta(seconds=5)

Matcher = Callable[[list[BankEntry]], Callable[[], None] | None]
# The default matcher: reconcile new entries by the rules of reconcile.py.
RECONCILE = object()


class ImportRefused(Refused):
    """The file was refused; ``job`` is the failed import, kept for the report."""

    def __init__(self, message: str, job: StatementImport):
        super().__init__(message)
        self.job = job


class ImportInterrupted(Refused):
    """Storing stopped part-way (chunks stored so far stay); ``job`` can be resumed."""

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
    """Import a camt.052/.053/.054 file (a path, bytes or a seekable binary file object).

    New entries are reconciled (``reconcile.py``) unless another ``matcher`` (or None) is
    given. With a ``region``, every statement in the file must be of that region's paying
    account. ``job`` is an import created earlier by ``receive_upload``, or one being resumed;
    a job another run is working on is returned as it is.

    Returns the job; raises ``ImportRefused`` (with the failed job) when the file is refused,
    in which case nothing of it is stored, and ``ImportInterrupted`` when storing stopped
    part-way (the job can be resumed).
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
    token = _claim(job)
    if token is None:
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    if matcher is RECONCILE:
        matcher = reconcile.matcher_for(user)
    with tempfile.TemporaryFile(prefix="ontzorg-camt-") as spool:
        try:
            checked = _check(job, token, _rewound(file), max_bytes, spool)
        except camt053.StatementError as error:
            raise _fail(user, job, token, error.dutch) from error
        except _Refusal as refusal:
            raise _fail(user, job, token, refusal.message) from None
        except _Lost:
            job.refresh_from_db()
            return job
        try:
            _store(job, token, checked, spool, matcher)
            _finish(user, job, token)
        except _Lost:
            job.refresh_from_db()
            return job
        except _Refusal as refusal:
            raise _interrupt(job, token, refusal.message) from None
        except IntegrityError as error:
            raise _interrupt(
                job,
                token,
                _(
                    "The same entries were being imported at the same time by another "
                    "import. Resume the import: what has been stored is skipped."
                ),
            ) from error
        except DataError as error:
            raise _interrupt(
                job,
                token,
                _("A value in the file is longer or larger than the database allows."),
            ) from error
        except DatabaseError as error:
            raise _interrupt(
                job,
                token,
                _(
                    "The database was busy for too long or could not be reached. Resume "
                    "the import: what has been stored is skipped."
                ),
            ) from error
        except Exception:
            _interrupt(job, token, _("Something went wrong while storing. Resume the import."))
            raise
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


def is_stale(job: StatementImport) -> bool:
    """Whether a job that should be running showed no sign of life for ``STALE_AFTER``."""
    last = job.heartbeat_at or job.received_at
    return job.status in RUNNING_STATUSES and timezone.now() - last > STALE_AFTER


def may_resume(job: StatementImport) -> bool:
    """Whether the job's page offers to resume it: interrupted, or silent too long."""
    return bool(job.stored_file) and (job.status == ImportStatus.INTERRUPTED or is_stale(job))


# --- the check pass ------------------------------------------------------------------------

# The columns of a spooled row: what the file says about one booked entry, in the order of
# the model's fields from ``entry_key`` on (see _ENTRY_FIELDS).
_ROW_FIELDS = (
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
)
# What must be equal for an entry under a known bank reference to be the same entry: money,
# dates and parties. Names and descriptions are left out: banks word them differently in a
# notification and in the statement of the same booking.
_SAME_FIELDS = (
    "amount_cents",
    "currency",
    "booked_on",
    "value_on",
    "reversal",
    "end_to_end_id",
    "counterparty_iban",
    "return_reason",
)
_SAME = itemgetter(*(_ROW_FIELDS.index(name) for name in _SAME_FIELDS))
# Longest value per column (the model's max_length), checked before anything is stored.
_LIMITS = tuple(
    (_ROW_FIELDS.index(name), BankEntry._meta.get_field(name).max_length, label)
    for name, label in (
        ("entry_ref", "NtryRef"),
        ("end_to_end_id", "EndToEndId"),
        ("account_servicer_ref", "AcctSvcrRef"),
        ("bank_transaction_code", gettext_lazy("transaction code")),
        ("counterparty_name", gettext_lazy("counterparty name")),
        ("counterparty_iban", gettext_lazy("counterparty IBAN")),
        ("creditor_reference", gettext_lazy("payment reference")),
        ("return_reason", gettext_lazy("return reason")),
        ("currency", gettext_lazy("currency")),
    )
)
# A repeated bank reference gets a key of its own: "ref:...~" and 12 hex digits.
_MAX_REFERENCE = BankEntry._meta.get_field("entry_key").max_length - len("ref:~") - 12
# What a statement says, for its fingerprint: the header and every entry, in order, but not
# which file or message brought it (the same statement may come again in another message).
_STATEMENT_CONTENT = attrgetter(
    "statement_id",
    "account_iban",
    "account_other_id",
    "electronic_sequence",
    "currency",
    "opening_balance_cents",
    "opening_balance_type",
    "opening_date",
    "closing_balance_cents",
    "closing_date",
)
_ENTRY_CONTENT = attrgetter(
    *(name for name in camt053.Entry.__slots__ if name not in ("statement_id", "account_iban"))
)


@dataclass
class _Statement:
    """One statement of the file, as the check pass found it."""

    header: camt053.Statement
    account_iban: str  # our account: the IBAN in the file, or the one its alias stands for
    region_id: int | None
    digest: str = ""


@dataclass
class _Checked:
    statements: list[_Statement]


class _Refusal(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Lost(Exception):
    """Another run took the job over; this one stops without touching it."""


def _accounts() -> tuple[dict[str, int], dict[str, tuple[str, int]]]:
    """Each paying account's region by IBAN, and each alias's (IBAN of the region's own
    account, region)."""
    regions = reconcile.region_by_account()
    iban_of = reconcile.regional_iban()
    aliases = {
        identifier: (iban_of[region_id], region_id)
        for identifier, region_id in AccountAlias.objects.values_list("identifier", "region_id")
        if region_id in iban_of
    }
    return regions, aliases


def _check(job, token: str, file, max_bytes, spool) -> _Checked:
    """Read the whole file, refusing it on the first problem; spool the rows to store.
    Sets the job's counts of what the file holds and its warnings (saved by the caller)."""
    regions, aliases = _accounts()
    own = None
    if job.region_id is not None:
        own = {iban for iban, region_id in regions.items() if region_id == job.region_id}
    statements: list[_Statement] = []
    foreign: list[str] = []
    occurrences: Counter = Counter()
    rows: list[tuple] = []
    chunk_rows = _chunk_rows()
    entries = not_booked = 0
    digest = None
    entry_type = camt053.Entry
    booked = camt053.BOOKED
    beat_at = timezone.now()

    def flush():
        if statements:
            pickle.dump((len(statements) - 1, rows), spool, pickle.HIGHEST_PROTOCOL)
            rows.clear()

    def close():
        if statements:
            statements[-1].digest = digest.hexdigest()

    for item in camt053.parse(file, max_bytes=max_bytes):
        if type(item) is not entry_type:
            flush()
            close()
            account = _account_of(item, regions, aliases, own, job)
            if isinstance(account, str):
                foreign.append(account)
                account = ("", None)
            statements.append(_Statement(item, *account))
            digest = hashlib.sha256(repr(_STATEMENT_CONTENT(item)).encode())
            occurrences.clear()
            _check_header(item)
            continue
        entries += 1
        digest.update(repr(_ENTRY_CONTENT(item)).encode())
        if entries % 10_000 == 0 and timezone.now() - beat_at > _HEARTBEAT_EVERY:
            beat_at = timezone.now()
            _beat(job, token, entries_read=entries)
        if item.status != booked:
            # A pending entry comes back booked, under the same reference, in a later file.
            not_booked += 1
            continue
        if foreign:
            continue
        key = entry_key(item)
        if key[0] == "h":  # "hash:..."
            occurrences[key] += 1
            key = entry_key(item, occurrences[key])
        row = (
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
        )
        _check_lengths(row, item)
        rows.append(row)
        if len(rows) >= chunk_rows:
            flush()
    flush()
    close()
    if foreign:
        raise _Refusal(_foreign_message(foreign, job))
    _check_known(statements)
    job.statements_read = len(statements)
    job.entries_read = entries
    job.not_booked_skipped = not_booked
    job.warning_message = _warnings(statements)
    spool.seek(0)
    return _Checked(statements)


def _account_of(header, regions, aliases, own, job) -> tuple[str, int | None] | str:
    """(our IBAN, its region) for a statement, or the text naming an account we refuse."""
    if header.account_iban:
        iban = reconcile.normalise_iban(header.account_iban)
        if own is not None and iban not in own:
            return header.account_iban
        return iban, regions.get(iban)
    known = aliases.get(header.account_other_id)
    if known is None or (own is not None and known[0] not in own):
        return _("identification %(id)s (no IBAN)") % {"id": header.account_other_id}
    return known


def _foreign_message(accounts: list[str], job) -> str:
    names = ", ".join(sorted(set(accounts)))
    if job.region_id is not None:
        return _(
            "The file contains statements of account %(accounts)s; that is not the "
            "paying account of %(region)s. Nothing has been imported."
        ) % {"accounts": names, "region": job.region}
    return _(
        "The file contains statements of account %(accounts)s; that "
        "identification is set up for no region (Admin → Other identifications "
        "of the paying account). Nothing has been imported."
    ) % {"accounts": names}


def _check_header(header: camt053.Statement) -> None:
    for value, limit, label in (
        (header.statement_id, 35, _("statement id")),
        (header.message_id or "", 35, _("message id")),
        (header.account_other_id or "", 35, _("account identification")),
        (header.currency, 3, _("currency")),
    ):
        if len(value) > limit:
            raise _Refusal(
                _(
                    "Statement %(statement)s: %(field)s is longer than %(limit)s "
                    "characters. Nothing has been imported."
                )
                % {"statement": header.statement_id[:35], "field": label, "limit": limit}
            )


def _check_lengths(row: tuple, item: camt053.Entry) -> None:
    for index, limit, label in _LIMITS:
        if len(row[index]) > limit:
            raise _Refusal(
                _(
                    "Statement %(statement)s entry %(entry)s: %(field)s is longer than "
                    "%(limit)s characters (%(length)s). Nothing has been imported."
                )
                % {
                    "statement": item.statement_id,
                    "entry": item.entry_sequence,
                    "field": label,
                    "limit": limit,
                    "length": len(row[index]),
                }
            )
    if row[0][0] == "r" and len(row[0]) > _MAX_REFERENCE + len("ref:"):
        raise _Refusal(
            _(
                "Statement %(statement)s entry %(entry)s: the bank reference "
                "(AcctSvcrRef) is longer than %(limit)s characters. Nothing has been "
                "imported."
            )
            % {
                "statement": item.statement_id,
                "entry": item.entry_sequence,
                "limit": _MAX_REFERENCE,
            }
        )


def _check_known(statements: list[_Statement]) -> None:
    """Refuse a statement id that is stored, or twice in the file, with other content."""
    in_file: dict[tuple[str, str], str] = {}
    for statement in statements:
        key = (statement.account_iban, statement.header.statement_id)
        if in_file.setdefault(key, statement.digest) != statement.digest:
            raise _Refusal(
                _(
                    "Statement %(statement)s is in the file twice, with different content. "
                    "Nothing has been imported."
                )
                % {"statement": key[1]}
            )
    stored = BankStatement.objects.filter(
        account_iban__in={iban for iban, _ in in_file},
        statement_id__in={statement_id for _, statement_id in in_file},
    ).select_related("first_import")
    headers = {(s.account_iban, s.header.statement_id): s.header for s in statements}
    for row in stored:
        key = (row.account_iban, row.statement_id)
        if key not in in_file:
            continue
        if row.content_sha256:
            same = row.content_sha256 == in_file[key]
        else:
            # Stored before fingerprints were kept: compare what the header says.
            header = headers[key]
            same = (
                row.opening_balance_cents,
                row.opening_on,
                row.closing_balance_cents,
                row.closing_on,
                row.electronic_sequence,
            ) == (
                header.opening_balance_cents,
                header.opening_date,
                header.closing_balance_cents,
                header.closing_date,
                header.electronic_sequence,
            )
        if not same:
            first = row.first_import
            raise _Refusal(
                _(
                    "Statement %(statement)s of account %(iban)s was imported before (file "
                    "%(file)s, %(at)s), but with other content. A bank corrects a "
                    "statement with a new statement, not under the same number: ask the "
                    "bank what happened. Nothing has been imported."
                )
                % {
                    "statement": row.statement_id,
                    "iban": row.account_iban,
                    "file": first.file_name,
                    "at": f"{timezone.localtime(first.received_at):%d-%m-%Y %H:%M}",
                }
            )


def _warnings(statements: list[_Statement]) -> str:
    unchecked = [s.header.statement_id for s in statements if not s.header.has_balances]
    if not unchecked:
        return ""
    which = ", ".join(unchecked[:10])
    if len(unchecked) > 10:
        which = _("%(statements)s and %(more)s more") % {
            "statements": which,
            "more": len(unchecked) - 10,
        }
    return _(
        "Statement %(statements)s has no opening and closing balance. The "
        "entries have been imported, but not checked against the bank's "
        "balances."
    ) % {"statements": which}


# --- the storing pass ----------------------------------------------------------------------

# The columns of a new bank entry, in the model's order (without the id): the rows that
# _store builds become BankEntry objects for the matcher, and are written from those.
_ENTRY_FIELDS = (
    "statement_id",
    "statement_import_id",
    "account_iban",
    *_ROW_FIELDS,
    "match_status",
    "repeats_id",
)
_KEY = 0  # in a spooled row
_DETAIL = 1


def _chunk_rows() -> int:
    return CHUNK_ROWS.get(connection.vendor, CHUNK_ROWS["sqlite"])


def _spooled(spool):
    while True:
        try:
            yield pickle.load(spool)  # our own spool, written by _check
        except EOFError:
            return


def _store(job, token: str, checked: _Checked, spool, matcher) -> None:
    """Store the spooled rows chunk by chunk from the job's cursor on."""
    _save(
        job,
        token,
        "status",
        "statements_read",
        "entries_read",
        "not_booked_skipped",
        "warning_message",
        status=ImportStatus.PARSED,
    )
    rows_statements: dict[int, BankStatement] = {}
    position = 0
    budget = CHUNK_SECONDS.get(connection.vendor)
    pause = CHUNK_PAUSE.get(connection.vendor, 0)
    size = _chunk_rows()
    chunks = 0
    for index, rows in _spooled(spool):
        start = position
        position += len(rows)
        if rows and position <= job.cursor:
            continue  # stored by an earlier run
        done = max(0, job.cursor - start)
        while True:
            part = rows[done : done + size]
            if pause and chunks:
                time.sleep(pause)
            chunks += 1
            started = time.monotonic()
            with transaction.atomic():
                _check_token(job, token)
                statement = rows_statements.get(index)
                if statement is None:
                    statement = _statement_row(job, checked.statements[index])
                    rows_statements[index] = statement
                if part:
                    _insert(job, statement, part, matcher)
                done += len(part)
                job.cursor = start + done
                job.heartbeat_at = timezone.now()
                job.save(
                    update_fields=[
                        "cursor",
                        "heartbeat_at",
                        "entries_new",
                        "duplicates_skipped",
                        "conflicts",
                    ]
                )
            if budget is not None:
                size = _next_size(size, time.monotonic() - started, budget)
            if done >= len(rows):
                break


def _next_size(size: int, seconds: float, budget: float) -> int:
    """The next chunk's rows: halved when a chunk took longer than ``budget`` (a busy
    machine), doubled back up to ``CHUNK_ROWS`` when it took well under it."""
    if seconds > budget:
        return max(_MIN_CHUNK_ROWS, size // 2)
    if seconds < budget / 4:
        return min(_chunk_rows(), size * 2)
    return size


def _finish(user, job, token: str) -> None:
    with transaction.atomic():
        _check_token(job, token)
        job.matched = job.entries.filter(match_status=MatchStatus.MATCHED).count()
        job.unmatched = job.entries_new - job.matched
        job.status = ImportStatus.BOOKED
        job.finished_at = timezone.now()
        job.error_message = ""
        job.run_token = ""
        job.save()
        record(
            user,
            events.IMPORT_BOOKED,
            job,
            file_name=job.file_name,
            new=job.entries_new,
            duplicates=job.duplicates_skipped,
        )


def _statement_row(job, statement: _Statement) -> BankStatement:
    header = statement.header
    row, created = BankStatement.objects.get_or_create(
        account_iban=statement.account_iban,
        statement_id=header.statement_id,
        defaults={
            "account_other_id": header.account_other_id or "",
            "electronic_sequence": header.electronic_sequence,
            "version": header.version,
            "message_id": header.message_id or "",
            "currency": header.currency,
            "opening_balance_cents": header.opening_balance_cents,
            "opening_on": header.opening_date,
            "closing_balance_cents": header.closing_balance_cents,
            "closing_on": header.closing_date,
            "balances_checked": header.has_balances,
            "content_sha256": statement.digest,
            "first_import": job,
            "region_id": statement.region_id,
        },
    )
    if not created:
        if row.content_sha256 and row.content_sha256 != statement.digest:
            # Stored with other content after this file was checked (another import).
            raise _Refusal(
                _(
                    "Statement %(statement)s has meanwhile been stored with other content "
                    "by another import. What has been stored of this file stays."
                )
                % {"statement": header.statement_id}
            )
        if not row.content_sha256:
            row.content_sha256 = statement.digest
            row.save(update_fields=["content_sha256"])
    return row


def _insert(job, statement, batch: list[tuple], matcher) -> None:
    """Store the rows of ``batch`` not stored yet: new ones after ``matcher`` matched them,
    and those repeating a stored bank reference with other data, flagged, unmatched.

    Rows are written as plain values (COPY on PostgreSQL, see ontzorg.bulk), with ids drawn
    first so that the matcher can refer to them: building model objects for ``bulk_create``
    and updating the matched ones afterwards would cost more than reading the file."""
    iban = statement.account_iban
    known = _stored(iban, {row[_KEY] for row in batch})
    new: list[tuple] = []
    repeats: dict[int, object] = {}  # index in new -> the pk, or the index, of the original
    repeated: list[tuple[int, tuple, tuple]] = []  # (row index, row, original) to sort out
    for row in batch:
        key = (row[_KEY], row[_DETAIL])
        same = _SAME(row)
        seen = known.get(key)
        if seen is None:
            known[key] = (("new", len(new)), same)
            new.append(row)
        elif seen[1] == same:
            job.duplicates_skipped += 1
        else:
            repeated.append((len(repeated), row, seen[0]))
    if repeated:
        alternatives = {_repeat_key(row) for _, row, _ in repeated}
        known.update(_stored(iban, alternatives))
        for _, row, original in repeated:
            row = (_repeat_key(row), *row[1:])
            key = (row[_KEY], row[_DETAIL])
            if key in known:
                job.duplicates_skipped += 1
                continue
            known[key] = (("new", len(new)), _SAME(row))
            repeats[len(new)] = original
            new.append(row)
    if not new:
        return
    ids = reserve_ids(BankEntry, len(new))
    unmatched = MatchStatus.UNMATCHED.value

    def pk_of(reference):
        return ids[reference[1]] if isinstance(reference, tuple) else reference

    names = ("id", *_ENTRY_FIELDS)
    head = (statement.pk, job.pk, iban)
    entries = [
        BankEntry.from_db(connection.alias, names, (pk, *head, *row, unmatched, None))
        for number, (pk, row) in enumerate(zip(ids, new, strict=True))
        if number not in repeats
    ]
    after = matcher(entries) if matcher is not None and entries else None
    status = {entry.pk: entry.match_status for entry in entries}
    insert_rows(
        BankEntry,
        names,
        [
            (
                pk,
                *head,
                *row,
                status.get(pk, unmatched),
                pk_of(repeats[number]) if number in repeats else None,
            )
            for number, (pk, row) in enumerate(zip(ids, new, strict=True))
        ],
    )
    job.entries_new += len(new)
    job.conflicts += len(repeats)
    if after is not None:
        after()


def _stored(iban: str, keys: set[str]) -> dict[tuple[str, int], tuple]:
    """The stored entries of ``keys`` on ``iban``: (key, detail) -> (pk, what must be same)."""
    if not keys:
        return {}
    rows = BankEntry.objects.filter(account_iban=iban, entry_key__in=keys).values_list(
        "pk", "entry_key", "detail_sequence", *_SAME_FIELDS
    )
    return {(key, detail): (pk, tuple(same)) for pk, key, detail, *same in rows}


def _repeat_key(row: tuple) -> str:
    """The key of an entry that repeats a stored bank reference with other data."""
    digest = hashlib.sha256(repr(_SAME(row)).encode()).hexdigest()[:12]
    return f"{row[_KEY]}~{digest}"


# --- claiming, failing, interrupting -------------------------------------------------------


def _claim(job) -> str | None:
    """Take the job for this run: a job no run holds, or whose run went silent."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        StatementImport.objects.filter(
            pk=job.pk, status__in=(*RUNNING_STATUSES, ImportStatus.INTERRUPTED)
        )
        .filter(Q(run_token="") | Q(heartbeat_at__lt=now - STALE_AFTER))
        .update(run_token=token, heartbeat_at=now)
    )
    return token if claimed else None


def _check_token(job, token: str) -> None:
    """Inside a chunk's transaction: stop unless this run still holds the job (its row is
    locked until the chunk commits, so a resume waits for it)."""
    held = (
        StatementImport.objects.select_for_update()
        .filter(pk=job.pk)
        .values_list("run_token", flat=True)
        .first()
    )
    if held != token:
        raise _Lost


def _beat(job, token: str, **fields) -> None:
    now = timezone.now()
    if not StatementImport.objects.filter(pk=job.pk, run_token=token).update(
        heartbeat_at=now, **fields
    ):
        raise _Lost
    job.heartbeat_at = now


def _save(job, token: str, *fields: str, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    job.heartbeat_at = timezone.now()
    updated = StatementImport.objects.filter(pk=job.pk, run_token=token).update(
        heartbeat_at=job.heartbeat_at, **{name: getattr(job, name) for name in fields}
    )
    if not updated:
        raise _Lost


def _fail(user, job, token: str, message: str) -> Refused:
    """The check refused the file. Nothing of it is stored, unless an earlier run of this job
    stored chunks (a resumed import): then the job is interrupted, not failed."""
    if job.cursor:
        return _interrupt(job, token, message)
    StatementImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        errors=job.errors + 1,
        error_message=message,
        finished_at=timezone.now(),
        run_token="",
        statements_read=0,
        entries_read=0,
        not_booked_skipped=0,
        warning_message="",
    )
    job.refresh_from_db()
    record(user, events.IMPORT_REFUSED, job, file_name=job.file_name)
    return ImportRefused(message, job)


def _interrupt(job, token: str, message: str) -> ImportInterrupted:
    StatementImport.objects.filter(pk=job.pk, run_token=token).update(
        status=ImportStatus.INTERRUPTED, error_message=message, run_token=""
    )
    job.refresh_from_db()
    return ImportInterrupted(message, job)


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


def resume_import(user, job: StatementImport) -> StatementImport:
    """Queue an interrupted import again, or one whose run went silent (a crashed worker).
    It continues after the last stored chunk; a run still working on it stops."""
    access.require(user, BANK_RIGHT)
    with transaction.atomic():
        job = access.get_or_refuse(
            StatementImport.objects.select_for_update().select_related("region"), user, pk=job.pk
        )
        if job.status not in (*RUNNING_STATUSES, ImportStatus.INTERRUPTED):
            raise Refused(_("This import has already finished."))
        if job.status != ImportStatus.INTERRUPTED and not is_stale(job):
            raise Refused(_("The import is still running; wait until it is done."))
        if not job.stored_file:
            raise Refused(
                _(
                    "The file of this import was not kept. Import it again: what has been "
                    "stored is skipped."
                )
            )
        job.status = ImportStatus.RECEIVED
        job.run_token = ""
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "run_token", "heartbeat_at"])
        record(user, events.IMPORT_RESUMED, job, file_name=job.file_name, done=job.cursor)
    import_statement_task.enqueue(job.pk)
    return job


@task()
def import_statement_task(job_id: int) -> None:
    run_import(job_id)


def run_import(job_id: int) -> StatementImport:
    """Import a received upload into its job; a finished job is left alone."""
    job = StatementImport.objects.select_related("uploaded_by", "region").get(pk=job_id)
    if job.status not in (*RUNNING_STATUSES, ImportStatus.INTERRUPTED):
        return job
    try:
        with default_storage.open(job.stored_file, "rb") as file:
            import_statement(job.uploaded_by, file, job=job)
    except (ImportRefused, ImportInterrupted):
        pass
    except PermissionDenied:
        token = _claim(job)
        if token is not None:
            _fail(
                job.uploaded_by,
                job,
                token,
                _("The uploader may not import bank statements (any more)."),
            )
    job.refresh_from_db()
    return job


def _mark_dead(job_id: int) -> None:
    """Called by ``mark_dead_tasks`` for an import task whose worker is gone."""
    StatementImport.objects.filter(pk=job_id, status__in=RUNNING_STATUSES).update(
        status=ImportStatus.INTERRUPTED,
        run_token="",
        error_message=_(
            "Processing stopped: the background task is no longer active. Resume "
            "the import; what has been stored is skipped."
        ),
    )


def _last_sign_of_life(job_id: int):
    return StatementImport.objects.filter(pk=job_id).values_list("heartbeat_at", flat=True).first()


deadtasks.watch(
    import_statement_task,
    job=lambda args, kwargs: args[0] if args else kwargs["job_id"],
    last_sign_of_life=_last_sign_of_life,
    on_dead=_mark_dead,
)
