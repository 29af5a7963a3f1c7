"""Forms of the trajectory pages. Amounts are typed in euros and handed on in cents; the
services check the business rules, the forms only the shape of the input."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from ontzorg.plans.forms import DateInput
from ontzorg.plans.models import PlanLine

from .constants import Outcome, OutflowKind


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label="Datum van het gesprek", widget=DateInput())
    participant_view = forms.CharField(
        label="Wat zegt de deelnemer?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hoe gaat het met geld, post en rekeningen, in de woorden van de deelnemer.",
    )
    coach_view = forms.CharField(
        label="Wat zegt de coach?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    case_worker_view = forms.CharField(
        label="Wat zegt de klantmanager?", widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(label="Besluit", choices=Outcome.choices, widget=forms.RadioSelect)
    new_end_on = forms.DateField(
        label="Nieuwe einddatum",
        required=False,
        widget=DateInput(),
        help_text="Bij verlengen: de nieuwe laatste dag. Bij eerder stoppen: de laatste dag. "
        "Bij beëindigen of overstap leeg laten voor de geplande einddatum.",
    )
    reason = forms.CharField(
        label="Reden van het besluit",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bij eerder stoppen op verzoek: de maatwerkreden.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class HandBackForm(forms.Form):
    line = forms.ModelChoiceField(
        label="Welke vaste last betaalt de deelnemer voortaan zelf?",
        queryset=PlanLine.objects.none(),
        help_text="De deelnemer kiest zelf de volgorde.",
    )
    from_on = forms.DateField(
        label="Zelf betalen vanaf",
        widget=DateInput(),
        help_text="Vanaf deze dag betaalt de gemeente deze last niet meer.",
    )
    note = forms.CharField(label="Toelichting", max_length=200, required=False)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines if lines is not None else PlanLine.objects.none()
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.get_category_display()} · {line.creditor}"
        )


class AllowanceForm(forms.Form):
    from_on = forms.DateField(
        label="Maandgeld vanaf",
        widget=DateInput(),
        help_text="De eerste dag van een komende maand.",
    )


class OutflowForm(forms.Form):
    starts_on = forms.DateField(label="Aan het werk vanaf", widget=DateInput())
    employer = forms.CharField(label="Werkgever", max_length=160)
    kind = forms.ChoiceField(label="Soort werk", choices=OutflowKind.choices)
    hours_per_week = forms.IntegerField(
        label="Uren per week", min_value=1, max_value=80, required=False
    )
    wages = forms.DecimalField(
        label="Netto loon per maand (euro)",
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def wages_cents(self) -> int | None:
        wages = self.cleaned_data.get("wages")
        return int(wages * 100) if wages else None


class ReopenForm(forms.Form):
    start_on = forms.DateField(
        label="Nieuw plan vanaf", widget=DateInput(), help_text="Na het einde van het vorige plan."
    )
    reason = forms.CharField(
        label="Waarom opnieuw ontzorgen?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()
