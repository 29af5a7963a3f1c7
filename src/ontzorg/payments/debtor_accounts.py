"""The accounts payments are made from (``DebtorAccount``): the region's, and a
municipality's own where it has one. Which account pays a participant is decided here
(`account_for`, `assign`); once set up, an account's name, IBAN and BIC change only by a
four-eyes proposal (``ontzorg.approvals``), never by one person."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.approvals import proposals
from ontzorg.audit.services import diff, record, snapshot
from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.participants.validators import (
    normalise_iban,
    validate_account_holder_name,
    validate_bic,
    validate_iban,
)

from . import events
from .models import DebtorAccount

CHANGE = "debtor_account.change"
RIGHT = "prepares_payments"
FIELDS = ("name", "iban", "bic")
LABELS = {"name": gettext_lazy("Account holder name"), "iban": "IBAN", "bic": "BIC"}


def regional_account(region) -> DebtorAccount:
    """The region's own account (the one without a municipality); Refused if none is set up."""
    account = DebtorAccount.objects.filter(region=region, municipality__isnull=True).first()
    if account is None:
        raise Refused(
            _("No paying account is set up for %(region)s (Admin → Paying accounts).")
            % {"region": region}
        )
    return account


def account_for(participant) -> DebtorAccount:
    """The account `participant` is paid from: their municipality's own, else the region's."""
    municipality = participant.household.municipality
    own = DebtorAccount.objects.filter(municipality=municipality).first()
    return own if own is not None else regional_account(municipality.region)


def assign(run, instructions) -> None:
    """Fix which account pays each of `instructions` (of `run`, still a draft): the one of
    the participant's municipality where it has its own, else the region's (left empty when
    the region has none yet; the export then refuses until it has). Called when the run is
    approved, so the approver approves the accounts too; afterwards they never change."""
    own = DebtorAccount.objects.filter(region_id=run.region_id, municipality__isnull=False)
    for account in own.order_by("pk"):
        instructions.filter(participant__household__municipality_id=account.municipality_id).update(
            debtor_account=account
        )
    regional = DebtorAccount.objects.filter(
        region_id=run.region_id, municipality__isnull=True
    ).first()
    if regional is not None:
        instructions.filter(debtor_account__isnull=True).update(debtor_account=regional)


def split(run) -> list[tuple[DebtorAccount | None, int, int]]:
    """Per paying account the number and total of the run's payments in the file: as fixed
    at approval, or, before it, as `assign` will fix them, so the approver sees which
    account pays what. None: no account yet (the region has none set up)."""
    from .constants import PAID_KINDS

    own = {
        account.municipality_id: account
        for account in DebtorAccount.objects.filter(
            region_id=run.region_id, municipality__isnull=False
        )
    }
    regional = DebtorAccount.objects.filter(
        region_id=run.region_id, municipality__isnull=True
    ).first()
    accounts = {account.pk: account for account in [*own.values(), regional] if account}
    found: dict = {}
    for fixed, municipality, count, total in (
        run.instructions.filter(kind__in=PAID_KINDS)
        .order_by()
        .values_list("debtor_account_id", "participant__household__municipality_id")
        .annotate(n=Count("pk"), total=Sum("amount_cents"))
    ):
        if fixed is not None:
            account = accounts.get(fixed) or DebtorAccount.objects.get(pk=fixed)
        else:
            account = own.get(municipality, regional)
        count_before, total_before = found.get(account, (0, 0))
        found[account] = (count_before + count, total_before + total)
    return sorted(
        ((account, count, total) for account, (count, total) in found.items()),
        key=_region_first,
    )


def _region_first(row) -> tuple:
    """The region's account first, then the municipalities' by name; no account last."""
    account = row[0]
    if account is None:
        return (2, "")
    if account.municipality_id is None:
        return (0, "")
    return (1, str(account.municipality))


def account_of(account: DebtorAccount) -> dict[str, str]:
    return {name: getattr(account, name) for name in FIELDS}


def _tidy(data: dict) -> dict[str, str]:
    after = {
        "name": " ".join(str(data.get("name", "")).split()),
        "iban": normalise_iban(str(data.get("iban", ""))),
        "bic": str(data.get("bic", "")).strip().upper(),
    }
    try:
        validate_account_holder_name(after["name"])
        validate_iban(after["iban"])
        validate_bic(after["bic"])
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages)) from None
    return after


def propose_change(user, account: DebtorAccount, data: dict):
    """Propose a new name, IBAN or BIC for a paying account (the region's or a
    municipality's); a colleague who approves payments decides."""
    access.require(user, RIGHT)
    with transaction.atomic():
        account = access.get_or_refuse(
            DebtorAccount.objects.select_for_update().select_related("region"), user, pk=account.pk
        )
        before, after = account_of(account), _tidy(data)
        if before == after:
            raise Refused(_("Nothing has changed."))
        return proposals.propose(
            user,
            CHANGE,
            region=account.region,
            target=account,
            one_at_a_time=True,
            right=RIGHT,
            summary=_("Paying account %(region)s: %(before)s becomes %(after)s (%(name)s)")
            % {
                "region": account.municipality or account.region,
                "before": before["iban"],
                "after": after["iban"],
                "name": after["name"],
            },
            payload={"before": before, "after": after},
        )


def _details(proposal) -> list[tuple[str, str]]:
    before, after = proposal.payload["before"], proposal.payload["after"]
    return [
        (
            LABELS[name],
            f"{before[name]} → {after[name]}" if before[name] != after[name] else after[name],
        )
        for name in FIELDS
    ]


@proposals.action(
    CHANGE,
    label=gettext_lazy("Change of the region's paying account"),
    details=_details,
    changes_payee=True,
)
def _apply(proposal, approver) -> None:
    """Carry out an approved change, if the account is still as it was proposed against."""
    account = access.get_or_refuse(
        DebtorAccount.objects.select_for_update(), approver, pk=proposal.target_id
    )
    if account_of(account) != proposal.payload["before"]:
        raise Refused(
            _(
                "The paying account has changed since this proposal was made. Reject "
                "it; a new proposal can be made."
            )
        )
    after = _tidy(proposal.payload["after"])
    before = snapshot(account, list(FIELDS))
    for name, value in after.items():
        setattr(account, name, value)
    account.save(update_fields=list(FIELDS))
    record(
        approver,
        events.DEBTOR_ACCOUNT_CHANGED,
        account,
        changes=diff(before, snapshot(account, list(FIELDS))),
        region=str(account.region),
        proposed_by=proposal.proposed_by.get_username(),
    )
