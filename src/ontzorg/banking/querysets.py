"""Scoping of statement imports, bank entries and returns: payment roles, own region only.

Each model reaches its region through a foreign key (its ``scope_path``), and
``ontzorg.core.access`` applies it: an import the region it was uploaded for, an entry the
region of the paying account it was booked on, a return the region of its payment run."""

from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.models import Region

from .constants import MatchStatus
from .models import BankEntry, ReturnedPayment, StatementImport


def regions_with_account(user):
    """The regions whose paying account ``user`` may see: those they may import for."""
    return Region.objects.filter(debtor_account__in=access.restrict(DebtorAccount, user))


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


def visible_imports(user):
    return StatementImport.objects.visible_to(user).select_related("uploaded_by", "region")


def visible_returns(user):
    return ReturnedPayment.objects.visible_to(user).select_related(
        "instruction__participant", "instruction__run__region", "entry"
    )
