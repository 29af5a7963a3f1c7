"""Choices for creditor signals: who reports, what is reported, and the follow-up workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditorKind(models.TextChoices):
    HOUSING = "woningcorporatie", _("Woningcorporatie")
    ENERGY = "energie", _("Energieleverancier")
    WATER = "water", _("Waterbedrijf")
    HEALTH_INSURER = "zorgverzekeraar", _("Zorgverzekeraar")
    OTHER = "overig", _("Overig")


class ImportStatus(models.TextChoices):
    """Where an uploaded CSV of signals is: waiting, being read in, done or stopped."""

    RECEIVED = "received", _("ontvangen")
    RUNNING = "running", _("wordt ingelezen")
    DONE = "done", _("ingelezen")
    INTERRUPTED = "interrupted", _("onderbroken")


class Source(models.TextChoices):
    API = "api", _("API")
    CSV = "csv", _("CSV-upload")
    INTERNAL = "internal", _("Intern")


class SignalKind(models.TextChoices):
    # The first three are the values creditors use in the CSV layout and the API.
    ARREARS = "betalingsachterstand", _("Betalingsachterstand")
    TERMINATED = "opzegging", _("Opgezegd contract")
    OTHER = "overig", _("Overig")
    # Raised by Ontzorg itself (payments, banking, ledger) through services.raise_internal.
    UNCONFIRMED_PAYMENT = "betaling_onbevestigd", _("Betaling niet bevestigd door de bank")
    UNUSUAL_AMOUNT = "afwijkend_bedrag", _("Afwijkend bedrag")
    NEGATIVE_BALANCE = "negatief_saldo", _("Negatief saldo")
    RETURNED_PAYMENT = "betaling_teruggeboekt", _("Betaling teruggeboekt door de bank")


EXTERNAL_KINDS = (SignalKind.ARREARS, SignalKind.TERMINATED, SignalKind.OTHER)
INTERNAL_KINDS = (
    SignalKind.UNCONFIRMED_PAYMENT,
    SignalKind.UNUSUAL_AMOUNT,
    SignalKind.NEGATIVE_BALANCE,
    SignalKind.RETURNED_PAYMENT,
)


class Status(models.TextChoices):
    NEW = "new", _("Nieuw")
    CONTACTED = "contacted", _("Contact opgenomen")
    ARRANGEMENT = "arrangement", _("Afspraak gemaakt")
    DEBT_HELP = "debt_help", _("Doorverwezen naar schuldhulp")
    CLOSED = "closed", _("Afgesloten")


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
