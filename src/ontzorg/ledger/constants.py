"""Account kinds and transaction sources of the ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    # Per participant: the path the benefit takes through Ontzorg.
    INCOME_RECEIVED = "income_received", _("Received income")
    WITHHELD = "withheld", _("Fixed costs withheld")
    PAYABLE = "payable", _("Payable to creditor")
    ALLOWANCE_PAYABLE = "allowance_payable", _("Living allowance payable")
    SAVINGS = "savings", _("Savings pot")
    # Per region (the municipality): its bank account, the bijzondere bijstand budget and
    # the suspense account for bank lines that match nothing yet.
    BANK = "bank", _("Bank (paid and received)")
    GIFT = "gift", _("Gift (special assistance)")
    SUSPENSE = "suspense", _("Suspense account (not matched)")


PARTICIPANT_KINDS = (
    AccountKind.INCOME_RECEIVED,
    AccountKind.WITHHELD,
    AccountKind.PAYABLE,
    AccountKind.ALLOWANCE_PAYABLE,
    AccountKind.SAVINGS,
)
REGION_KINDS = (AccountKind.BANK, AccountKind.GIFT, AccountKind.SUSPENSE)


class Source(models.TextChoices):
    RUN = "run", _("Payment run")
    INSTRUCTION = "instruction", _("Payment instruction")
    IMPORT = "import", _("Bank statement")
    MANUAL = "manual", _("Manual posting")
