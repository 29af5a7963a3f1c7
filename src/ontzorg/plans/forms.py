"""Forms for the plan pages. Amounts are typed in euros and handed to services in cents."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ontzorg.core.money import euro
from ontzorg.regelingen.constants import CostCategory, Mode

from .constants import IncomeKind, PlanDecisionKind
from .models import Creditor, PlanLine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def euro_field(label, *, required=True, allow_zero=False, help_text=""):
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def cents(value) -> int:
    return int((value or Decimal("0")) * 100)


class ConfirmableForm(forms.Form):
    """A form that is shown again as a summary before the action is done.

    Fields in `on_confirm` (file uploads) are asked for on the confirmation page itself,
    because a file cannot travel along in a hidden field."""

    on_confirm: tuple[str, ...] = ()

    def summary(self) -> list[tuple[str, str]]:
        rows = []
        for name, field in self.fields.items():
            if name in self.on_confirm:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.DecimalField):
                value = euro(int((value * 100).to_integral_value()))
            elif hasattr(value, "strftime"):
                value = value.strftime("%d-%m-%Y")
            elif isinstance(value, bool):
                if not value:
                    continue
                value = _("ja")
            rows.append((field.label, str(value)))
        return rows


class CreatePlanForm(ConfirmableForm):
    start_on = forms.DateField(
        label=_("Start van het plan"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Ingevuld: de start volgens de regeling (start bijstand of huurcontract). "
            "U ziet de datum nog op de bevestigingspagina."
        ),
    )
    first_rent_gift = forms.BooleanField(
        label=_("Eerste huur als gift (bijzondere bijstand)"),
        required=False,
        help_text=_(
            "Alleen als het nodig is, bijvoorbeeld omdat de eerste uitkering later komt dan "
            "de eerste huur. De gift betaalt de huur van de eerste maand aan de verhuurder."
        ),
    )

    def __init__(self, *args, gift_allowed: bool = False, default_start_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The start is never filled in silently: the default is shown in the form and on
        # the confirmation page, and the service gets the date that was confirmed.
        self.default_start_on = default_start_on
        self.fields["start_on"].initial = default_start_on
        if not gift_allowed:
            del self.fields["first_rent_gift"]

    def clean_start_on(self):
        return self.cleaned_data.get("start_on") or self.default_start_on


class AddLineForm(ConfirmableForm):
    category = forms.ChoiceField(label=_("Kostensoort"))
    creditor = forms.ModelChoiceField(label=_("Schuldeiser"), queryset=Creditor.objects.none())
    reference = forms.CharField(
        label=_("Betalingskenmerk"), max_length=35, help_text=_("Klant- of contractnummer.")
    )
    amount = euro_field(_("Bedrag per maand (€)"))
    starts_on = forms.DateField(label=_("Vanaf"), widget=DateInput())
    day_of_month = forms.IntegerField(
        label=_("Betaaldag in de maand"), min_value=1, max_value=28, initial=1
    )
    supplier_discount = euro_field(
        _("Leverancierskorting per maand (€)"),
        required=False,
        allow_zero=True,
        help_text=_("Alleen bij een pakket met korting, zoals het Vaste Lasten Pakket."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        package = [item.category for item in plan.regeling.package_items.all()]
        self.fields["category"].choices = [
            (value, label) for value, label in CostCategory.choices if value in package
        ]
        self.fields["creditor"].queryset = Creditor.objects.for_region(plan.regeling.region)


class ChangeAmountForm(ConfirmableForm):
    amount = euro_field(_("Nieuw bedrag per maand (€)"))
    valid_from = forms.DateField(
        label=_("Geldt vanaf"),
        widget=DateInput(),
        help_text=_("Eerdere maanden houden hun bedrag."),
    )
    note = forms.CharField(
        label=_("Toelichting"), max_length=200, required=False, help_text=_("Bijv. huurverhoging.")
    )


class CloseLineForm(ConfirmableForm):
    on = forms.DateField(
        label=_("Niet meer betalen vanaf"),
        widget=DateInput(),
        help_text=_("Vanaf deze datum betaalt de deelnemer deze post zelf."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=200, required=False)


class MachtigingForm(ConfirmableForm):
    on_confirm = ("document",)

    creditor = forms.ModelChoiceField(label=_("Schuldeiser"), queryset=Creditor.objects.none())
    line = forms.ModelChoiceField(
        label=_("Alleen voor deze vaste last"),
        queryset=PlanLine.objects.none(),
        required=False,
        help_text=_("Leeg: de machtiging geldt voor alle posten bij deze schuldeiser."),
    )
    signed_on = forms.DateField(label=_("Getekend op"), widget=DateInput())
    document = forms.FileField(label=_("Scan van de machtiging (optioneel)"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        lines = plan.lines.current().select_related("creditor") if plan else PlanLine.objects.none()
        self.fields["line"].queryset = lines
        creditor_ids = {line.creditor_id for line in lines}
        self.fields["creditor"].queryset = Creditor.objects.filter(pk__in=creditor_ids)

    def clean(self):
        data = super().clean()
        line, creditor = data.get("line"), data.get("creditor")
        if line and creditor and line.creditor_id != creditor.pk:
            self.add_error("line", _("Deze vaste last hoort bij een andere schuldeiser."))
        return data


class IncomeForm(ConfirmableForm):
    kind = forms.ChoiceField(label=_("Soort inkomen"), choices=IncomeKind.choices)
    amount = euro_field(_("Bedrag per maand (€)"))
    valid_from = forms.DateField(label=_("Vanaf"), widget=DateInput())
    valid_to = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)


class OutflowForm(ConfirmableForm):
    on = forms.DateField(label=_("Bijstand stopt per"), widget=DateInput())
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))
    wages = euro_field(
        _("Netto loon per maand (€)"),
        required=False,
        help_text=_("Bij budgetbeheer dat doorloopt op inkomen uit werk."),
    )


class EndOrExtendForm(ConfirmableForm):
    decision = forms.ChoiceField(
        label=_("Besluit"), choices=PlanDecisionKind.choices, widget=forms.RadioSelect
    )
    new_end_on = forms.DateField(
        label=_("Einddatum (laatste dag)"),
        widget=DateInput(),
        required=False,
        help_text=_("Bij verlengen verplicht; bij beëindigen leeg voor de geplande einddatum."),
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))


class RemoveLineForm(ConfirmableForm):
    reason = forms.CharField(
        label=_("Waarom verwijderen?"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: per ongeluk twee keer ingevoerd. Minstens tien tekens."),
    )


class ModeDecisionForm(ConfirmableForm):
    mode = forms.ChoiceField(
        label=_("Vorm van ontzorgen"), choices=Mode.choices, widget=forms.RadioSelect
    )
    continues_on_wages = forms.TypedChoiceField(
        label=_("Gaat door als de deelnemer gaat werken?"),
        choices=[
            ("0", _("Nee: de inhouding stopt als de bijstand stopt door werk")),
            ("1", _("Ja: het budgetbeheer gaat door op het inkomen uit werk")),
        ],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
        help_text=_("Alleen bij volledig budgetbeheer."),
    )
    from_on = forms.DateField(
        label=_("Vanaf"),
        widget=DateInput(),
        help_text=_("De eerste dag van een maand waarvoor nog geen betaalrun is gemaakt."),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom deze deelnemer een andere vorm krijgt. Minstens tien tekens."),
    )

    def clean(self):
        data = super().clean()
        if data.get("continues_on_wages") and data.get("mode") != Mode.BUDGETBEHEER:
            self.add_error(
                "continues_on_wages",
                _("Doorgaan op inkomen uit werk kan alleen bij volledig budgetbeheer."),
            )
        return data

    def summary(self):
        field = self.fields["continues_on_wages"]
        answer = dict(field.choices)["1" if self.cleaned_data.get("continues_on_wages") else "0"]
        return [
            (label, str(answer) if label == field.label else value)
            for label, value in super().summary()
        ]
