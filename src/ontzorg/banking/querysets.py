"""Scoping of statement imports, bank entries and returns: payment roles, own region only.

Each model reaches its region through a foreign key (its ``scope_path``), and
``ontzorg.core.access`` applies it: an import the region it was uploaded for, an entry the
region of the paying account it was booked on, a return the region of its payment run."""

from django.db.models import Q
from django.utils.translation import gettext as _

from ontzorg.core import access, privacy
from ontzorg.core.search import words as search_words
from ontzorg.exceptions import PermissionDenied
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.models import Region

from .constants import MatchStatus
from .models import BankEntry, ReturnedPayment, StatementImport


def regions_with_account(user):
    """The regions whose paying account ``user`` may see: those they may import for."""
    return Region.objects.filter(
        debtor_accounts__in=access.restrict(DebtorAccount, user)
    ).distinct()


def require_region(user, region_id: int) -> None:
    """For services: refuse unless ``user`` may see the paying account of this region."""
    if not regions_with_account(user).filter(pk=region_id).exists():
        raise PermissionDenied(_("This region is outside your scope."))


def visible_entries(user):
    return BankEntry.objects.visible_to(user)


def work_queue(user):
    """Entries that matched no rule, oldest first."""
    return (
        visible_entries(user)
        .filter(match_status=MatchStatus.UNMATCHED)
        .select_related("statement")
        .order_by("booked_on", "pk")
    )


def search_queue(user, entries, text: str):
    """Work-queue `entries` found by a search: every word in the counterparty's name or the
    remittance text (bank text is in the SEPA set, ASCII), or entries from the IBAN of a
    participant `user` may see whose name holds every word, accents aside. A BSN-like
    search (`privacy.looks_like_bsn`) also finds, for who may see BSNs, the entries from
    that participant's IBAN and those naming the whole BSN in their remittance text."""
    from ontzorg.participants.models import Participant

    words = search_words(text)
    if not words:
        return entries
    people = Participant.objects.visible_to(user)
    by_text = Q()
    for word in words:
        by_text &= Q(counterparty_name__icontains=word) | Q(remittance__icontains=word)
    found = by_text | Q(counterparty_iban__in=_ibans(people.search(text)))
    if access.may(user, "sees_bsn") and privacy.looks_like_bsn(text):
        found |= Q(counterparty_iban__in=_ibans(people.search_bsn(text)))
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) in (8, 9):
            found |= Q(remittance__contains=digits)
    return entries.filter(found)


def _ibans(participants):
    return participants.exclude(iban="").values("iban")


def visible_imports(user):
    return StatementImport.objects.visible_to(user).select_related("uploaded_by", "region")


def visible_returns(user):
    return ReturnedPayment.objects.visible_to(user).select_related(
        "instruction__participant", "instruction__run__region", "entry"
    )
