"""The monthly payment run: prepare (compute), decide shortfalls, approve (four eyes),
export the pain.001 file(s) and book the ledger.

Every step can be retried after a crash at any point and never pays anything twice:

- one open run per region and month (unique constraint; the region row is locked while a
  run is created, so of two runs started at once one proceeds and the other is refused);
- the computation walks the plans in id order in chunks, each chunk one transaction that
  also moves the run's `cursor`, so a retry continues after the last committed chunk; the
  instructions' unique keys refuse a second copy even if two workers compute at once;
- export writes the same file names and, once exported, the same bytes;
- booking posts under idempotency keys (one per instruction, one per participant's income).
"""

import dataclasses
import functools
import operator
from datetime import date, timedelta
from itertools import groupby
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from ontzorg.approvals import proposals
from ontzorg.audit.services import record
from ontzorg.bulk import insert_rows
from ontzorg.core import access
from ontzorg.core.dates import month_end, month_label
from ontzorg.core.money import euro
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import AccountKind, Source
from ontzorg.participants import lifecycle
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.participants.validators import validate_account_holder_name
from ontzorg.plans import balances, plausibility, reading, withholding
from ontzorg.plans import services as plans
from ontzorg.plans.constants import (
    OPEN_PLAN_STATUSES,
    PlanDecisionKind,
    PlanStatus,
    ShortfallChoice,
)
from ontzorg.plans.models import (
    Creditor,
    OneOffPayment,
    Plan,
    PlanDecision,
    PlanLine,
    PotPayout,
    SavingsPot,
)
from ontzorg.regelingen import local
from ontzorg.regelingen.constants import CostCategory
from ontzorg.regelingen.models import Region

from . import debtor_accounts, events, files, hooks, pain001
from .constants import (
    CREDITOR_KINDS,
    EXTRA_KINDS,
    PAID_KINDS,
    InstructionKind,
    PainVersion,
    RunStatus,
)
from .models import (
    AllowanceWarning,
    DebtorAccount,
    PayeeCase,
    PaymentFile,
    PaymentInstruction,
    PaymentRun,
    ShortfallCase,
)
from .sepa import make_identifier

# The proposal kind of a shortfall decision (``ontzorg.approvals``).
SHORTFALL_DECIDE = "shortfall.decide"
# Plans per computation chunk and participants per booking chunk: each chunk is one
# transaction, so a crash loses at most one chunk of work, and progress moves per chunk.
CHUNK_SIZE = 2000
# SQLite has one write lock for the whole file: a chunk there holds it about a second at most
# (2,000 plans held it 9-14 s), so the pages that write stay usable during a run.
SQLITE_CHUNK_SIZE = 200


def chunk_size() -> int:
    return SQLITE_CHUNK_SIZE if connection.vendor == "sqlite" else CHUNK_SIZE


# A computation that has not reported for this long is taken to have crashed: it may be resumed.
STALE_AFTER = timedelta(minutes=2)

KIND_OF_PAYMENT = {
    withholding.PaymentKind.REGULAR: InstructionKind.CREDITOR,
    withholding.PaymentKind.PREPAYMENT: InstructionKind.PREPAYMENT,
    withholding.PaymentKind.GIFT: InstructionKind.GIFT,
    # The month paid ahead out of the overbruggingsvergoeding: bijzondere bijstand, as a gift.
    withholding.PaymentKind.BRIDGING: InstructionKind.GIFT,
}
ID_LETTER = {
    InstructionKind.CREDITOR: "C",
    InstructionKind.PREPAYMENT: "P",
    InstructionKind.GIFT: "G",
    InstructionKind.ALLOWANCE: "A",
    InstructionKind.SAVINGS: "S",
    InstructionKind.ONE_OFF: "E",
    InstructionKind.POT_PAYOUT: "U",
}


# Translated labels are slow to render one by one; a run needs the same few thousands of times.
_month_label = functools.lru_cache(maxsize=64)(month_label)


@functools.lru_cache(maxsize=64)
def _category_label(category: str) -> str:
    return str(CostCategory(category).label) if category in CostCategory.values else category


# --- permission and locking -------------------------------------------------------------------


def _check_region(user, region) -> None:
    regions = access.region_wide_ids(user)
    if regions is not None and region.pk not in regions:
        raise PermissionDenied(_("This region is outside your scope."))


def _locked(user, run) -> PaymentRun:
    """The run, re-read under a row lock (PostgreSQL) inside the caller's transaction."""
    return access.get_or_refuse(
        PaymentRun.objects.select_for_update().select_related("region"), user, pk=run.pk
    )


def _refuse_unless(run: PaymentRun, *statuses: str) -> None:
    if run.status not in statuses:
        raise Refused(
            _("Not possible: the payment run of %(month)s is %(status)s.")
            % {"month": month_label(run.period), "status": run.get_status_display()}
        )


# --- prepare and compute ----------------------------------------------------------------------


def prepare_run(user, region: Region, period: date, *, pain_version: str = PainVersion.V09):
    """Start the run for `region` and the month of `period`; computing happens in a task."""
    access.require(user, "prepares_payments")
    _check_region(user, region)
    period = period.replace(day=1)
    if pain_version not in PainVersion.values:
        raise Refused(_("Choose pain.001 version 09 or 03."))
    label = f"{region} {month_label(period)}"
    try:
        with transaction.atomic():
            # Serialises run creation per region: a second caller waits here, then sees the
            # first run and is refused. SQLite gets the same from its immediate transactions.
            Region.objects.select_for_update().get(pk=region.pk)
            existing = PaymentRun.objects.open().filter(region=region, period=period).first()
            if existing:
                raise Refused(
                    _(
                        "There is already a payment run for %(run)s (%(status)s). Open that "
                        "run instead of starting a new one."
                    )
                    % {"run": label, "status": existing.get_status_display()}
                )
            run = PaymentRun.objects.create(
                region=region,
                period=period,
                prepared_by=user,
                pain_version=pain_version,
                total_participants=payable_plans(region, period).count(),
            )
            record(user, events.RUN_STARTED, run, label=label)
    except IntegrityError:
        # Only reachable when the lock above was not enough (another database): the unique
        # constraint on (region, period) still lets just one run through.
        raise Refused(
            _("A payment run for %(run)s has just been started.") % {"run": label}
        ) from None
    compute_run_task.enqueue(run.pk)
    return run


def resume_run(user, run: PaymentRun) -> PaymentRun:
    """Restart a computation that stopped (crash, worker restart); it continues where it was."""
    access.require(user, "prepares_payments")
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.PREPARING)
        if not is_stale(run):
            raise Refused(_("The computation is still running; wait until it is done."))
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["heartbeat_at"])
        record(user, events.RUN_RESUMED, run, run=str(run))
    compute_run_task.enqueue(run.pk)
    return run


def is_stale(run: PaymentRun) -> bool:
    last = run.heartbeat_at or run.prepared_at
    return run.status == RunStatus.PREPARING and timezone.now() - last > STALE_AFTER


@task()
def compute_run_task(run_id: int) -> None:
    compute_run(run_id)


def compute_run(run_id: int) -> None:
    """Compute the run chunk by chunk until done. Safe to call again at any time."""
    while _compute_chunk(run_id):
        pass


def payable_plans(region, period: date):
    """The plans a run pays, chosen by their dates: running in the month (through the actual
    end, else the planned end), of a participant in a payable phase (ontzorgd, verlengd,
    afbouw; not after an opt-out, nor someone never ontzorgd).

    An end decision closes the plan (status beëindigd) and moves the participant to nazorg
    on the day it is taken, often weeks before the last day (`ended_on`). Such a plan is
    still paid for every month up to and including the one of its last day, so the status
    and the nazorg phase alone do not drop it. An opt-out also closes the plan, but without
    an end decision and into 'geen ontzorging': that plan is not paid."""
    end_decided = PlanDecision.objects.filter(plan=OuterRef("pk"), kind=PlanDecisionKind.END)
    return (
        Plan.objects.running_in(period, month_end(period))
        .filter(regeling__region=region)
        .filter(
            Q(status__in=OPEN_PLAN_STATUSES, participant__phase__in=lifecycle.PAYABLE_PHASES)
            | (Exists(end_decided) & Q(status=PlanStatus.ENDED, participant__phase=Phase.NAZORG))
        )
        .order_by("pk")
    )


def _compute_chunk(run_id: int) -> bool:
    """Compute the next chunk of plans; returns whether there may be more."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().select_related("region").get(pk=run_id)
        if run.status != RunStatus.PREPARING:
            return False
        chunk = list(
            payable_plans(run.region, run.period)
            .filter(pk__gt=run.cursor)
            .select_related("regeling", "participant__household")[: chunk_size()]
        )
        now = timezone.now()
        if not chunk:
            add_extras(run)
            carry_over_held_back(run)
            run.status = RunStatus.DRAFT
            run.computed_at = now
            run.heartbeat_at = now
            run.total_participants = run.done_participants
            run.save(update_fields=["status", "computed_at", "heartbeat_at", "total_participants"])
            return False
        inputs = _without_prepaid(reading.withholding_inputs(chunk, run.period), chunk, run)
        results = {plan.pk: withholding.compute(inputs[plan.pk]) for plan in chunk}
        payees = _payees(chunk, results.values())
        floors = plausibility.allowance_floors(chunk, run.period)
        instructions, shortfalls, held_back, warnings = [], [], [], []
        for plan in chunk:
            result = results[plan.pk]
            if result.needs_decision:
                shortfalls.append(_shortfall_case(run, plan, result))
                continue
            paid, held = _hold_back(run, plan.pk, _instructions(run, plan, result, payees))
            instructions += paid
            held_back += held
            if plausibility.is_low(result, floors.get(plan.pk)):
                warnings.append(_allowance_warning(run, plan, result, floors[plan.pk]))
        insert_rows(PaymentInstruction, INSTRUCTION_FIELDS, instructions, ignore_conflicts=True)
        ShortfallCase.objects.bulk_create(shortfalls, ignore_conflicts=True)
        _save_cases(run, held_back)
        AllowanceWarning.objects.bulk_create(warnings, ignore_conflicts=True)
        run.cursor = chunk[-1].pk
        run.done_participants += len(chunk)
        run.total_participants = max(run.total_participants, run.done_participants)
        run.heartbeat_at = now
        run.save(
            update_fields=["cursor", "done_participants", "total_participants", "heartbeat_at"]
        )
        return True


def _prepaid_lines(plans, run) -> set[int]:
    """The lines of `plans` whose month `run.period` was already paid ahead: a prepayment
    (out of the income, or out of the overbruggingsvergoeding, booked as a gift) in a
    not-cancelled run of the month before. That happens when a plan was extended after the
    run of what was then its last month (Edam-Volendam). A gift in the plan's first month
    is the first rent (Capelle), not a month paid ahead."""
    previous = (run.period - timedelta(days=1)).replace(day=1)
    rows = PaymentInstruction.objects.filter(
        run__in=PaymentRun.objects.open(),
        period=previous,
        plan_line__plan__in=[plan.pk for plan in plans],
        kind__in=(InstructionKind.PREPAYMENT, InstructionKind.GIFT),
    ).values_list("plan_line_id", "kind", "plan_line__plan__start_on")
    return {
        line_id
        for line_id, kind, start_on in rows
        if kind == InstructionKind.PREPAYMENT or start_on.replace(day=1) != previous
    }


def _without_prepaid(inputs: dict, plans, run) -> dict:
    """`inputs` without the month's own lines that were already paid ahead: they are neither
    paid nor withheld again. What this month pays ahead itself (one-offs) stays."""
    prepaid = _prepaid_lines(plans, run)
    if not prepaid:
        return inputs
    return {
        plan_id: dataclasses.replace(
            data, lines=tuple(c for c in data.lines if c.line_id not in prepaid)
        )
        for plan_id, data in inputs.items()
    }


def _shortfall_case(run, plan, result) -> ShortfallCase:
    return ShortfallCase(
        run=run,
        participant_id=plan.participant_id,
        plan=plan,
        income_cents=result.income_cents,
        costs_cents=result.costs_cents,
        shortfall_cents=result.shortfall_cents,
    )


def end_to_end_id(run_id: int, participant_id: int, kind: str, number: int) -> str:
    """Unique per run, participant and item; the statement import matches on it later."""
    return make_identifier("OZ", run_id, participant_id, f"{ID_LETTER[kind]}{number}")


@dataclasses.dataclass(frozen=True)
class Payees:
    """Whom the payments of some plans go to: per plan line its category, reference and
    creditor (as in `CREDITOR_FIELDS`), per savings pot its name."""

    lines: dict[int, tuple]
    pots: dict[int, str]


CREDITOR_FIELDS = ("name", "iban", "bic", "street", "building_number", "postcode", "town")
CREDITOR_FIELDS += ("country",)
# A payment carries the payee's name as the bank knows it (SEPA Latin set, ``plans.payees``),
# not the name in the register or in the participant's own script.
PAYEE_SOURCE = {"name": "account_holder_name"}


def _payees(plan_list, results) -> Payees:
    plan_ids = [plan.pk for plan in plan_list]
    lines = {
        row[0]: row[1:]
        for row in PlanLine.objects.filter(plan_id__in=plan_ids).values_list(
            "pk",
            "category",
            "reference",
            "creditor_id",
            *(f"creditor__{PAYEE_SOURCE.get(field, field)}" for field in CREDITOR_FIELDS),
        )
    }
    pots = {}
    if any(result.savings for result in results):
        pots = dict(SavingsPot.objects.filter(plan_id__in=plan_ids).values_list("pk", "name"))
    return Payees(lines, pots)


# The columns of a payment instruction, in the order `_instructions` gives them.
INSTRUCTION_FIELDS = ("run_id", "participant_id", "period", "kind", "plan_line_id")
INSTRUCTION_FIELDS += ("savings_pot_id", "creditor_id", *CREDITOR_FIELDS, "amount_cents")
INSTRUCTION_FIELDS += ("due_cents", "pay_on", "end_to_end_id", "remittance")


def _instructions(run, plan, result, payees: Payees) -> list[tuple]:
    """The instructions that pay `result`, as rows in the order of `INSTRUCTION_FIELDS`."""
    participant = plan.participant
    period = run.period
    month = _month_label(period)
    found = []
    for payment in result.creditor_payments:
        category, reference, creditor_id, *creditor = payees.lines[payment.line_id]
        kind = KIND_OF_PAYMENT[withholding.PaymentKind(payment.kind)]
        what = _category_label(category)
        if payment.kind in (withholding.PaymentKind.PREPAYMENT, withholding.PaymentKind.BRIDGING):
            what += " vooruit"
        found.append(
            (
                run.pk,
                participant.pk,
                period,
                kind,
                payment.line_id,
                None,
                creditor_id,
                *creditor,
                payment.amount_cents,
                payment.due_cents,
                payment.pay_on,
                end_to_end_id(run.pk, participant.pk, kind, payment.line_id),
                f"{reference} {what} {month}"[:140],
            )
        )
    city = participant.household.city
    for number, payment in enumerate(result.allowance_payments, start=1):
        found.append(
            (
                run.pk,
                participant.pk,
                period,
                InstructionKind.ALLOWANCE,
                None,
                None,
                None,
                participant.account_holder_name,
                participant.iban,
                "",
                "",
                "",
                "",
                city[:35],
                "NL" if city else "",
                payment.amount_cents,
                payment.amount_cents,
                payment.pay_on,
                end_to_end_id(run.pk, participant.pk, InstructionKind.ALLOWANCE, number),
                f"Leefgeld {month}",
            )
        )
    for saving in result.savings:
        name = payees.pots[saving.pot_id]
        found.append(
            (
                run.pk,
                participant.pk,
                period,
                InstructionKind.SAVINGS,
                None,
                saving.pot_id,
                None,
                name[:140],
                *("",) * 7,
                saving.amount_cents,
                saving.due_cents,
                period,
                end_to_end_id(run.pk, participant.pk, InstructionKind.SAVINGS, saving.pot_id),
                f"Spaarpot {name} {month}"[:140],
            )
        )
    return found


# --- payments held back: payee data a bank file cannot hold ----------------------------------


def _payee_problem(name, iban, bic, town, country) -> str | None:
    """Why a payee's data cannot go into a pain.001 file (Dutch), or None. Cached: the same
    creditors recur throughout a run."""
    try:
        validate_account_holder_name(name)
    except ValidationError as exc:
        return exc.messages[0]
    if not iban:
        return _("The IBAN is missing.")
    address = pain001.Address(town=town, country=country) if town and country else None
    payment = pain001.Payment(
        end_to_end_id="CHECK",
        amount_cents=1,
        creditor_name=name,
        creditor_iban=iban,
        creditor_bic=bic,
        execution_on=date(2000, 1, 1),
        creditor_address=address,
    )
    try:
        pain001.check_payments([payment])
    except pain001.InvalidPayment as exc:
        return exc.message[:1].upper() + exc.message[1:]
    return None


_payee_problem_cached = functools.lru_cache(maxsize=16_384)(_payee_problem)


# What decides whether an instruction can be paid, read from a row without copying it.
_CHECKED = ("kind", "amount_cents", "name", "iban", "bic", "town", "country")
_checked_in_dict = operator.itemgetter(*_CHECKED)
_checked_in_row = operator.itemgetter(*(INSTRUCTION_FIELDS.index(name) for name in _CHECKED))


def payment_problem(row: dict) -> str | None:
    """Why the instruction `row` (its field values) cannot be paid in a bank file, or None.
    Savings stay on the municipality's account and are never held back."""
    return _problem(*_checked_in_dict(row))


def _problem(kind, amount_cents, name, iban, bic, town, country) -> str | None:
    if kind not in PAID_KINDS:
        return None
    if not 0 < amount_cents <= pain001.MAX_AMOUNT_CENTS:
        return _("The amount does not fit in a SEPA payment.")
    return _payee_problem_cached(name, iban, bic, town, country)


def _hold_back(run, plan_id, rows) -> tuple[list, list["PayeeCase"]]:
    """Split instruction rows (tuples in `INSTRUCTION_FIELDS` order, or field dicts) into
    those a bank file can hold and cases for the rest, one per participant and payee."""
    paid, cases = [], {}
    for row in rows:
        is_dict = isinstance(row, dict)
        problem = _problem(*(_checked_in_dict(row) if is_dict else _checked_in_row(row)))
        if problem is None:
            paid.append(row)
            continue
        values = row if is_dict else dict(zip(INSTRUCTION_FIELDS, row, strict=True))
        key = (values["participant_id"], values["creditor_id"])
        if key not in cases:
            cases[key] = PayeeCase(
                run=run,
                participant_id=values["participant_id"],
                plan_id=plan_id,
                creditor_id=values["creditor_id"],
                problem=problem[:300],
                payments=0,
                held_cents=0,
                instructions=[],
            )
        case = cases[key]
        case.payments += 1
        case.held_cents += values["amount_cents"]
        case.instructions.append(values)
    return paid, list(cases.values())


def _store(run, plan, rows) -> None:
    """Insert the instruction rows of `plan` a bank file can hold; hold back the rest."""
    paid, held = _hold_back(run, plan.pk, rows)
    insert_rows(PaymentInstruction, INSTRUCTION_FIELDS, paid, ignore_conflicts=True)
    _save_cases(run, held)


def _hold_back_instances(run, instructions) -> tuple[list, list["PayeeCase"]]:
    """`_hold_back` for unsaved `PaymentInstruction` objects (one-off payments, payouts)."""
    fields = [f.attname for f in PaymentInstruction._meta.concrete_fields if not f.primary_key]
    held = []
    for instruction in instructions:
        _paid, cases = _hold_back(
            run,
            instruction.savings_pot.plan_id if instruction.savings_pot_id else None,
            [{name: getattr(instruction, name) for name in fields}],
        )
        held += cases
    held_ids = {row["end_to_end_id"] for case in held for row in case.instructions}
    return [i for i in instructions if i.end_to_end_id not in held_ids], _merged(held)


def _merged(cases) -> list["PayeeCase"]:
    """Cases of the same participant and payee as one."""
    merged = {}
    for case in cases:
        key = (case.participant_id, case.creditor_id)
        if key not in merged:
            merged[key] = case
            continue
        known = merged[key]
        known.instructions += case.instructions
        known.payments += case.payments
        known.held_cents += case.held_cents
    return list(merged.values())


def _save_cases(run, cases) -> None:
    """Store new cases; a payee already held back for the participant (a shortfall decided
    or a one-off added later) gets the new payments added to its open case."""
    if not cases:
        return
    existing = {
        (case.participant_id, case.creditor_id): case
        for case in PayeeCase.objects.select_for_update().filter(
            run=run, participant_id__in={case.participant_id for case in cases}
        )
    }
    new = []
    for case in cases:
        known = existing.get((case.participant_id, case.creditor_id))
        if known is None:
            new.append(case)
            continue
        ids = {row["end_to_end_id"] for row in known.instructions}
        added = [row for row in case.instructions if row["end_to_end_id"] not in ids]
        if not added:
            continue
        known.instructions = known.instructions + added
        known.payments += len(added)
        known.held_cents += sum(row["amount_cents"] for row in added)
        known.problem = case.problem
        known.resolved_at = known.resolved_by = None
        known.save()
    PayeeCase.objects.bulk_create(new, ignore_conflicts=True)


def _from_json(row: dict) -> dict:
    """A stored instruction row with its dates as dates again."""
    return {
        name: date.fromisoformat(value) if isinstance(value, str) and name in DATES else value
        for name, value in row.items()
    }


DATES = ("period", "pay_on")


def _with_current_payee(row: dict, creditors: dict, participants: dict) -> dict:
    """`row` with the payee's data as they are in the register now."""
    if row["creditor_id"] is not None:
        creditor = creditors[row["creditor_id"]]
        return row | {
            field: getattr(creditor, PAYEE_SOURCE.get(field, field)) for field in CREDITOR_FIELDS
        }
    participant = participants[row["participant_id"]]
    return row | {"name": participant.account_holder_name, "iban": participant.iban}


def recheck_held_back(user, run: PaymentRun) -> tuple[int, int]:
    """Check the run's held-back payments again with the payees' current data; pay (add to
    the draft run) those that can now go into the bank file. Returns (paid now, still held).
    The amounts are those of the computation: the rest of the run was computed with them."""
    access.require(user, "prepares_payments")
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.DRAFT)
        cases = list(run.payee_cases.select_for_update().filter(resolved_at__isnull=True))
        rows = [_from_json(row) for case in cases for row in case.instructions]
        creditors = Creditor.objects.in_bulk({row["creditor_id"] for row in rows} - {None})
        participants = Participant.objects.in_bulk({row["participant_id"] for row in rows})
        resolved = 0
        for case in cases:
            current = [
                _with_current_payee(_from_json(row), creditors, participants)
                for row in case.instructions
            ]
            problems = [problem for problem in map(payment_problem, current) if problem]
            if problems:
                if case.problem != problems[0][:300]:
                    case.problem = problems[0][:300]
                    case.save(update_fields=["problem"])
                continue
            PaymentInstruction.objects.bulk_create(
                [PaymentInstruction(**row) for row in current], ignore_conflicts=True
            )
            case.resolved_at = timezone.now()
            case.resolved_by = user
            case.save(update_fields=["resolved_at", "resolved_by"])
            resolved += 1
        record(
            user,
            events.HELD_BACK_RECHECKED,
            run,
            run=str(run),
            paid=resolved,
            held=len(cases) - resolved,
        )
    return resolved, len(cases) - resolved


def carry_over_held_back(run: PaymentRun) -> int:
    """Pay in `run` the payments held back in earlier approved runs of its region whose
    payee's data are now right; returns how many cases were carried. Each keeps its month
    and amount; it gets EndToEndIds of this run, so a cancelled run leaves it open for the
    next one, and the unique ids make a repeated call a no-op."""
    cases = list(
        PayeeCase.objects.select_for_update(of=("self",))
        .filter(
            run__region_id=run.region_id,
            run__period__lt=run.period,
            run__status__in=[RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.BOOKED],
            resolved_at__isnull=True,
        )
        .filter(Q(carried_to__isnull=True) | Q(carried_to__status=RunStatus.CANCELLED))
        .order_by("pk")
    )
    rows = [_from_json(row) for case in cases for row in case.instructions]
    creditors = Creditor.objects.in_bulk({row["creditor_id"] for row in rows} - {None})
    participants = Participant.objects.in_bulk({row["participant_id"] for row in rows})
    carried = 0
    for case in cases:
        current = [
            _with_current_payee(_from_json(row), creditors, participants)
            | {
                "run_id": run.pk,
                "end_to_end_id": make_identifier(
                    "OZ", run.pk, case.participant_id, f"H{case.pk}", number
                ),
            }
            for number, row in enumerate(case.instructions, start=1)
        ]
        if any(map(payment_problem, current)):
            continue
        PaymentInstruction.objects.bulk_create(
            [PaymentInstruction(**row) for row in current], ignore_conflicts=True
        )
        case.carried_to = run
        case.save(update_fields=["carried_to"])
        carried += 1
    return carried


def _allowance_warning(run, plan, result, floor) -> "AllowanceWarning":
    return AllowanceWarning(
        run=run,
        participant_id=plan.participant_id,
        plan=plan,
        allowance_cents=result.remainder_cents,
        norm_cents=floor.norm_cents,
        floor_cents=floor.floor_cents,
    )


# --- one-off payments and payouts from pots ---------------------------------------------------


def add_extras(run: PaymentRun, *, one_offs=None, payouts=None) -> int:
    """Instruct the approved one-off payments and payouts from pots of the run's region and
    month (or just `one_offs` / `payouts`); returns how many are new.

    They are paid out of money already held for the participant, not out of the month's
    income, so they do not depend on the participant's plan being paid this month (a pot is
    often ended after the plan). Called when the computation finishes, and by the approval of
    a proposal while the run is a draft; the unique keys (run + one-off, run + payout, and the
    EndToEndId) make every call after the first a no-op."""
    if one_offs is None:
        one_offs = OneOffPayment.objects.filter(
            period=run.period, participant__regeling__region=run.region
        )
    if payouts is None:
        payouts = PotPayout.objects.filter(
            period=run.period, pot__plan__regeling__region=run.region
        )
    one_offs = list(
        one_offs.select_related(
            "participant__household__municipality", "participant__regeling"
        ).select_related("creditor")
    )
    payouts = list(
        payouts.select_related(
            "pot__plan__participant__household__municipality",
            "pot__plan__participant__regeling",
            "creditor",
        )
    )
    found = [
        _extra_instruction(
            run,
            o.participant,
            InstructionKind.ONE_OFF,
            o.pk,
            o.amount_cents,
            o.creditor,
            reference=o.reference,
            what="Eenmalige betaling",
            one_off=o,
        )
        for o in one_offs
    ]
    for payout in payouts:
        pot = payout.pot
        cents = balances.refund_cents(pot) if payout.is_refund else payout.amount_cents
        if not cents:
            continue
        found.append(
            _extra_instruction(
                run,
                pot.plan.participant,
                InstructionKind.POT_PAYOUT,
                payout.pk,
                cents,
                payout.creditor,
                reference=payout.reference,
                what=f"{'Restant spaarpot' if payout.is_refund else 'Uit spaarpot'} {pot.name}",
                pot_payout=payout,
                savings_pot=pot,
            )
        )
    before = run.instructions.filter(kind__in=EXTRA_KINDS).count()
    found, held = _hold_back_instances(run, found)
    PaymentInstruction.objects.bulk_create(found, ignore_conflicts=True)
    _save_cases(run, held)
    return run.instructions.filter(kind__in=EXTRA_KINDS).count() - before


def _extra_instruction(
    run, participant, kind, number, cents, creditor, *, reference, what, **links
) -> PaymentInstruction:
    """One instruction of a one-off payment or payout, to `creditor` or else the participant,
    paid on the regeling's benefit payment day of the month."""
    if creditor is not None:
        payee = {
            field: getattr(creditor, PAYEE_SOURCE.get(field, field)) for field in CREDITOR_FIELDS
        }
    else:
        city = participant.household.city
        payee = dict(
            name=participant.account_holder_name,
            iban=participant.iban,
            town=city[:35],
            country="NL" if city else "",
        )
    return PaymentInstruction(
        run=run,
        participant=participant,
        period=run.period,
        kind=kind,
        creditor=creditor,
        amount_cents=cents,
        due_cents=cents,
        pay_on=run.period.replace(day=local.for_participant(participant).benefit_payment_day),
        end_to_end_id=end_to_end_id(run.pk, participant.pk, kind, number),
        remittance=" ".join(filter(None, [reference, what, _month_label(run.period)]))[:140],
        **payee,
        **links,
    )


# --- shortfalls -------------------------------------------------------------------------------


def _covering(plan, period: date, choice: str, extra_cents: int) -> None:
    """Refuse a decision after which the month still needs one."""
    result = withholding.compute(
        dataclasses.replace(
            reading.withholding_input(plan, period),
            shortfall_decision=withholding.ShortfallDecision(
                withholding.ShortfallChoice(choice), max(0, extra_cents)
            ),
        )
    )
    if result.needs_decision:
        raise Refused(
            _(
                "Even with this extra amount the income does not cover the fixed "
                "costs; raise the amount or choose partial payment."
            )
        )


def propose_shortfall_decision(
    user, case: ShortfallCase, *, choice: str, reason: str, extra_cents: int = 0
):
    """Propose what happens with a shortfall (with its reason); a colleague who approves the
    proposal records it in the plan and computes what it pays (four eyes)."""
    access.require(user, "prepares_payments")
    with transaction.atomic():
        run = _locked(user, case.run)
        _refuse_unless(run, RunStatus.DRAFT)
        case = (
            ShortfallCase.objects.select_for_update()
            .select_related("participant", "plan")
            .get(pk=case.pk)
        )
        if case.is_decided:
            raise Refused(_("This shortfall has already been decided."))
        plan = Plan.objects.select_related("regeling", "participant__household").get(
            pk=case.plan_id
        )
        extra_cents = max(0, extra_cents) if choice == ShortfallChoice.EXTRA_INCOME else 0
        plans.check_shortfall_decision(
            user, plan, run.period, choice=choice, reason=reason, extra_cents=extra_cents
        )
        _covering(plan, run.period, choice, extra_cents)
        label = ShortfallChoice(choice).label
        extra = (
            _(", %(amount)s extra income") % {"amount": euro(extra_cents)} if extra_cents else ""
        )
        return proposals.propose(
            user,
            SHORTFALL_DECIDE,
            region=run.region,
            participant=case.participant,
            period=run.period,
            amount_cents=extra_cents or None,
            target=case,
            one_at_a_time=True,
            summary=_("%(participant)s: shortfall %(amount)s in %(month)s: %(choice)s%(extra)s")
            % {
                "participant": case.participant,
                "amount": euro(case.shortfall_cents),
                "month": month_label(run.period),
                "choice": label,
                "extra": extra,
            },
            payload={
                "run": run.pk,
                "choice": choice,
                "reason": reason.strip(),
                "extra_cents": extra_cents,
            },
        )


def _shortfall_details(proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    details = [(_("Decision"), ShortfallChoice(data["choice"]).label)]
    if data.get("extra_cents"):
        details.append((_("Extra income this month"), euro(data["extra_cents"])))
    details.append((_("Reason"), data["reason"]))
    case = ShortfallCase.objects.filter(pk=proposal.target_id).first()
    if case is not None:
        details += [
            (_("Income"), euro(case.income_cents)),
            (_("Fixed costs"), euro(case.costs_cents)),
            (_("Shortfall"), euro(case.shortfall_cents)),
        ]
    return details


@proposals.action(
    SHORTFALL_DECIDE, label=gettext_lazy("Decision on a shortfall"), details=_shortfall_details
)
def _decide_shortfall(proposal, approver) -> None:
    """Approving the proposal: record the decision in the plan (decided by the proposer,
    approved by `approver`) and compute what it pays, in the approving transaction."""
    data = proposal.payload
    case = access.get_or_refuse(ShortfallCase, approver, pk=proposal.target_id)
    run = _locked(approver, case.run)
    _refuse_unless(run, RunStatus.DRAFT)
    case = ShortfallCase.objects.select_for_update().select_related("plan").get(pk=case.pk)
    if case.is_decided:
        raise Refused(_("This shortfall has already been decided."))
    plan = Plan.objects.select_related("regeling", "participant__household").get(pk=case.plan_id)
    inputs = _without_prepaid(reading.withholding_inputs([plan], run.period), [plan], run)
    now = withholding.compute(inputs[plan.pk])
    if (now.income_cents, now.costs_cents) != (case.income_cents, case.costs_cents):
        # The approver saw the figures of the computation; they are no longer true.
        raise Refused(
            _(
                "The income or the fixed costs have changed since this run was "
                "computed. Reject the proposal and compute the run again."
            )
        )
    _covering(plan, run.period, data["choice"], data["extra_cents"])
    decision = plans.decide_shortfall(
        proposal.proposed_by,
        plan,
        run.period,
        choice=data["choice"],
        reason=data["reason"],
        extra_cents=data["extra_cents"],
        approved_by=approver,
    )
    result = reading.compute_month(plan, run.period)
    _store(run, plan, _instructions(run, plan, result, _payees([plan], [result])))
    case.decision = decision
    case.decided_at = timezone.now()
    case.save(update_fields=["decision", "decided_at"])


# --- approve, cancel --------------------------------------------------------------------------


def approve_run(user, run: PaymentRun) -> PaymentRun:
    """The second pair of eyes: someone who neither prepared the run nor proposed (or, before
    proposals, decided) anything for its region and month approves it, once no proposal for
    that month waits any more."""
    access.require(user, "approves_payments")
    proposals.check_separation(user)
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.DRAFT)
        if run.prepared_by_id == user.pk:
            raise Refused(
                _(
                    "You prepared this payment run yourself. A colleague must approve it "
                    "(four-eyes principle)."
                )
            )
        if proposals.payee_changes_pending(run.region).exists():
            raise Refused(
                _(
                    "A change of account details in this region is still waiting for "
                    "approval. Decide on it first, so that this run pays to the right "
                    "accounts."
                )
            )
        if user.pk in proposals.payee_changers(region=run.region, since=_last_approval(run)):
            raise Refused(
                _(
                    "You had account details changed yourself since the previous payment "
                    "run. A colleague who did not must approve this run (four-eyes "
                    "principle)."
                )
            )
        waiting = proposals.pending(region=run.region, period=run.period).count()
        if waiting:
            raise Refused(
                ngettext(
                    "%(count)s proposal for this month is still waiting for approval. "
                    "Decide on it first.",
                    "%(count)s proposals for this month are still waiting for approval. "
                    "Decide on them first.",
                    waiting,
                )
                % {"count": waiting}
            )
        # Decisions recorded before four eyes applied to them have no proposal.
        decided = run.shortfalls.filter(decision__decided_by=user).exists()
        if user.pk in proposals.proposers(region=run.region, period=run.period) or decided:
            raise Refused(
                _(
                    "You proposed or decided something for this payment run yourself. A "
                    "colleague who did not must approve it (four-eyes principle)."
                )
            )
        open_cases = run.shortfalls.filter(decision__isnull=True).count()
        if open_cases:
            raise Refused(
                ngettext(
                    "%(count)s shortfall has no decision yet. Decide on every shortfall first.",
                    "%(count)s shortfalls have no decision yet. Decide on every shortfall first.",
                    open_cases,
                )
                % {"count": open_cases}
            )
        # Before the status changes: once approved, the instructions are frozen.
        debtor_accounts.assign(run, paid_instructions(run))
        run.status = RunStatus.APPROVED
        run.approved_by = user
        run.approved_at = timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        record(user, events.RUN_APPROVED, run, run=str(run))
    return run


def _last_approval(run: PaymentRun):
    """When the region's previous run was approved (None if it has none)."""
    return (
        PaymentRun.objects.filter(region_id=run.region_id, approved_at__isnull=False)
        .exclude(pk=run.pk)
        .order_by("-approved_at")
        .values_list("approved_at", flat=True)
        .first()
    )


def cancel_run(user, run: PaymentRun) -> PaymentRun:
    """Cancel a run before anything left the building; a new one may then be started."""
    access.require(user, "prepares_payments")
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.PREPARING, RunStatus.DRAFT, RunStatus.APPROVED)
        run.status = RunStatus.CANCELLED
        run.save(update_fields=["status"])
        record(user, events.RUN_CANCELLED, run, run=str(run))
    return run


# --- export -----------------------------------------------------------------------------------


def _debtor(account: DebtorAccount) -> pain001.Debtor:
    return pain001.Debtor(name=account.name, iban=account.iban, bic=account.bic)


def _by_account(run) -> list[tuple[DebtorAccount, list[pain001.Payment]]]:
    """The run's payments per account they are paid from (as fixed at approval; a run
    approved before accounts were fixed pays from the region's), accounts in id order."""
    accounts = {a.pk: a for a in DebtorAccount.objects.filter(region_id=run.region_id)}
    groups: dict[int, list[pain001.Payment]] = {}
    regional = None
    for instruction in paid_instructions(run).iterator(chunk_size=2000):
        account_id = instruction.debtor_account_id
        if account_id is None:
            regional = regional or debtor_accounts.regional_account(run.region)
            account_id = regional.pk
        groups.setdefault(account_id, []).append(_payment(instruction))
    return [(accounts[pk], groups[pk]) for pk in sorted(groups)]


def _payment(i: PaymentInstruction) -> pain001.Payment:
    address = (
        pain001.Address(
            town=i.town,
            country=i.country,
            street=i.street,
            building_number=i.building_number,
            postcode=i.postcode,
        )
        if i.town and i.country
        else None
    )
    return pain001.Payment(
        end_to_end_id=i.end_to_end_id,
        amount_cents=i.amount_cents,
        creditor_name=i.name,
        creditor_iban=i.iban,
        creditor_bic=i.bic,
        execution_on=i.pay_on,
        creditor_address=address,
        remittance_text=i.remittance,
    )


def paid_instructions(run):
    return run.instructions.filter(kind__in=PAID_KINDS).order_by("pk")


def export_run(user, run: PaymentRun, *, version: str | None = None):
    """Write the run's pain.001 file(s), validated against the XSD, to storage.

    Exporting again writes the same names and the same bytes (the creation time is the one
    of the first export), so a lost download can be fetched again safely."""
    access.require(user, "prepares_payments", "approves_payments")
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.BOOKED)
        if version and version != run.pain_version:
            if run.status != RunStatus.APPROVED:
                raise Refused(
                    _("After the first export the pain.001 version can no longer change.")
                )
            if version not in PainVersion.values:
                raise Refused(_("Choose pain.001 version 09 or 03."))
            run.pain_version = version
        created_at = run.exported_at or timezone.now()
        groups = _by_account(run)
        if not groups:
            raise Refused(_("This payment run contains no payments."))
        # One file per account (a pain.001 message has one debtor here), split further
        # when an account has more payments than fit in one file.
        size = settings.ONTZORG_SEPA_BATCH_SIZE
        batches = [
            (account, payments[start : start + size])
            for account, payments in groups
            for start in range(0, len(payments), size)
        ]
        base = make_identifier("OZ", run.pk, f"{run.period:%Y%m}")
        kept = []
        for number, (account, batch) in enumerate(batches, start=1):
            message_id = pain001.batch_message_id(base, number, len(batches))
            kept.append(_write_file(run, number, message_id, created_at, account, batch))
        run.files.exclude(pk__in=[f.pk for f in kept]).delete()
        first = run.status == RunStatus.APPROVED
        if first:
            run.status = RunStatus.EXPORTED
            run.exported_at = created_at
        run.save(update_fields=["status", "exported_at", "pain_version"])
        record(
            user,
            events.RUN_EXPORTED if first else events.RUN_REEXPORTED,
            run,
            changes={"bestanden": [None, [f.message_id for f in kept]]},
            run=str(run),
        )
    return kept


def _write_file(run, number, message_id, created_at, account, batch) -> PaymentFile:
    # Same name on every export: the writer replaces what an earlier (or crashed) export left.
    stored = files.write_pain001(
        run.region.slug,
        message_id=message_id,
        created_at=created_at,
        debtor=_debtor(account),
        payments=batch,
        version=run.pain_version,
    )
    payment_file, _created = PaymentFile.objects.update_or_create(
        run=run,
        sequence=number,
        defaults=dict(
            file=stored.name,
            message_id=message_id,
            count=stored.summary.count,
            total_cents=stored.summary.control_sum_cents,
            sha256=stored.sha256,
            debtor_account=account,
        ),
    )
    return payment_file


# --- booking ----------------------------------------------------------------------------------


def book_run(user, run: PaymentRun) -> PaymentRun:
    """Post the run to the ledger: income received → withheld → payable per creditor → paid,
    the allowance and the savings. Retried, it posts only what is missing."""
    access.require(user, "prepares_payments")
    with transaction.atomic():
        run = _locked(user, run)
        if run.status == RunStatus.BOOKED:
            return run
        _refuse_unless(run, RunStatus.EXPORTED)
    participant_ids = list(
        run.instructions.order_by("participant_id")
        .values_list("participant_id", flat=True)
        .distinct()
    )
    size = chunk_size()
    for start in range(0, len(participant_ids), size):
        with transaction.atomic():
            run = _locked(user, run)
            _refuse_unless(run, RunStatus.EXPORTED)
            book_participants(run, participant_ids[start : start + size], user)
    with transaction.atomic():
        run = _locked(user, run)
        _refuse_unless(run, RunStatus.EXPORTED)
        check = ledger.balance_check(run=run)
        if not check.balanced:
            raise Refused(_("The ledger does not balance for this payment run; booking stopped."))
        run.status = RunStatus.BOOKED
        run.booked_at = timezone.now()
        run.save(update_fields=["status", "booked_at"])
        record(user, events.RUN_BOOKED, run, run=str(run))
        transaction.on_commit(lambda: hooks.run_booked(run))
    return run


def book_participants(run: PaymentRun, participant_ids, user=None) -> int:
    """Post the ledger transactions of these participants in this run (idempotent)."""
    instructions = [
        _Booked(*row)
        for row in run.instructions.filter(participant_id__in=participant_ids)
        .order_by("participant_id", "pk")
        .values_list(
            "participant_id",
            "kind",
            "amount_cents",
            "creditor_id",
            "savings_pot__name",
            "end_to_end_id",
            "name",
        )
    ]
    region_id = run.region_id
    specs = {
        (AccountKind.BANK, None, region_id, None, ""),
        (AccountKind.GIFT, None, region_id, None, ""),
    }
    for i in instructions:
        p = i.participant_id
        specs |= {
            (AccountKind.INCOME_RECEIVED, p, None, None, ""),
            (AccountKind.WITHHELD, p, None, None, ""),
            (AccountKind.ALLOWANCE_PAYABLE, p, None, None, ""),
        }
        if i.creditor_id:
            specs.add((AccountKind.PAYABLE, p, None, i.creditor_id, ""))
        if i.pot_name is not None:
            specs.add((AccountKind.SAVINGS, p, None, None, i.pot_name[:60]))
    ids = ledger.accounts(specs)
    bank = ids[(AccountKind.BANK, None, region_id, None, "")]
    gift = ids[(AccountKind.GIFT, None, region_id, None, "")]
    month = month_label(run.period)
    common = dict(
        booked_on=run.exported_at.date() if run.exported_at else timezone.localdate(),
        period=run.period,
        source=Source.RUN,
        run_id=run.pk,
        posted_by_id=user.pk if user is not None else None,
    )
    postings = []
    for participant_id, own in groupby(instructions, key=lambda i: i.participant_id):
        own = list(own)
        income = ids[(AccountKind.INCOME_RECEIVED, participant_id, None, None, "")]
        withheld = ids[(AccountKind.WITHHELD, participant_id, None, None, "")]
        allowance = ids[(AccountKind.ALLOWANCE_PAYABLE, participant_id, None, None, "")]
        # Gifts come from bijzondere bijstand; one-off payments and payouts from pots from
        # money held for the participant: neither is part of the month's income.
        from_income = sum(i.amount_cents for i in own if i.kind not in NOT_FROM_INCOME)
        withheld_cents = sum(
            i.amount_cents
            for i in own
            if i.kind in (InstructionKind.CREDITOR, InstructionKind.PREPAYMENT)
        )
        lines = [(bank, from_income), (income, -from_income)] if from_income else []
        if withheld_cents:
            lines += [(income, withheld_cents), (withheld, -withheld_cents)]
        if lines:
            postings.append(
                ledger.Posting(
                    key=f"run:{run.pk}:income:{participant_id}",
                    lines=lines,
                    description=f"Inkomen {month} ontvangen en vaste lasten ingehouden",
                    **common,
                )
            )
        for i in own:
            postings.append(
                ledger.Posting(
                    key=f"instruction:{i.end_to_end_id}",
                    lines=_instruction_lines(i, ids, income, withheld, allowance, bank, gift),
                    # The ledger is append-only and outlives retention: no participant's
                    # name goes in, only a creditor's (docs/retention.md).
                    description=f"{_kind_label(i.kind)} {ledger_payee(i)} {month}"[:255],
                    **common,
                )
            )
    return ledger.post_many(postings)


NOT_FROM_INCOME = (InstructionKind.GIFT, *EXTRA_KINDS)


class _Booked(NamedTuple):
    """What booking needs of one payment instruction."""

    participant_id: int
    kind: str
    amount_cents: int
    creditor_id: int | None
    pot_name: str | None
    end_to_end_id: str
    name: str


def ledger_payee(instruction) -> str:
    """Who a payment went to, as the (append-only) ledger may say it: a creditor by name,
    the participant only by id."""
    if instruction.creditor_id:
        return instruction.name
    return f"deelnemer {instruction.participant_id}"


@functools.lru_cache(maxsize=16)
def _kind_label(kind: str) -> str:
    return str(InstructionKind(kind).label)


def _instruction_lines(i: _Booked, ids, income, withheld, allowance, bank, gift):
    x = i.amount_cents
    if i.kind in CREDITOR_KINDS:
        payable = ids[(AccountKind.PAYABLE, i.participant_id, None, i.creditor_id, "")]
        source = gift if i.kind == InstructionKind.GIFT else withheld
        return [(source, x), (payable, -x), (payable, x), (bank, -x)]
    if i.kind == InstructionKind.ALLOWANCE:
        return [(income, x), (allowance, -x), (allowance, x), (bank, -x)]
    pot = (
        ids[(AccountKind.SAVINGS, i.participant_id, None, None, i.pot_name[:60])]
        if i.pot_name is not None
        else None
    )
    if i.kind in EXTRA_KINDS:
        # Out of the participant's own money (a one-off) or out of the pot (a payout), through
        # the creditor's payable account or the allowance account (to the participant).
        source = pot if i.kind == InstructionKind.POT_PAYOUT else income
        payee = (
            ids[(AccountKind.PAYABLE, i.participant_id, None, i.creditor_id, "")]
            if i.creditor_id
            else allowance
        )
        return [(source, x), (payee, -x), (payee, x), (bank, -x)]
    return [(income, x), (pot, -x)]


# --- figures for the screens ------------------------------------------------------------------


def run_totals(run: PaymentRun) -> dict:
    """Counts and sums per kind of instruction, and the shortfalls, for the run screen."""
    sums = run.instructions.aggregate(
        count=Count("pk"),
        participants=Count("participant", distinct=True),
        creditors_cents=Sum("amount_cents", filter=Q(kind__in=CREDITOR_KINDS), default=0),
        gift_cents=Sum("amount_cents", filter=Q(kind=InstructionKind.GIFT), default=0),
        allowance_cents=Sum("amount_cents", filter=Q(kind=InstructionKind.ALLOWANCE), default=0),
        savings_cents=Sum("amount_cents", filter=Q(kind=InstructionKind.SAVINGS), default=0),
        extras_cents=Sum("amount_cents", filter=Q(kind__in=EXTRA_KINDS), default=0),
        paid_count=Count("pk", filter=Q(kind__in=PAID_KINDS)),
    )
    sums["file_cents"] = sums["creditors_cents"] + sums["allowance_cents"] + sums["extras_cents"]
    cases = run.shortfalls.aggregate(
        shortfalls=Count("pk"),
        undecided=Count("pk", filter=Q(decision__isnull=True)),
        shortfall_cents=Sum("shortfall_cents", default=0),
    )
    return sums | cases


class ExecutionDay(NamedTuple):
    """The payments of a run the bank executes, and the payees receive, on one day."""

    execution_on: date
    count: int
    amount_cents: int


def execution_days(run: PaymentRun) -> list[ExecutionDay]:
    """The run's paid instructions per execution date: as exported, or as a file made now
    would have them."""
    made_at = run.exported_at or timezone.now()
    days: dict[date, list[int]] = {}
    planned = (
        paid_instructions(run)
        .order_by()
        .values("pay_on")
        .annotate(count=Count("pk"), amount_cents=Sum("amount_cents"))
    )
    for row in planned:
        totals = days.setdefault(files.execution_on(row["pay_on"], made_at), [0, 0])
        totals[0] += row["count"]
        totals[1] += row["amount_cents"]
    return [ExecutionDay(day, *totals) for day, totals in sorted(days.items())]
