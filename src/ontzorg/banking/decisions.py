"""The work queue: deciding by hand what a bank entry is that matched no rule.

An entry is taken as a participant's income, as the bank's confirmation or return of one of
our payments (when the bank lost or changed the EndToEndId), or closed as concerning no
participant (bank costs, interest). Each decision is one transaction, needs a note, and is
audited with what was linked."""

from django.db import transaction
from django.utils.translation import gettext as _

from ontzorg.audit.services import record
from ontzorg.core import access, money
from ontzorg.exceptions import Refused
from ontzorg.ledger.models import Transaction
from ontzorg.payments.models import PaymentInstruction
from ontzorg.plans.models import Income

from . import events, reconcile
from .constants import BANK_RIGHT, MatchRule, MatchStatus, ReconciliationKind
from .models import BankEntry, Reconciliation, ReturnedPayment


def _open_entry(user, entry: BankEntry, note: str) -> tuple[BankEntry, int]:
    access.require(user, BANK_RIGHT)
    entry = access.get_or_refuse(
        BankEntry.objects.select_for_update(of=("self",)).select_related("statement"),
        user,
        pk=entry.pk,
    )
    region_id = entry.statement.region_id
    if region_id is None:
        raise Refused(_("This entry is on an account that belongs to no region."))
    if entry.match_status != MatchStatus.UNMATCHED:
        raise Refused(_("This entry has already been dealt with."))
    if not note.strip():
        raise Refused(_("Explain your decision."))
    return entry, region_id


def _decided(user, entry, reconciliation, event, **params) -> Reconciliation:
    entry.match_status = (
        MatchStatus.IGNORED
        if reconciliation.kind == ReconciliationKind.IGNORED
        else MatchStatus.MATCHED
    )
    entry.save(update_fields=["match_status"])
    record(
        user,
        event,
        reconciliation,
        participant=reconciliation.participant,
        changes={
            "bankpost": [None, entry.pk],
            "koppeling": [None, reconciliation.get_kind_display()],
            "betaalopdracht": [None, reconciliation.instruction_id],
            "deelnemer": [None, reconciliation.participant_id],
            "toelichting": [None, reconciliation.note],
        },
        entry=entry.pk,
        **params,
    )
    return reconciliation


@transaction.atomic
def assign_to_participant(user, entry, participant, *, note: str):
    """Book an incoming amount to a participant by hand (their income)."""
    entry, region_id = _open_entry(user, entry, note)
    if entry.amount_cents <= 0:
        raise Refused(_("Only a credit can be matched to a participant."))
    if participant.regeling.region_id != region_id:
        raise Refused(_("This participant does not belong to this account's region."))
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
        events.ENTRY_TO_PARTICIPANT,
        amount=money.amount(entry.amount_cents),
        participant_pk=participant.pk,
    )


@transaction.atomic
def assign_to_instruction(user, entry, end_to_end_id: str, *, note: str):
    """Take an entry by hand as the bank's confirmation, or return, of one of our payments
    (when the bank lost or changed the EndToEndId)."""
    entry, region_id = _open_entry(user, entry, note)
    instruction = (
        PaymentInstruction.objects.select_related("run", "participant")
        .filter(end_to_end_id=end_to_end_id.strip(), run__region_id=region_id)
        .first()
    )
    if instruction is None:
        raise Refused(
            _("There is no payment instruction with this reference (EndToEndId) in this region.")
        )
    if abs(entry.amount_cents) != instruction.amount_cents:
        raise Refused(
            _(
                "The amount of the entry (%(entry)s) is not the amount of the payment "
                "instruction (%(instruction)s)."
            )
            % {
                "entry": money.amount(abs(entry.amount_cents)),
                "instruction": money.amount(instruction.amount_cents),
            }
        )
    note = note.strip()[:255]
    if entry.amount_cents < 0:
        if Reconciliation.objects.filter(
            kind=ReconciliationKind.PAYMENT, instruction=instruction
        ).exists():
            raise Refused(
                _("This payment instruction has already been confirmed by another bank entry.")
            )
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
        event = events.ENTRY_TO_PAYMENT
    else:
        if ReturnedPayment.objects.filter(instruction=instruction).exists():
            raise Refused(_("This payment instruction has already been recorded as returned."))
        reconciliation = reconcile.open_return(
            user, entry, instruction, rule=MatchRule.MANUAL, decided_by=user, note=note
        )
        event = events.ENTRY_TO_RETURN
    return _decided(user, entry, reconciliation, event, end_to_end_id=instruction.end_to_end_id)


@transaction.atomic
def ignore_entry(user, entry, *, note: str):
    """Close an entry that concerns no participant (bank costs, interest), with a reason."""
    entry, _region = _open_entry(user, entry, note)
    reconciliation = Reconciliation.objects.create(
        entry=entry,
        kind=ReconciliationKind.IGNORED,
        rule=MatchRule.MANUAL,
        decided_by=user,
        note=note.strip()[:255],
    )
    return _decided(user, entry, reconciliation, events.ENTRY_IGNORED)
