"""Choices of the banking app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bank data is for the payment roles (``payments.querysets.PAYMENT_RIGHTS``). Importing a
# statement, deciding what an entry is and paying a return again need this one of them.
BANK_RIGHT = "prepares_payments"


class ImportStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    PARSED = "parsed", _("checked")
    INTERRUPTED = "interrupted", _("interrupted")
    BOOKED = "booked", _("processed")
    FAILED = "failed", _("failed")


# An import that has not finished: waiting, being checked or being stored.
RUNNING_STATUSES = (ImportStatus.RECEIVED, ImportStatus.PARSED)


class MatchStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("not matched")
    MATCHED = "matched", _("matched")
    IGNORED = "ignored", _("no participant")


class ReconciliationKind(models.TextChoices):
    PAYMENT = "payment", _("payment confirmed")
    INCOME = "income", _("income received")
    RETURN = "return", _("payment returned")
    REPAYMENT = "repayment", _("re-payment confirmed")
    IGNORED = "ignored", _("no participant")


class MatchRule(models.TextChoices):
    END_TO_END = "end_to_end", _("EndToEndId")
    IBAN = "iban", _("counterparty IBAN")
    REFERENCE = "reference", _("reference in remittance information")
    AMOUNT = "amount", _("amount and name")
    MANUAL = "manual", _("by hand")


class ReturnStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPAID = "repaid", _("paid again")


# The ISO 20022 return reasons a Dutch bank gives most (ExternalReturnReason1Code).
RETURN_REASONS = {
    "AC01": _("IBAN incorrect"),
    "AC04": _("account closed"),
    "AC06": _("account blocked"),
    "AG01": _("transaction not allowed on this account"),
    "AM05": _("duplicate payment"),
    "BE04": _("payee address missing"),
    "MD07": _("payee deceased"),
    "MS02": _("refused by payee"),
    "MS03": _("reason not given"),
    "RC01": _("BIC incorrect"),
    "RR01": _("payee details missing"),
}
# Reasons that say the account itself is wrong: paying the same IBAN again would fail again.
ACCOUNT_REASONS = ("AC01", "AC04", "AC06", "MD07", "RC01", "BE04", "RR01")
