"""Pages of the intake inventory: a participant's debts, assets (with the asset-limit check)
and duaal-traject facts, the forms that add them, and the page that records the amounts
again on a later day, at a measurement for instance."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.measurements.models import Measurement
from ontzorg.participants.models import Participant

from . import facts, services
from .forms import AssetForm, DebtForm, IntegrationForm, UpdateForm
from .models import Asset, Debt

AUDIT = "inventarisatie"


@dataclass(frozen=True)
class Row:
    """A debt or an asset with its history, oldest amount first."""

    item: object
    history: list

    @property
    def first(self):
        return self.history[0] if self.history else None

    @property
    def latest(self):
        return self.history[-1] if self.history else None


def _debts(participant) -> list[Row]:
    debts = Debt.objects.filter(participant=participant).prefetch_related("amounts__measurement")
    return [Row(d, sorted(d.amounts.all(), key=lambda a: (a.known_on, a.pk))) for d in debts]


def _assets(participant) -> list[Row]:
    assets = Asset.objects.filter(participant=participant).prefetch_related("values")
    return [Row(a, sorted(a.values.all(), key=lambda v: (v.valued_on, v.pk))) for a in assets]


def _page(request, participant, *, debt_form=None, asset_form=None, integration_form=None):
    user = request.user
    today = timezone.localdate()
    sees_assets = services.may_see_assets(user)
    debts = _debts(participant)
    start = facts.debt_cents_at_start([participant.pk]).get(participant.pk)
    now = facts.debt_cents_on([participant.pk], today).get(participant.pk)
    return render(
        request,
        "inventory/participant.html",
        {
            "participant": participant,
            "debts": debts,
            "debt_start_cents": start,
            "debt_now_cents": now,
            "sees_assets": sees_assets,
            "assets": _assets(participant) if sees_assets else [],
            "check": facts.asset_check(participant, today) if sees_assets else None,
            "integration": facts.integration_on([participant.pk], today).get(participant.pk),
            "integration_records": participant.integration_records.select_related(
                "recorded_by"
            ).order_by("-recorded_on", "-pk"),
            "may_update": services.may_record_debts(user) and bool(debts),
            "debt_form": (debt_form or DebtForm()) if services.may_record_debts(user) else None,
            "asset_form": (asset_form or AssetForm()) if services.may_record_assets(user) else None,
            "integration_form": (integration_form or IntegrationForm())
            if services.may_record_integration(user)
            else None,
        },
    )


@access.view(objects={"pk": Participant}, audit=AUDIT)
def participant_inventory(request, participant):
    return _page(request, participant)


def _save(request, participant, form, action, done: str, form_name: str):
    if form.is_valid():
        try:
            action(request.user, participant, **form.values())
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect("inventory:participant", pk=participant.pk)
    return _page(request, participant, **{form_name: form})


@access.view(
    methods=("POST",),
    rights=services.DEBT_RIGHTS,
    objects={"pk": Participant},
    audit=AUDIT,
)
def debt_add(request, participant):
    return _save(
        request,
        participant,
        DebtForm(request.POST),
        services.record_debt,
        _("The debt has been recorded."),
        "debt_form",
    )


@access.view(
    methods=("POST",),
    rights=services.ASSET_WRITE_RIGHTS,
    objects={"pk": Participant},
    audit=AUDIT,
)
def asset_add(request, participant):
    return _save(
        request,
        participant,
        AssetForm(request.POST),
        services.record_asset,
        _("The asset has been recorded."),
        "asset_form",
    )


@access.view(
    methods=("POST",),
    rights=services.INTEGRATION_RIGHTS,
    objects={"pk": Participant},
    audit=AUDIT,
)
def integration_add(request, participant):
    return _save(
        request,
        participant,
        IntegrationForm(request.POST),
        services.record_integration,
        _("The duaal-traject facts have been recorded."),
        "integration_form",
    )


def _measurement(participant, value: str) -> Measurement | None:
    """The participant's measurement named in the address (`?meting=`), if it is theirs."""
    if not value.isdigit():
        return None
    return participant.measurements.filter(pk=int(value)).first()


def _latest(rows: list[Row], prefix: str) -> dict[str, int]:
    return {f"{prefix}_{row.item.pk}": row.latest.amount_cents for row in rows if row.latest}


@access.view(
    methods=("GET", "POST"),
    rights=services.DEBT_RIGHTS,
    objects={"pk": Participant},
    audit=AUDIT,
)
def update(request, participant):
    """Record every debt's (and asset's) amount again on one day: at a measurement (then the
    day is the measurement's and the amounts are linked to it) or on any other day."""
    user = request.user
    measurement = _measurement(participant, request.GET.get("meting", ""))
    debts = _debts(participant)
    assets = _assets(participant) if services.may_record_assets(user) else []
    form = UpdateForm(
        request.POST or None,
        debts=[row.item for row in debts],
        assets=[row.item for row in assets],
        latest={**_latest(debts, "debt"), **_latest(assets, "asset")},
        measurement=measurement,
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services.update_amounts(
                user,
                participant,
                on=form.cleaned_data["on"],
                debts=form.debts(),
                assets=form.assets(),
                measurement=measurement,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                ngettext("%(count)s amount recorded.", "%(count)s amounts recorded.", added)
                % {"count": added},
            )
            return redirect("inventory:participant", pk=participant.pk)
    return render(
        request,
        "inventory/update.html",
        {
            "participant": participant,
            "form": form,
            "measurement": measurement,
            "debt_fields": [form[name] for name in form.debt_fields],
            "asset_fields": [form[name] for name in form.asset_fields],
        },
    )
