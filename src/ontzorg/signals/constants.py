"""Choices for creditor signals: who reports, what is reported, and the follow-up workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditorKind(models.TextChoices):
    HOUSING = "woningcorporatie", _("Housing association")
    ENERGY = "energie", _("Energy supplier")
    WATER = "water", _("Water company")
    HEALTH_INSURER = "zorgverzekeraar", _("Health insurer")
    OTHER = "overig", _("Other")


class ImportStatus(models.TextChoices):
    """Where an uploaded CSV of signals is: waiting, being read in, done or stopped."""

    RECEIVED = "received", _("received")
    RUNNING = "running", _("importing")
    DONE = "done", _("imported")
    INTERRUPTED = "interrupted", _("interrupted")


class Source(models.TextChoices):
    API = "api", _("API")
    CSV = "csv", _("CSV upload")
    INTERNAL = "internal", _("Internal")


class SignalKind(models.TextChoices):
    # The first three are the values creditors use in the CSV layout and the API.
    ARREARS = "betalingsachterstand", _("Payment arrears")
    TERMINATED = "opzegging", _("Contract terminated")
    OTHER = "overig", _("Other")
    # Raised by Ontzorg itself (payments, banking, ledger) through services.raise_internal.
    UNCONFIRMED_PAYMENT = "betaling_onbevestigd", _("Payment not confirmed by the bank")
    UNUSUAL_AMOUNT = "afwijkend_bedrag", _("Unusual amount")
    NEGATIVE_BALANCE = "negatief_saldo", _("Negative balance")
    RETURNED_PAYMENT = "betaling_teruggeboekt", _("Payment returned by the bank")
    HANDOVER_CHECK = "overdracht_controle", _("Handover of a fixed cost not confirmed")


EXTERNAL_KINDS = (SignalKind.ARREARS, SignalKind.TERMINATED, SignalKind.OTHER)
INTERNAL_KINDS = (
    SignalKind.UNCONFIRMED_PAYMENT,
    SignalKind.UNUSUAL_AMOUNT,
    SignalKind.NEGATIVE_BALANCE,
    SignalKind.RETURNED_PAYMENT,
    SignalKind.HANDOVER_CHECK,
)


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    ARRANGEMENT = "arrangement", _("Appointment made")
    DEBT_HELP = "debt_help", _("Referred to debt counselling")
    CLOSED = "closed", _("Closed")


# Which status may follow which. Steps may be skipped forward (a signal that turns out to be
# paid already is closed right after contact), never taken back: the history stays readable.
TRANSITIONS = {
    Status.NEW: (Status.CONTACTED, Status.CLOSED),
    Status.CONTACTED: (Status.ARRANGEMENT, Status.DEBT_HELP, Status.CLOSED),
    Status.ARRANGEMENT: (Status.DEBT_HELP, Status.CLOSED),
    Status.DEBT_HELP: (Status.CLOSED,),
    Status.CLOSED: (),
}

# Working days within which the next step is due, counted from the day a signal enters a
# status: first contact within five working days, because arrears grow every month.
DUE_WORKING_DAYS = {
    Status.NEW: 5,
    Status.CONTACTED: 10,
    Status.ARRANGEMENT: 20,
    Status.DEBT_HELP: 20,
}

OPEN_STATUSES = (Status.NEW, Status.CONTACTED, Status.ARRANGEMENT, Status.DEBT_HELP)


class RouteTarget(models.TextChoices):
    """Who a matched signal goes to (``SignalRoute``, per region and kind of creditor)."""

    CASE_WORKER_AND_GUIDANCE = (
        "case_worker_and_guidance",
        _("Case worker and guidance organisation"),
    )
    CASE_WORKER = "case_worker", _("Case worker only")
    GUIDANCE = "guidance", _("Guidance organisation only")
    DEBT_COUNSELLOR = "debt_counsellor", _("Debt counsellor")
