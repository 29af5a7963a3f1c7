"""Forms of the payment run screens."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from ontzorg.plans.constants import ShortfallChoice
from ontzorg.regelingen.models import Region

from .constants import PainVersion


class NewRunForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.none(), label="Regio", empty_label=None)
    month = forms.CharField(
        label="Maand",
        help_text="Bijvoorbeeld 2026-11.",
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    pain_version = forms.ChoiceField(
        label="Bestandsformaat", choices=PainVersion.choices, initial=PainVersion.V09
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_month(self) -> date:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in value.split("-")[:2])
            return date(year, month, 1)
        except (TypeError, ValueError):
            raise ValidationError("Geef de maand als jaar-maand, bijvoorbeeld 2026-11.") from None


class ShortfallForm(forms.Form):
    choice = forms.ChoiceField(
        label="Besluit", choices=ShortfallChoice.choices, widget=forms.RadioSelect
    )
    extra_euros = forms.DecimalField(
        label="Extra inkomen deze maand (euro)",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Alleen bij 'toeslagen of bijzondere bijstand meetellen'.",
    )
    reason = forms.CharField(
        label="Reden", widget=forms.Textarea(attrs={"rows": 2}), help_text="Verplicht."
    )

    @property
    def extra_cents(self) -> int:
        euros = self.cleaned_data.get("extra_euros") or 0
        return round(euros * 100)


class ExportForm(forms.Form):
    version = forms.ChoiceField(label="Bestandsformaat", choices=PainVersion.choices)


class BookForm(forms.Form):
    confirm = forms.BooleanField(
        label="Het betaalbestand is bij de bank aangeboden; boek deze run in het grootboek.",
        required=True,
    )
