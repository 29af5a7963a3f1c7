"""Ledger test helpers: accounts for a participant and the region's bank account."""

from ontzorg.ledger import services
from ontzorg.ledger.constants import AccountKind


def participant_accounts(participant):
    """The income, allowance and bank accounts a simple posting needs."""
    region = participant.regeling.region
    return {
        "income": services.account(AccountKind.INCOME_RECEIVED, participant=participant),
        "allowance": services.account(AccountKind.ALLOWANCE_PAYABLE, participant=participant),
        "bank": services.account(AccountKind.BANK, region=region),
    }
