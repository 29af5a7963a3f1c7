"""Posting to the ledger. Every posting is balanced and idempotent on its key: posting the
same key again returns the transaction already there, also when two processes race, because
the database's unique constraint on the key decides. Corrections are reversing postings."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit.services import record
from ontzorg.bulk import insert_rows, insert_rows_returning_ids
from ontzorg.core import access
from ontzorg.exceptions import Refused

from . import events
from .constants import AccountKind, Source
from .models import Account, Entry, Transaction
from .querysets import BalanceCheck

Line = tuple[Account | int, int]

TRANSACTION_FIELDS = ("key", "posted_at", "booked_on", "period", "description", "source")
TRANSACTION_FIELDS += ("run_id", "posted_by_id", "reverses_id")
# Keys looked up per query: well under SQLite's limit on query parameters.
KEYS_PER_QUERY = 10_000


class LedgerError(ValueError):
    """A posting that the ledger can never accept (a programming error, not a user error)."""


@dataclass(frozen=True)
class Posting:
    key: str
    lines: Sequence[Line]
    booked_on: date
    period: date
    description: str
    source: str = Source.MANUAL
    run_id: int | None = None
    posted_by_id: int | None = None
    reverses_id: int | None = None


def _account_id(account: Account | int) -> int:
    return account if isinstance(account, int) else account.pk


def _normalised(lines: Iterable[Line]) -> list[tuple[int, int]]:
    return sorted((_account_id(account), amount) for account, amount in lines)


def check_lines(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise LedgerError("A transaction needs at least two entries.")
    if any(amount == 0 for _, amount in lines):
        raise LedgerError("An entry cannot be zero.")
    if sum(amount for _, amount in lines) != 0:
        raise LedgerError("Debits and credits differ: the transaction does not balance.")


def _same_content(existing: Transaction, lines: Sequence[Line]) -> None:
    stored = sorted(existing.entries.values_list("account_id", "amount_cents"))
    if stored != _normalised(lines):
        raise LedgerError(f"Key {existing.key!r} was posted before with different entries.")


def post(
    key: str,
    lines: Sequence[Line],
    *,
    booked_on: date,
    period: date,
    description: str,
    source: str = Source.MANUAL,
    run=None,
    posted_by=None,
    reverses: Transaction | None = None,
) -> tuple[Transaction, bool]:
    """Post one balanced transaction; returns (transaction, created)."""
    check_lines(lines)
    existing = Transaction.objects.filter(key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                created = Transaction.objects.create(
                    key=key,
                    booked_on=booked_on,
                    period=period,
                    description=description[:255],
                    source=source,
                    run=run,
                    posted_by=posted_by if getattr(posted_by, "is_authenticated", False) else None,
                    reverses=reverses,
                )
                Entry.objects.bulk_create(
                    Entry(transaction=created, account_id=_account_id(a), amount_cents=amount)
                    for a, amount in lines
                )
            return created, True
        except IntegrityError:
            # Someone else posted the same key first; theirs stands.
            existing = Transaction.objects.filter(key=key).first()
            if existing is None:
                raise
    _same_content(existing, lines)
    return existing, False


def post_many(postings: Sequence[Posting]) -> int:
    """Post many transactions in one database transaction; keys already posted are skipped.
    Returns how many were created. Callers hold the lock that keeps others off these keys;
    if they did not, the unique key still refuses the second copy (IntegrityError)."""
    for posting in postings:
        check_lines(posting.lines)
    with transaction.atomic():
        keys = [p.key for p in postings]
        done = set()
        for start in range(0, len(keys), KEYS_PER_QUERY):
            done.update(
                Transaction.objects.filter(
                    key__in=keys[start : start + KEYS_PER_QUERY]
                ).values_list("key", flat=True)
            )
        todo = [p for p in postings if p.key not in done]
        if not todo:
            return 0
        now = timezone.now()
        ids = insert_rows_returning_ids(
            Transaction,
            TRANSACTION_FIELDS,
            [
                (
                    p.key,
                    now,
                    p.booked_on,
                    p.period,
                    p.description[:255],
                    p.source,
                    p.run_id,
                    p.posted_by_id,
                    p.reverses_id,
                )
                for p in todo
            ],
        )
        insert_rows(
            Entry,
            ("transaction_id", "account_id", "amount_cents"),
            (
                (tx_id, _account_id(a), amount)
                for tx_id, p in zip(ids, todo, strict=True)
                for a, amount in p.lines
            ),
        )
    return len(todo)


def reverse(user, original: Transaction, *, reason: str, booked_on: date | None = None):
    """Correct a posting by posting its exact opposite; the original stays as it was."""
    access.require(user, "prepares_payments")
    if not reason.strip():
        raise Refused(_("Give a reason for the correction."))
    if Transaction.objects.filter(reverses=original).exists():
        raise Refused(_("This transaction has already been corrected."))
    lines = [
        (account_id, -amount)
        for account_id, amount in original.entries.values_list("account_id", "amount_cents")
    ]
    with transaction.atomic():
        correction, _created = post(
            f"reverse:{original.key}"[:120],
            lines,
            booked_on=booked_on or timezone.localdate(),
            period=original.period,
            description=f"Correctie: {reason}",
            source=Source.MANUAL,
            run=original.run,
            posted_by=user,
            reverses=original,
        )
        record(user, events.REVERSED, correction, original=original.pk)
    return correction


def account(kind: str, *, participant=None, region=None, creditor=None, pot: str = "") -> Account:
    """The one account for this owner, kind and creditor or pot, created on first use."""
    lookup = dict(
        kind=kind,
        participant=participant,
        region=region,
        creditor=creditor,
        pot=pot,
    )
    found = Account.objects.filter(**lookup).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup)
    except IntegrityError:
        return Account.objects.get(**lookup)


AccountSpec = tuple[str, int | None, int | None, int | None, str]
"""(kind, participant id, region id, creditor id, pot): what identifies an account."""


def accounts(specs: Iterable[AccountSpec]) -> dict[AccountSpec, int]:
    """Account ids for many specs at once, creating the missing ones in bulk."""
    wanted = set(specs)

    def load() -> dict[AccountSpec, int]:
        participant_ids = {s[1] for s in wanted if s[1]}
        region_ids = {s[2] for s in wanted if s[2]}
        rows = Account.objects.filter(participant_id__in=participant_ids).values_list(
            "kind", "participant_id", "region_id", "creditor_id", "pot", "pk"
        )
        rows = list(rows) + list(
            Account.objects.filter(region_id__in=region_ids).values_list(
                "kind", "participant_id", "region_id", "creditor_id", "pot", "pk"
            )
        )
        return {row[:5]: row[5] for row in rows if row[:5] in wanted}

    found = load()
    missing = wanted - set(found)
    if missing:
        insert_rows(
            Account,
            ("kind", "participant_id", "region_id", "creditor_id", "pot"),
            missing,
            ignore_conflicts=True,
        )
        found = load()
    return found


def balance_check(*, run=None, participant=None, period: date | None = None) -> BalanceCheck:
    """Prove that debits equal credits for the transactions of a run, a participant and/or a
    period (any combination; none means the whole ledger)."""
    transactions = Transaction.objects.all()
    if run is not None:
        transactions = transactions.for_run(run)
    if participant is not None:
        transactions = transactions.for_participant(participant)
    if period is not None:
        transactions = transactions.for_period(period)
    return transactions.balance_check()


def participant_balances(participant, *, period: date | None = None) -> list[tuple[Account, int]]:
    """Each of the participant's accounts with its balance in cents (debit positive)."""
    entries = Entry.objects.filter(account__participant=participant)
    if period is not None:
        entries = entries.filter(transaction__period=period)
    totals = {row["account_id"]: row["balance_cents"] for row in entries.balances_by_account()}
    found = Account.objects.filter(pk__in=totals).select_related("creditor")
    return sorted(
        ((a, totals[a.pk]) for a in found),
        key=lambda pair: (list(AccountKind).index(pair[0].kind), str(pair[0])),
    )
