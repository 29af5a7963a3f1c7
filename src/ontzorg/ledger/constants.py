"""Account kinds and transaction sources of the ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    # Per participant: the path the benefit takes through Ontzorg.
    INCOME_RECEIVED = "income_received", _("Ontvangen inkomen")
    WITHHELD = "withheld", _("Ingehouden vaste lasten")
    PAYABLE = "payable", _("Te betalen aan schuldeiser")
    ALLOWANCE_PAYABLE = "allowance_payable", _("Te betalen leefgeld")
    SAVINGS = "savings", _("Spaarpot")
    # Per region (the municipality): its bank account, the bijzondere bijstand budget and
    # the suspense account for bank lines that match nothing yet.
    BANK = "bank", _("Bank (betaald en ontvangen)")
    GIFT = "gift", _("Gift (bijzondere bijstand)")
    SUSPENSE = "suspense", _("Tussenrekening (niet gematcht)")


PARTICIPANT_KINDS = (
    AccountKind.INCOME_RECEIVED,
    AccountKind.WITHHELD,
    AccountKind.PAYABLE,
    AccountKind.ALLOWANCE_PAYABLE,
    AccountKind.SAVINGS,
)
REGION_KINDS = (AccountKind.BANK, AccountKind.GIFT, AccountKind.SUSPENSE)


class Source(models.TextChoices):
    RUN = "run", _("Betaalrun")
    INSTRUCTION = "instruction", _("Betaalopdracht")
    IMPORT = "import", _("Bankafschrift")
    MANUAL = "manual", _("Handmatige boeking")
