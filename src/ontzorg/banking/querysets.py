"""Scoping of statement imports, bank entries and returns: payment roles, own region only.

An entry belongs to the region whose paying account (``payments.DebtorAccount``) it was
booked on; an import to the region it was uploaded for."""

from ontzorg.payments.models import DebtorAccount
from ontzorg.payments.querysets import region_ids_for

from .constants import MatchStatus
from .models import BankEntry, ReturnedPayment, StatementImport


def account_ibans_for(user) -> list[str] | None:
    """The paying accounts whose entries ``user`` may see; None means all."""
    regions = region_ids_for(user)
    if regions is None:
        return None
    return list(DebtorAccount.objects.filter(region_id__in=regions).values_list("iban", flat=True))


def visible_entries(user):
    ibans = account_ibans_for(user)
    entries = BankEntry.objects.all()
    return entries if ibans is None else entries.filter(account_iban__in=ibans)


def work_queue(user):
    """Entries that matched no rule, oldest first."""
    return (
        visible_entries(user)
        .filter(match_status=MatchStatus.UNMATCHED)
        .select_related("statement")
        .order_by("booked_on", "pk")
    )


def visible_imports(user):
    regions = region_ids_for(user)
    imports = StatementImport.objects.select_related("uploaded_by", "region")
    return imports if regions is None else imports.filter(region_id__in=regions)


def visible_returns(user):
    regions = region_ids_for(user)
    returns = ReturnedPayment.objects.select_related(
        "instruction__participant", "instruction__run__region", "entry"
    )
    return returns if regions is None else returns.filter(instruction__run__region_id__in=regions)
