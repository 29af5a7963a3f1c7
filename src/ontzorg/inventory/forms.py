"""Forms of the inventory pages. Amounts are typed in euros and handed on in cents
(`core.money.to_cents`); the services check every rule again, so a forged POST gains nothing."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.core.money import to_cents

from . import services
from .constants import AssetKind, DebtKind, IntegrationRoute, LanguageLevel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _euros(label, **kwargs):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": _("An amount cannot be negative.")},
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def _not_future(day):
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("A date in the future cannot be recorded."))
    return day


class DebtForm(forms.Form):
    kind = forms.ChoiceField(label=_("Creditor type"), choices=DebtKind.choices)
    creditor_name = forms.CharField(
        label=_("Creditor name"),
        required=False,
        max_length=120,
        help_text=_("For example the municipality, COA or the energy supplier."),
    )
    amount_euros = _euros(_("Amount of the debt in euros"))
    known_on = forms.DateField(label=_("Known on"), widget=DateInput)
    note = forms.CharField(label=_("Note on the debt"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        # Three forms share one page: ids of their own, the field names stay.
        kwargs.setdefault("auto_id", "schuld_%s")
        super().__init__(*args, **kwargs)
        self.fields["known_on"].initial = timezone.localdate()

    def clean_known_on(self):
        return _not_future(self.cleaned_data["known_on"])

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "creditor_name": data["creditor_name"],
            "amount_cents": to_cents(data["amount_euros"]),
            "known_on": data["known_on"],
            "note": data["note"],
        }


class AssetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of asset"), choices=AssetKind.choices)
    description = forms.CharField(
        label=_("Description of the asset"), required=False, max_length=200
    )
    amount_euros = _euros(_("Value in euros"))
    valued_on = forms.DateField(label=_("Value on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        # Three forms share one page: ids of their own, the field names stay.
        kwargs.setdefault("auto_id", "vermogen_%s")
        super().__init__(*args, **kwargs)
        self.fields["valued_on"].initial = timezone.localdate()

    def clean_valued_on(self):
        return _not_future(self.cleaned_data["valued_on"])

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "description": data["description"],
            "amount_cents": to_cents(data["amount_euros"]),
            "valued_on": data["valued_on"],
        }


class IntegrationForm(forms.Form):
    recorded_on = forms.DateField(label=_("As of"), widget=DateInput)
    route = forms.ChoiceField(
        label=_("Inburgering route"),
        choices=[("", _("(unchanged)")), *IntegrationRoute.choices],
        required=False,
    )
    pip_on = forms.DateField(label=_("PIP date"), widget=DateInput, required=False)
    language_level = forms.ChoiceField(
        label=_("Language level"),
        choices=[("", _("(unchanged)")), *LanguageLevel.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        # Three forms share one page: ids of their own, the field names stay.
        kwargs.setdefault("auto_id", "traject_%s")
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()

    def clean_recorded_on(self):
        return _not_future(self.cleaned_data["recorded_on"])

    def clean_pip_on(self):
        day = self.cleaned_data["pip_on"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The PIP date cannot be in the future."))
        if day is not None and day < services.PIP_SINCE:
            raise forms.ValidationError(_("A PIP exists since 1 January 2022."))
        return day

    def clean(self):
        data = super().clean()
        empty = not (data.get("route") or data.get("pip_on") or data.get("language_level"))
        if empty and not self.errors:
            raise forms.ValidationError(_("Fill in the route, the PIP date or the language level."))
        return data

    def values(self) -> dict:
        return dict(self.cleaned_data)


class UpdateForm(forms.Form):
    """The current amount of every debt (and asset) on one day, prefilled with the latest."""

    on = forms.DateField(label=_("Amounts as of"), widget=DateInput)

    def __init__(self, *args, debts, assets=(), latest=None, measurement=None, **kwargs):
        super().__init__(*args, **kwargs)
        latest = latest or {}
        self.measurement = measurement
        self.fields["on"].initial = measurement.measured_on if measurement else timezone.localdate()
        if measurement is not None:
            self.fields["on"].disabled = True
        self.debt_fields, self.asset_fields = [], []
        groups = (("debt", debts, self.debt_fields), ("asset", assets, self.asset_fields))
        for prefix, items, names in groups:
            for item in items:
                name = f"{prefix}_{item.pk}"
                known = latest.get(name)
                initial = Decimal(known).scaleb(-2) if known is not None else None
                self.fields[name] = _euros(str(item), initial=initial, required=False)
                names.append(name)

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])

    def _amounts(self, names) -> dict[int, int]:
        return {
            int(name.split("_")[1]): to_cents(self.cleaned_data[name])
            for name in names
            if self.cleaned_data.get(name) is not None
        }

    def debts(self) -> dict[int, int]:
        return self._amounts(self.debt_fields)

    def assets(self) -> dict[int, int]:
        return self._amounts(self.asset_fields)
