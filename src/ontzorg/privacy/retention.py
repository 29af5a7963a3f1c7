"""Retention: what `manage.py apply_retention` does once a day, and nothing else does.

Four steps, each idempotent, so running twice (or late) changes nothing the second time:

1. anonymise participants whose term is over (``ONTZORG_RETENTION_PARTICIPANT_YEARS`` after
   the end of the trajectory and its nazorg; ``ONTZORG_RETENTION_NON_PARTICIPANT_YEARS``
   after the last decision or change for people who never took part). Names, BSN, IBAN,
   address, birth date (kept as its year), free texts and the names of household members are
   replaced by neutral values; the participant's id, regeling, phase, dates and every amount
   stay, so the ledger still balances and the monitor still counts them;
2. delete signals no one could match to a participant after
   ``ONTZORG_RETENTION_UNMATCHED_SIGNAL_MONTHS`` (they are about people who never took part);
3. delete stored files ``ONTZORG_RETENTION_FILE_DAYS`` after they were processed (or, for an
   import that never finished, after it was uploaded), keeping the record they belong to and
   an `ErasedFile` mark;
4. purge audit entries older than ``ONTZORG_AUDIT_RETENTION_YEARS`` (``privacy.purge``).

Each participant is anonymised in a savepoint of its own: one that fails is rolled back and
audited (`privacy.anonymisation_failed`), and the run goes on with the rest. Only one run at
a time: on PostgreSQL a second one finds the advisory lock taken and stops (`AlreadyRunning`);
SQLite serialises writers itself (IMMEDIATE transactions).

Each run writes one audit entry with its counts. What stays on purpose, and why, is in
docs/retention.md."""

import logging
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ontzorg.audit.services import record
from ontzorg.banking.constants import ImportStatus as BankImportStatus
from ontzorg.banking.models import BankEntry, Reconciliation, ReturnedPayment, StatementImport
from ontzorg.core.dates import add_months
from ontzorg.guidance.models import Contact, PracticalCondition, Referral
from ontzorg.inventory.models import Asset, Debt
from ontzorg.letters.models import MonthlyOverview, PdfBatch
from ontzorg.measurements.models import Measurement
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Household, HouseholdMember, HouseholdMove, Participant
from ontzorg.payments.models import PayeeCase, PaymentFile, PaymentInstruction
from ontzorg.plans.models import (
    Income,
    LineAmount,
    Machtiging,
    OneOffPayment,
    PlanDecision,
    PlanLine,
    PotPayout,
    ShortfallDecision,
)
from ontzorg.signals.constants import ImportStatus as SignalImportStatus
from ontzorg.signals.models import Signal, SignalImport, StatusChange
from ontzorg.trajectory.models import (
    Evaluation,
    HandoverCheck,
    NazorgPeriod,
    Outflow,
    PhaseOutStep,
)

from . import events, purge
from .constants import ANONYMISED, Term
from .models import Anonymisation, ErasedFile

# People who never took part: their (shorter) term runs from the last decision or change.
NON_PARTICIPANT_PHASES = (Phase.CANDIDATE, Phase.NOT_ELIGIBLE, Phase.OPTED_OUT)
# The payee fields of a payment instruction (and of a held-back one) to the participant's
# own account; a creditor's are not personal data and stay. They are emptied, never given
# a marker: the database lets an approved run's instructions change only that way
# (payments migration 0006).
PAYEE_FIELDS = ("name", "iban", "bic", "street", "building_number", "postcode", "town")
# Imports that never finished: their file goes ONTZORG_RETENTION_FILE_DAYS after the upload.
UNFINISHED_STATEMENTS = (
    BankImportStatus.RECEIVED,
    BankImportStatus.PARSED,
    BankImportStatus.INTERRUPTED,
)
UNFINISHED_SIGNAL_FILES = (
    SignalImportStatus.RECEIVED,
    SignalImportStatus.RUNNING,
    SignalImportStatus.INTERRUPTED,
)
# The PostgreSQL advisory lock that keeps a second run out (any fixed number; "oz-ret").
LOCK_KEY = 0x6F7A726574

logger = logging.getLogger(__name__)


class AlreadyRunning(Exception):
    """Another `apply_retention` holds the lock."""


@dataclass
class Report:
    participants: int = 0
    signals: int = 0
    files: int = 0
    audit_entries: int = 0
    failed: int = 0
    anonymised_ids: list[int] = field(default_factory=list)
    failed_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict:
        found = asdict(self)
        found.pop("anonymised_ids")
        found.pop("failed_ids")
        return found


@contextmanager
def only_run():
    """Hold the retention lock for the block; AlreadyRunning if another run has it. On
    PostgreSQL a session-level advisory lock (the run commits step by step, so a
    transaction-level one would not last); SQLite lets one writer in at a time anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise AlreadyRunning
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def apply(now: datetime | None = None) -> Report:
    """Apply every retention term as of `now` (default: the current time); AlreadyRunning
    (and nothing changed) if another run is busy."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = Report()
    with only_run():
        for participant_id, term, started_on in list(due_participants(today)):
            try:
                done = anonymise(participant_id, term, started_on)
            except Exception as error:  # one participant must not stop the daily run
                logger.exception("anonymising participant %s failed", participant_id)
                _failed(participant_id, error)
                report.failed += 1
                report.failed_ids.append(participant_id)
                continue
            if done:
                report.participants += 1
                report.anonymised_ids.append(participant_id)
        report.signals = delete_unmatched_signals(now)
        report.files = erase_files(now)
        done = purge.purge_audit(now, performed_by="manage.py apply_retention")
        report.audit_entries = done.deleted_count if done is not None else 0
        record(
            None, events.RETENTION_APPLIED, None, object_type="privacy.retention", **report.counts()
        )
    return report


def _failed(participant_id: int, error: Exception) -> None:
    """Audit a failed anonymisation (its savepoint is rolled back; the next run retries)."""
    participant = Participant.objects.filter(pk=participant_id).first()
    record(
        None,
        events.ANONYMISATION_FAILED,
        participant,
        object_type=Participant._meta.label,
        participant=participant,
        error=type(error).__name__,
    )


# --- participants ------------------------------------------------------------------------------


def due_participants(today: date):
    """(participant id, term, day the term started) of everyone whose term is over and who
    is not anonymised yet, in id order."""
    ended_before = add_months(today, -12 * settings.ONTZORG_RETENTION_PARTICIPANT_YEARS)
    left_before = add_months(today, -12 * settings.ONTZORG_RETENTION_NON_PARTICIPANT_YEARS)
    waiting = Participant.objects.filter(anonymisation__isnull=True).order_by("pk")
    ended = waiting.filter(phase=Phase.ENDED).annotate(
        plan_end=Max("plans__ended_on"),
        nazorg_end=Max(Coalesce("nazorg_periods__closed_on", "nazorg_periods__ends_on")),
        changed_on=TruncDate("updated_at"),
    )
    for row in ended.values("pk", "plan_end", "nazorg_end", "changed_on"):
        # The trajectory ends with its nazorg; without either, the last change closed it.
        known = [day for day in (row["plan_end"], row["nazorg_end"]) if day is not None]
        started_on = max(known) if known else row["changed_on"]
        if started_on < ended_before:
            yield row["pk"], Term.PARTICIPANT, started_on
    others = waiting.filter(phase__in=NON_PARTICIPANT_PHASES).annotate(
        decided_on=Max("decisions__decided_on"), changed_on=TruncDate("updated_at")
    )
    for row in others.values("pk", "decided_on", "changed_on"):
        started_on = max(day for day in (row["decided_on"], row["changed_on"]) if day)
        if started_on < left_before:
            yield row["pk"], Term.NON_PARTICIPANT, started_on


def _blank(queryset, *names: str, value: str = ANONYMISED) -> None:
    """Replace the non-empty values of these text fields by `value`."""
    for name in names:
        queryset.exclude(**{name: ""}).exclude(**{name: value}).update(**{name: value})


def anonymise(participant_id: int, term: str, started_on: date) -> bool:
    """Anonymise one participant in one transaction; False if already done."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant_id)
        if Anonymisation.objects.filter(participant=participant).exists():
            return False
        born = participant.date_of_birth
        participant.bsn = pseudonymous_bsn(participant.pk)
        participant.first_name = ANONYMISED
        participant.last_name = ANONYMISED
        participant.date_of_birth = born.replace(month=1, day=1)
        participant.languages = ""
        participant.iban = ""
        participant.account_holder_name = ""
        participant.save()
        _anonymise_household(participant)
        _anonymise_records(participant)
        Anonymisation.objects.create(participant=participant, term=term, term_started_on=started_on)
        record(
            None,
            events.PARTICIPANT_ANONYMISED,
            participant,
            participant=participant,
            term=str(Term(term).label),
        )
    return True


def pseudonymous_bsn(pk: int) -> str:
    """What stands in the (unique) BSN column after anonymising: never a valid BSN, because a
    BSN has only digits, so no signal or search can match it to anyone."""
    value = f"X{pk:08d}"
    if len(value) > 9:
        raise ValueError(f"participant id {pk} does not fit the BSN column")
    return value


def _anonymise_household(participant) -> None:
    """The home's address, moves and members are personal too, but shared: they go once the
    last participant of the household is anonymised (a partner may still be taking part)."""
    household = participant.household
    others = household.participants.exclude(pk=participant.pk).filter(anonymisation__isnull=True)
    if others.exists():
        return
    Household.objects.filter(pk=household.pk).update(
        street=ANONYMISED, house_number="", postcode="", city=""
    )
    moves = HouseholdMove.objects.filter(household=household)
    _blank(moves, "from_address", "to_address")
    members = HouseholdMember.objects.filter(household=household)
    _blank(members, "first_name")
    # The year of birth is kept: the monitor counts children and adults by age.
    for member in members.exclude(date_of_birth__month=1, date_of_birth__day=1):
        HouseholdMember.objects.filter(pk=member.pk).update(
            date_of_birth=member.date_of_birth.replace(month=1, day=1)
        )


def _anonymise_records(participant) -> None:
    """Every free text and payee detail about the participant, app by app; amounts, dates,
    kinds and links stay."""
    _blank(participant.decisions.all(), "reason")
    _blank(PlanDecision.objects.filter(plan__participant=participant), "reason")
    _blank(PlanLine.objects.filter(plan__participant=participant), "removal_reason")
    # A customer or contract number at the creditor identifies the participant there.
    _blank(PlanLine.objects.filter(plan__participant=participant), "reference")
    _blank(LineAmount.objects.filter(line__plan__participant=participant), "note")
    _blank(Income.objects.filter(participant=participant), "note")
    _blank(PotPayout.objects.filter(pot__plan__participant=participant), "reason")
    _blank(PotPayout.objects.filter(pot__plan__participant=participant), "reference", value="")
    one_offs = OneOffPayment.objects.filter(participant=participant)
    _blank(one_offs, "reason", "advance_reason")
    _blank(one_offs, "reference", value="")
    _blank(ShortfallDecision.objects.filter(plan__participant=participant), "reason")
    for machtiging in Machtiging.objects.filter(participant=participant).exclude(document=""):
        _erase(machtiging, machtiging.document.name)
        Machtiging.objects.filter(pk=machtiging.pk).update(document="")

    _blank(Contact.objects.filter(participant=participant), "notes")
    _blank(PracticalCondition.objects.filter(participant=participant), "description")
    _blank(Referral.objects.filter(participant=participant), "reason")
    # Debt and asset amounts stay (the monitor compares debt at the start and now); the
    # free texts beside them go.
    _blank(Debt.objects.filter(participant=participant), "note")
    _blank(Asset.objects.filter(participant=participant), "description")
    _blank(Measurement.objects.filter(participant=participant), "notes")
    _blank(
        Evaluation.objects.filter(participant=participant),
        "participant_view",
        "coach_view",
        "case_worker_view",
        "readiness",
        "reason",
    )
    _blank(PhaseOutStep.objects.filter(plan__participant=participant), "note")
    _blank(HandoverCheck.objects.filter(participant=participant), "note")
    _blank(Outflow.objects.filter(participant=participant), "employer")
    _blank(NazorgPeriod.objects.filter(participant=participant), "note")

    signals = Signal.objects.filter(participant=participant)
    signals.update(bsn="", postcode="", house_number="", date_of_birth=None)
    _blank(signals, "name", "note")
    _blank(signals, "reference", value="")
    _blank(StatusChange.objects.filter(signal__participant=participant), "note")

    _anonymise_payments(participant)
    # Made from the ledger, which stays; the overviews themselves name the payees.
    MonthlyOverview.objects.filter(participant=participant).delete()
    _blank(participant.proposals.all(), "summary", "reason")
    for proposal in participant.proposals.all():
        scrubbed = scrub(proposal.payload)
        if scrubbed != proposal.payload:
            type(proposal).objects.filter(pk=proposal.pk).update(payload=scrubbed)


# Keys of a proposal's or held-back payment's data that hold a name, an account or a text.
PERSONAL_KEYS = {
    "name",
    "account_holder_name",
    "iban",
    "bic",
    "street",
    "building_number",
    "postcode",
    "town",
    "reason",
    "advance_reason",
    "reference",
    "remittance",
    "note",
}


def scrub(value):
    """`value` (JSON data) with every personal key's text replaced by ANONYMISED."""
    if isinstance(value, dict):
        return {
            key: (
                ANONYMISED
                if key in PERSONAL_KEYS and isinstance(item, str) and item
                else scrub(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value


def _anonymise_payments(participant) -> None:
    """The payment instructions keep amount, date, kind and EndToEndId (the bank
    reconciliation and the ledger rest on them); the participant's own account and name as
    payee go, and so does the remittance text (it carries the customer number)."""
    instructions = PaymentInstruction.objects.filter(participant=participant)
    own = instructions.filter(creditor__isnull=True)
    _blank(own, *PAYEE_FIELDS, value="")
    _blank(instructions, "remittance", value="")
    cases = PayeeCase.objects.filter(participant=participant)
    # The problem text names the payee ("geen naam van de rekeninghouder bij NL..").
    _blank(cases, "problem")
    for case in cases:
        scrubbed = scrub(case.instructions)
        if scrubbed != case.instructions:
            PayeeCase.objects.filter(pk=case.pk).update(instructions=scrubbed)
    entries = BankEntry.objects.filter(
        Q(reconciliation__participant=participant)
        | Q(
            reconciliation__instruction__participant=participant,
            reconciliation__instruction__creditor__isnull=True,
        )
        | Q(returned_payment__instruction__participant=participant)
    )
    _blank(entries, "counterparty_name")
    _blank(entries, "counterparty_iban", "remittance", value="")
    # A hand-made match's note says why ("huur van mevrouw ..").
    _blank(Reconciliation.objects.filter(participant=participant), "note")
    _blank(
        Reconciliation.objects.filter(
            instruction__participant=participant, instruction__creditor__isnull=True
        ),
        "note",
    )
    returned = ReturnedPayment.objects.filter(
        instruction__participant=participant, instruction__creditor__isnull=True
    )
    _blank(returned, "repay_name")
    _blank(returned, "repay_iban", value="")


# --- signals about people who never took part ---------------------------------------------------


def delete_unmatched_signals(now: datetime) -> int:
    """Delete signals no one matched to a participant once their term is over (their
    follow-up history goes with them). Returns how many."""
    months = settings.ONTZORG_RETENTION_UNMATCHED_SIGNAL_MONTHS
    before = timezone.make_aware(
        datetime.combine(add_months(timezone.localdate(now), -months), datetime.min.time())
    )
    with transaction.atomic():
        due = Signal.objects.filter(participant__isnull=True, received_at__lt=before)
        count = due.count()
        if count:
            StatusChange.objects.filter(signal__in=due).delete()
            due.delete()
    return count


# --- stored files ---------------------------------------------------------------------------------


def _erase(obj, name: str) -> bool:
    """Delete the stored file `name` of `obj` and mark it; False if it was marked already.
    The file goes first: if that fails nothing is marked, and the next run tries again."""
    if ErasedFile.objects.for_object(obj).filter(name=name).exists():
        return False
    if name and default_storage.exists(name):
        default_storage.delete(name)
    ErasedFile.objects.create(object_type=obj._meta.label, object_id=str(obj.pk), name=name)
    return True


def erase_files(now: datetime) -> int:
    """Delete the files processed more than ``ONTZORG_RETENTION_FILE_DAYS`` ago: bank
    statements and signal CSVs once read in (or uploaded that long ago and never finished),
    pain.001 files (runs and repayments) once booked, zips of overview PDFs (letters) once
    made. Returns how many files were erased."""
    before = now - timedelta(days=settings.ONTZORG_RETENTION_FILE_DAYS)
    count = 0
    statements = StatementImport.objects.filter(
        Q(status__in=(BankImportStatus.BOOKED, BankImportStatus.FAILED), finished_at__lt=before)
        | Q(status__in=UNFINISHED_STATEMENTS, received_at__lt=before)
    ).exclude(stored_file="")
    signal_files = SignalImport.objects.filter(
        Q(status=SignalImportStatus.DONE, finished_at__lt=before)
        | Q(status__in=UNFINISHED_SIGNAL_FILES, received_at__lt=before)
    ).exclude(stored_file="")
    for job in [*statements, *signal_files]:
        with transaction.atomic():
            count += _erase(job, job.stored_file)
            # Without its file an import cannot be resumed; its page says so.
            type(job).objects.filter(pk=job.pk).update(stored_file="")
    for payment_file in PaymentFile.objects.filter(run__booked_at__lt=before).exclude(file=""):
        with transaction.atomic():
            count += _erase(payment_file, payment_file.file.name)
    repaid = ReturnedPayment.objects.filter(repaid_at__lt=before).exclude(repay_file="")
    for returned in repaid:
        with transaction.atomic():
            count += _erase(returned, returned.repay_file)
    # Zips of a region's monthly-overview PDFs (letters.batch), counted from when made.
    batches = PdfBatch.objects.filter(requested_at__lt=before).exclude(stored_file="")
    for batch in batches:
        with transaction.atomic():
            count += _erase(batch, batch.stored_file)
            PdfBatch.objects.filter(pk=batch.pk).update(stored_file="")
    return count
