"""Forms of the payment run screens."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from stdnum.nl.bsn import is_valid as is_bsn

from ontzorg.plans.constants import CreditorCategory, ShortfallChoice
from ontzorg.regelingen.models import Region

from .constants import InstructionKind, PainVersion
from .review import ORDER_CHOICES


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


class InstructionFilterForm(forms.Form):
    """Filters of the approver's list of a run's payments (GET; every field optional)."""

    q = forms.CharField(
        label="Zoeken",
        required=False,
        help_text="Naam van de begunstigde of de deelnemer, of een deel van het IBAN.",
    )
    kind = forms.ChoiceField(
        label="Soort", required=False, choices=[("", "Alle soorten"), *InstructionKind.choices]
    )
    category = forms.ChoiceField(
        label="Soort schuldeiser",
        required=False,
        choices=[("", "Alle schuldeisers"), *CreditorCategory.choices],
    )
    min_euros = forms.DecimalField(
        label="Bedrag vanaf (euro)", required=False, min_value=0, decimal_places=2
    )
    max_euros = forms.DecimalField(
        label="Bedrag tot en met (euro)", required=False, min_value=0, decimal_places=2
    )
    order = forms.ChoiceField(label="Sorteren op", required=False, choices=ORDER_CHOICES)
    changes = forms.BooleanField(label="Alleen wijzigingen sinds vorige maand", required=False)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if any(is_bsn(word) for word in text.split()):
            raise ValidationError(
                "Zoek hier op naam of IBAN. Op BSN zoekt u in de deelnemerslijst: een BSN hoort "
                "niet in een webadres."
            )
        return text

    @property
    def cleaned_search(self) -> str:
        """The search as applied (nothing when the form is invalid)."""
        return self.filters().get("search", "")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_euros"), data.get("max_euros")
        if low is not None and high is not None and high < low:
            raise ValidationError("Het bedrag 'tot en met' is lager dan het bedrag 'vanaf'.")
        return data

    @property
    def narrows(self) -> bool:
        """Whether the list shows less than every payment (sorting alone does not)."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return any(
            value not in (None, "", False)
            for key, value in self.filters().items()
            if key != "order"
        )

    def filters(self) -> dict:
        """The keyword arguments of `review.instructions`; empty when the form is invalid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "kind": data["kind"],
            "category": data["category"],
            "min_cents": None if data["min_euros"] is None else round(data["min_euros"] * 100),
            "max_cents": None if data["max_euros"] is None else round(data["max_euros"] * 100),
            "order": data["order"] or "deelnemer",
            "only_changes": data["changes"],
        }


class DebtorAccountForm(forms.Form):
    """A proposed new name, IBAN or BIC of the region's paying account."""

    name = forms.CharField(label="Naam rekeninghouder", max_length=70)
    iban = forms.CharField(label="IBAN", max_length=34)
    bic = forms.CharField(label="BIC", max_length=11)
