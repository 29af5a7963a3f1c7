"""Choices of the banking app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bank data is for the payment roles (``payments.querysets.PAYMENT_RIGHTS``). Importing a
# statement, deciding what an entry is and paying a return again need this one of them.
BANK_RIGHT = "prepares_payments"


class ImportStatus(models.TextChoices):
    RECEIVED = "received", _("ontvangen")
    PARSED = "parsed", _("gecontroleerd")
    INTERRUPTED = "interrupted", _("onderbroken")
    BOOKED = "booked", _("verwerkt")
    FAILED = "failed", _("mislukt")


# An import that has not finished: waiting, being checked or being stored.
RUNNING_STATUSES = (ImportStatus.RECEIVED, ImportStatus.PARSED)


class MatchStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("niet gekoppeld")
    MATCHED = "matched", _("gekoppeld")
    IGNORED = "ignored", _("geen deelnemer")


class ReconciliationKind(models.TextChoices):
    PAYMENT = "payment", _("betaling bevestigd")
    INCOME = "income", _("inkomen ontvangen")
    RETURN = "return", _("betaling teruggeboekt")
    REPAYMENT = "repayment", _("herbetaling bevestigd")
    IGNORED = "ignored", _("geen deelnemer")


class MatchRule(models.TextChoices):
    END_TO_END = "end_to_end", _("EndToEndId")
    IBAN = "iban", _("IBAN tegenpartij")
    REFERENCE = "reference", _("kenmerk in omschrijving")
    AMOUNT = "amount", _("bedrag en naam")
    MANUAL = "manual", _("handmatig")


class ReturnStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPAID = "repaid", _("opnieuw betaald")


# The ISO 20022 return reasons a Dutch bank gives most (ExternalReturnReason1Code).
RETURN_REASONS = {
    "AC01": "IBAN onjuist",
    "AC04": "rekening opgeheven",
    "AC06": "rekening geblokkeerd",
    "AG01": "transactie niet toegestaan op deze rekening",
    "AM05": "dubbele betaling",
    "BE04": "adres begunstigde ontbreekt",
    "MD07": "begunstigde overleden",
    "MS02": "geweigerd door begunstigde",
    "MS03": "reden niet opgegeven",
    "RC01": "BIC onjuist",
    "RR01": "gegevens begunstigde ontbreken",
}
# Reasons that say the account itself is wrong: paying the same IBAN again would fail again.
ACCOUNT_REASONS = ("AC01", "AC04", "AC06", "MD07", "RC01", "BE04", "RR01")
