"""Where a payee's money goes: the account holder's name, IBAN and BIC of a participant (for
leefgeld) or a creditor, changed only by four eyes.

`propose_change` records the change as a proposal (``approvals.proposals``, kind
``payee.change``); nothing changes until a colleague approves it, and then `_apply` carries
it out in the approving transaction, provided the data are still the ones the proposal was
made against. The name is the one the bank knows, in the SEPA Latin set; the participant's
own name (in their own script) stays on the participant for letters.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.approvals import proposals
from ontzorg.audit import services as audit
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.models import Participant
from ontzorg.participants.validators import normalise_iban
from ontzorg.payments import sepa
from ontzorg.regelingen.models import Region

from . import events
from .models import Creditor

CHANGE = "payee.change"
RIGHT = "prepares_payments"
PARTICIPANT = "participant"
CREDITOR = "creditor"
# What a proposal may change, per kind of payee (a participant's bank needs no BIC).
FIELDS = {
    PARTICIPANT: ("account_holder_name", "iban"),
    CREDITOR: ("account_holder_name", "iban", "bic"),
}
LABELS = {
    "account_holder_name": gettext_lazy("account holder name"),
    "iban": gettext_lazy("IBAN"),
    "bic": gettext_lazy("BIC"),
}


def kind_of(payee) -> str:
    if isinstance(payee, Participant):
        return PARTICIPANT
    if isinstance(payee, Creditor):
        return CREDITOR
    raise TypeError(f"not a payee: {payee!r}")


def account_of(payee) -> dict[str, str]:
    """What a payment to `payee` carries besides the amount, as stored."""
    return {name: getattr(payee, name) for name in FIELDS[kind_of(payee)]}


def visible_payee(user, payee):
    """`payee` fresh from the database if `user` looks after its account; refused if not."""
    if kind_of(payee) == PARTICIPANT:
        return access.visible(user, payee)
    found = Creditor.objects.in_scope_of(user).filter(pk=payee.pk).first()
    if found is None:
        raise PermissionDenied(_("This is outside your scope."))
    return found


def tidy(payee, account: dict) -> dict[str, str]:
    """`account` as it is stored for `payee`: IBAN and BIC compact in capitals, accents in the
    name written as the bank does (é -> e); another script stays as typed, to be refused."""
    name = " ".join(str(account.get("account_holder_name", "")).split())
    tidied = {
        "account_holder_name": sepa.latin_form(name) or name,
        "iban": normalise_iban(account.get("iban", "")),
        "bic": "".join(str(account.get("bic", "")).split()).upper(),
    }
    return {name: tidied[name] for name in FIELDS[kind_of(payee)]}


def problems(payee, account: dict) -> dict[str, list[str]]:
    """Per field what keeps `account` from being paid (Dutch); empty when it can be. The
    model fields' own validators decide, so the register and the proposal agree."""
    required = {
        "account_holder_name": _("Fill in the account holder's name."),
        "iban": _("Fill in the IBAN."),
    }
    found = {}
    for name in FIELDS[kind_of(payee)]:
        value = account.get(name, "")
        if not value:
            if name in required:
                found[name] = [required[name]]
            continue
        try:
            type(payee)._meta.get_field(name).clean(value, payee)
        except ValidationError as error:
            found[name] = list(error.messages)
    return found


def region_for(user, payee) -> Region:
    """The region whose four eyes decide: the participant's, the creditor's own, or for a
    creditor working everywhere the user's region (else the first region that pays it)."""
    if kind_of(payee) == PARTICIPANT:
        return payee.regeling.region
    if payee.region_id:
        return payee.region
    regions = access.region_ids(user)
    paying = Region.objects.filter(regelingen__plans__lines__creditor=payee)
    if regions is not None:
        paying = paying.filter(pk__in=regions)
    region = paying.order_by("pk").first()
    if region is None and regions:
        region = Region.objects.filter(pk__in=regions).order_by("pk").first()
    if region is None:
        raise Refused(_("This creditor belongs to no region; choose a region first."))
    return region


def pending_for(payee):
    """The change of `payee`'s account that waits for approval (at most one)."""
    return proposals.pending(kind=CHANGE, target=payee)


def describe(payee, before: dict, after: dict) -> str:
    changed = [
        f"{LABELS[name]} {before[name] or '—'} → {after[name] or '—'}"
        for name in after
        if before[name] != after[name]
    ]
    return _("Account details of %(payee)s: %(changes)s") % {
        "payee": payee,
        "changes": "; ".join(changed),
    }


def _refuse(found: dict[str, list[str]]) -> None:
    if found:
        raise Refused(" ".join(message for messages in found.values() for message in messages))


def propose_change(user, payee, account: dict):
    """Propose new account data for `payee` (``account_holder_name``, ``iban`` and, for a
    creditor, ``bic``); a colleague who approves payments decides. Refused when the data
    cannot be paid, nothing changes, or a change of this payee already waits."""
    access.require(user, RIGHT)
    with transaction.atomic():
        payee = visible_payee(user, payee)
        account = tidy(payee, account)
        _refuse(problems(payee, account))
        before = account_of(payee)
        if before == account:
            raise Refused(_("Nothing has changed."))
        return proposals.propose(
            user,
            CHANGE,
            region=region_for(user, payee),
            payload={"payee": kind_of(payee), "id": payee.pk, "before": before, "after": account},
            summary=describe(payee, before, account),
            participant=payee if kind_of(payee) == PARTICIPANT else None,
            target=payee,
            right=RIGHT,
            one_at_a_time=True,
        )


def _details(proposal) -> list[tuple[str, str]]:
    payload = proposal.payload
    who = _("participant") if payload["payee"] == PARTICIPANT else _("creditor")
    rows = [(_("Payee"), who)]
    for name, new in payload["after"].items():
        old = payload["before"].get(name, "")
        shown = (new or "—") if old == new else f"{old or '—'} → {new or '—'}"
        rows.append((LABELS[name], shown))
    return rows


@proposals.action(
    CHANGE,
    label=gettext_lazy("Change of payee account details"),
    details=_details,
    changes_payee=True,
)
def _apply(proposal, approver):
    """Carry out an approved change, if the data are still those it was proposed against."""
    payload = proposal.payload
    model = Participant if payload["payee"] == PARTICIPANT else Creditor
    payee = model.objects.select_for_update().get(pk=payload["id"])
    if account_of(payee) != payload["before"]:
        raise Refused(
            _(
                "The account details have changed since this proposal was made. Reject "
                "it; a new proposal can be made."
            )
        )
    after = tidy(payee, payload["after"])
    _refuse(problems(payee, after))
    fields = list(after)
    before = audit.snapshot(payee, fields)
    for name, value in after.items():
        setattr(payee, name, value)
    if model is Creditor and (
        Creditor.objects.filter(name=payee.name, iban=payee.iban).exclude(pk=payee.pk).exists()
    ):
        raise Refused(
            _(
                "A creditor with this name and this IBAN is already in the register. "
                "Reject the proposal and use that creditor."
            )
        )
    payee.save(update_fields=fields)
    audit.record(
        approver,
        events.PAYEE_CHANGED,
        payee,
        participant=payee if model is Participant else None,
        changes=audit.diff(before, audit.snapshot(payee, fields)),
        payee=str(payee),
        proposed_by=str(proposal.proposed_by),
    )
