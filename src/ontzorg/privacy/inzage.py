"""Inzage (AVG art. 15): everything Ontzorg holds about one participant, gathered from every
app, as sections of rows that the page shows and the JSON download carries.

Each section is one kind of record, always filtered on this participant (or their
household), so nothing of anyone else comes along. A row holds each field twice: the raw
value for the JSON and the Dutch display text for the page (amounts in euros, choices by
their label, dates as people write them). Who may ask for it: `may_produce`."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ontzorg.approvals.models import Proposal
from ontzorg.audit.models import AuditEntry
from ontzorg.banking.models import BankEntry, Reconciliation, ReturnedPayment
from ontzorg.core import access
from ontzorg.core.money import euro
from ontzorg.guidance.models import Attendance, Contact, Enrollment, PracticalCondition, Referral
from ontzorg.inventory.models import Asset, AssetValue, Debt, DebtAmount, IntegrationRecord
from ontzorg.ledger.models import Account, Entry
from ontzorg.letters.models import MonthlyOverview
from ontzorg.measurements.models import AssignmentScore, ChecklistAnswer, Measurement
from ontzorg.monitor.models import SnapshotRow
from ontzorg.participants.models import SelectionDraw
from ontzorg.payments.models import AllowanceWarning, PayeeCase, PaymentInstruction, ShortfallCase
from ontzorg.plans.models import (
    Income,
    LineAmount,
    Machtiging,
    ModeDecision,
    OneOffPayment,
    Plan,
    PlanDecision,
    PlanLine,
    PotPayout,
    SavingsPot,
    ShortfallDecision,
)
from ontzorg.signals.models import Signal, StatusChange
from ontzorg.trajectory.models import (
    Evaluation,
    HandoverCheck,
    NazorgPeriod,
    Outflow,
    PhaseOutStep,
)

from .models import Anonymisation

# Rights that together let a user produce an inzage: the case worker's, who sees the whole
# file (BSN and bank data) and may change it; a beheerder has them too, a superuser all.
RIGHTS = ("edits_participants", "sees_bsn", "sees_bank")
# Not personal data, or only machinery: left out of every row.
SKIPPED = {"id", "run_token", "idempotency_key", "content_hash", "heartbeat_at"}


def may_produce(user) -> bool:
    return all(access.may(user, right) for right in RIGHTS)


@dataclass
class Section:
    key: str
    title: str
    labels: list[tuple[str, str]]
    rows: list[dict]
    # The kind of record it shows (tests check that every kind about a participant is here).
    model: type[models.Model] | None = None

    def as_json(self) -> dict:
        return {
            "titel": self.title,
            "velden": dict(self.labels),
            "rijen": [
                {name: row[name]["value"] for name, _label in self.labels} for row in self.rows
            ],
        }

    def display_rows(self) -> list[list[str]]:
        return [[row[name]["text"] for name, _label in self.labels] for row in self.rows]


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text(obj, field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if field.name.endswith("_cents") and isinstance(value, int):
        return euro(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(field, models.FileField):
        return value.name if hasattr(value, "name") else str(value)
    return str(value)


def section(key: str, title: str, queryset, *, exclude: tuple[str, ...] = ()) -> Section:
    """One kind of record as a section: every concrete field but the machinery."""
    model = queryset.model
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED and f.name not in exclude and f.name != "participant"
    ]
    labels = [(f.name, str(f.verbose_name)) for f in fields]
    rows = []
    for obj in queryset:
        row = {}
        for f in fields:
            if f.is_relation:
                related = getattr(obj, f.name)
                value = getattr(obj, f.attname)
                row[f.name] = {"value": value, "text": str(related) if related else "—"}
            else:
                value = getattr(obj, f.attname)
                if isinstance(f, models.FileField):
                    value = getattr(obj, f.name).name or ""
                row[f.name] = {"value": _plain(value), "text": _text(obj, f, getattr(obj, f.name))}
        rows.append(row)
    return Section(key, title, labels, rows, model)


def _rows(values: list[dict]) -> list[dict]:
    return [{k: {"value": v, "text": t} for k, (v, t) in row.items()} for row in values]


def _when(moment) -> tuple:
    return _plain(moment), date_format(timezone.localtime(moment), "j F Y H:i")


def _draw_section(participant) -> Section:
    """The lotteries the participant was in: when, how many were drawn out of how many, and
    whether they were drawn. The ids of the others in the pool are theirs, not shown."""
    labels = [
        ("drawn_at", _("drawn at")),
        ("regeling", _("regeling")),
        ("size", _("number drawn")),
        ("pool", _("number of candidates")),
        ("selected", _("you were drawn")),
    ]
    values = []
    draws = SelectionDraw.objects.filter(regeling_id=participant.regeling_id).select_related(
        "regeling"
    )
    for draw in draws.order_by("drawn_at", "pk"):
        if participant.pk not in draw.candidate_ids:
            continue
        selected = participant.pk in draw.selected_ids
        values.append(
            {
                "drawn_at": _when(draw.drawn_at),
                "regeling": (draw.regeling_id, str(draw.regeling)),
                "size": (draw.size, str(draw.size)),
                "pool": (len(draw.candidate_ids), str(len(draw.candidate_ids))),
                "selected": (selected, _("yes") if selected else _("no")),
            }
        )
    return Section("lotingen", _("Random draws"), labels, _rows(values), SelectionDraw)


def _audit_section_entries(participant) -> list[AuditEntry]:
    """The audit entries about the participant and of lists that showed them, newest first."""
    found = list(AuditEntry.objects.for_participant(participant))
    found += [entry for entry in _list_entries() if _lists(entry, participant.pk)]
    found.sort(key=lambda entry: (entry.at, entry.pk), reverse=True)
    return found


def _audit_section(participant) -> Section:
    """Who looked at or changed the participant's data, and when (not from where: a staff
    member's IP address is theirs, not the participant's). Lists that showed the participant
    among others are included too: they hold the shown ids, not a participant."""
    labels = [
        ("at", _("timestamp")),
        ("actor_name", _("by")),
        ("action", _("action")),
        ("text", _("description")),
    ]
    found = _audit_section_entries(participant)
    values = [
        {
            "at": _when(entry.at),
            "actor_name": (entry.actor_name, entry.actor_name or "Ontzorg"),
            "action": (entry.action, entry.get_action_display()),
            "text": (entry.text, entry.text),
        }
        for entry in found
    ]
    return Section("audit", _("Who viewed or changed your data"), labels, _rows(values), AuditEntry)


# Audit entries of a list that showed participants, and the key of `changes` holding the ids
# shown (participants.services.record_list_view, audit.admin's list of participants).
LIST_EVENTS = {
    "participant.list_viewed": "deelnemers",
    "participant.list_exported": "deelnemers",
    "admin.list_viewed": "getoond",
    # A region's zip of monthly overviews (letters.batch_views), about a PdfBatch.
    "letters.pdf_batch_downloaded": "deelnemers",
}


def _list_entries():
    """Entries of participant lists; filtered in Python, so it works alike on SQLite and
    PostgreSQL (JSON containment differs between them)."""
    return AuditEntry.objects.filter(
        Q(object_type="participants.Participant") | Q(event="letters.pdf_batch_downloaded"),
        event__in=LIST_EVENTS,
        participant__isnull=True,
    ).order_by("pk")


def _lists(entry, pk: int) -> bool:
    change = (entry.changes or {}).get(LIST_EVENTS[entry.event]) or [None, []]
    shown = change[1] if isinstance(change, list) and len(change) == 2 else []
    return isinstance(shown, list) and str(pk) in {str(item) for item in shown}


def sections(participant) -> list[Section]:
    """Every section of the participant's inzage, in the order of the page."""
    p = participant
    household = p.household
    own_plans = Plan.objects.filter(participant=p)
    return [
        section("deelnemer", _("Personal data"), type(p).objects.filter(pk=p.pk)),
        section("huishouden", _("Address"), type(household).objects.filter(pk=household.pk)),
        section(
            "gezinsleden", _("Household members"), household.members.all(), exclude=("household",)
        ),
        section("verhuizingen", _("Moves"), household.moves.all(), exclude=("household",)),
        section("besluiten", _("Decisions"), p.decisions.all()),
        section("plannen", _("Ontzorg plans"), own_plans),
        section("vaste_lasten", _("Fixed costs"), PlanLine.objects.filter(plan__participant=p)),
        section(
            "bedragen",
            _("Amounts of fixed costs"),
            LineAmount.objects.filter(line__plan__participant=p),
        ),
        section(
            "planbesluiten",
            _("Decisions about the plan"),
            PlanDecision.objects.filter(plan__participant=p),
        ),
        section("vorm", _("Decisions about the mode"), ModeDecision.objects.filter(participant=p)),
        section(
            "tekortbesluiten",
            _("Shortfall decisions"),
            ShortfallDecision.objects.filter(plan__participant=p),
        ),
        section("machtigingen", _("Machtigingen"), Machtiging.objects.filter(participant=p)),
        section("inkomen", _("Income"), Income.objects.filter(participant=p)),
        section(
            "spaarpotten", _("Savings pot records"), SavingsPot.objects.filter(plan__participant=p)
        ),
        section(
            "uitbetalingen",
            _("Payouts from savings pots"),
            PotPayout.objects.filter(pot__plan__participant=p),
        ),
        section("eenmalig", _("One-off payments"), OneOffPayment.objects.filter(participant=p)),
        section("betalingen", _("Payments"), PaymentInstruction.objects.filter(participant=p)),
        section(
            "terugboekingen",
            _("Returned payments"),
            ReturnedPayment.objects.filter(instruction__participant=p),
        ),
        section(
            "tegengehouden",
            _("Held-back payments"),
            PayeeCase.objects.filter(participant=p),
        ),
        section(
            "tekorten",
            _("Shortfalls in a payment run"),
            ShortfallCase.objects.filter(participant=p),
        ),
        section(
            "weinig_leefgeld",
            _("Low living allowance warnings"),
            AllowanceWarning.objects.filter(participant=p),
        ),
        section("bankkoppelingen", _("Matched bank entries"), _reconciliations(p)),
        section(
            "bankposten",
            _("Bank entries"),
            BankEntry.objects.filter(reconciliation__in=_reconciliations(p)).distinct(),
        ),
        section("rekeningen", _("Accounts in the ledger"), Account.objects.filter(participant=p)),
        section(
            "boekingen",
            _("Ledger entries"),
            Entry.objects.filter(account__participant=p).select_related("transaction", "account"),
        ),
        section(
            "maandoverzichten",
            _("Monthly overviews"),
            MonthlyOverview.objects.filter(participant=p),
        ),
        section("voorstellen", _("Proposals (four eyes)"), Proposal.objects.filter(participant=p)),
        section(
            "metingen", _("Self-reliance measurements"), Measurement.objects.filter(participant=p)
        ),
        section(
            "antwoorden",
            _("Answers in measurements"),
            ChecklistAnswer.objects.filter(measurement__participant=p),
        ),
        section(
            "opdrachtscores",
            _("Assignment scores in measurements"),
            AssignmentScore.objects.filter(measurement__participant=p),
        ),
        section("contacten", _("Guidance contacts"), Contact.objects.filter(participant=p)),
        section(
            "groepsactiviteiten", _("Group activities"), Enrollment.objects.filter(participant=p)
        ),
        section(
            "aanwezigheid",
            _("Attendance at sessions"),
            Attendance.objects.filter(participant=p),
        ),
        section(
            "voorzieningen",
            _("Practical arrangements"),
            PracticalCondition.objects.filter(participant=p),
        ),
        section("verwijzingen", _("Referrals"), Referral.objects.filter(participant=p)),
        section("schulden", _("Debts"), Debt.objects.filter(participant=p)),
        section(
            "schuldbedragen",
            _("Debt amounts over time"),
            DebtAmount.objects.filter(debt__participant=p),
        ),
        section("vermogen", _("Assets"), Asset.objects.filter(participant=p)),
        section(
            "vermogenswaarden",
            _("Asset values over time"),
            AssetValue.objects.filter(asset__participant=p),
        ),
        section(
            "duaal_traject",
            _("Duaal traject: route, PIP and language level"),
            IntegrationRecord.objects.filter(participant=p),
        ),
        section("evaluaties", _("Evaluations"), Evaluation.objects.filter(participant=p)),
        section(
            "afbouw",
            _("Phase-out of fixed costs"),
            PhaseOutStep.objects.filter(plan__participant=p),
        ),
        section(
            "overdrachtscontroles",
            _("Handover checks of fixed costs"),
            HandoverCheck.objects.filter(participant=p),
        ),
        section("uitstroom", _("Outflow to work"), Outflow.objects.filter(participant=p)),
        section("nazorg", _("Nazorg"), NazorgPeriod.objects.filter(participant=p)),
        section("signalen", _("Signals from creditors"), Signal.objects.filter(participant=p)),
        section(
            "signaalopvolging",
            _("Follow-up of signals"),
            StatusChange.objects.filter(signal__participant=p),
        ),
        _draw_section(p),
        section(
            "monitor", _("Snapshots for the monitor"), SnapshotRow.objects.filter(participant=p)
        ),
        section("anonimisering", _("Anonymisation"), Anonymisation.objects.filter(participant=p)),
        _audit_section(p),
    ]


def _reconciliations(p):
    """Bank entries matched to the participant: their income, a payment to them or for them,
    or a payment of theirs the bank returned."""
    return Reconciliation.objects.filter(
        Q(participant=p)
        | Q(instruction__participant=p)
        | Q(returned_payment__instruction__participant=p)
    ).distinct()


def as_json(participant, found: list[Section], *, made_by, made_at) -> dict:
    return {
        "inzage": "AVG artikel 15",
        "deelnemer": participant.pk,
        "gemaakt_op": _plain(made_at),
        "gemaakt_door": made_by.get_username(),
        "onderdelen": {s.key: s.as_json() for s in found},
    }
