"""Forms for the plan pages. Amounts are typed in euros and handed to services in cents."""

from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ontzorg.core.confirm import ConfirmableForm
from ontzorg.core.dates import next_month
from ontzorg.core.money import to_cents
from ontzorg.payments import sepa
from ontzorg.regelingen.constants import CostCategory, Mode

from . import payees, plausibility
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


class AmountCheckMixin:
    """An amount above the category's ceiling is an error on the amount; one in the warning
    band shows a tick box that must be ticked (the service checks the same, ``plausibility``)."""

    def _confirm_field(self):
        return forms.BooleanField(required=False, widget=forms.HiddenInput)

    def check_amount(self, regeling, category):
        amount = self.cleaned_data.get("amount")
        if amount is None or not category:
            return
        refusal = plausibility.amount_refusal(regeling, category, to_cents(amount))
        if refusal:
            self.add_error("amount", refusal)
            return
        warning = plausibility.amount_warning(regeling, category, to_cents(amount))
        if warning:
            field = self.fields["confirm_high_amount"]
            field.widget = forms.CheckboxInput()
            field.label = _("Ik heb het bedrag gecontroleerd: het klopt")
            # The bound field was made while cleaning, with the label it had then.
            self["confirm_high_amount"].label = field.label
            if not self.cleaned_data.get("confirm_high_amount"):
                self.add_error("confirm_high_amount", warning)


class AddLineForm(AmountCheckMixin, ConfirmableForm):
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
        self.plan = plan
        package = [item.category for item in plan.regeling.package_items.all()]
        self.fields["category"].choices = [
            (value, label) for value, label in CostCategory.choices if value in package
        ]
        self.fields["creditor"].queryset = Creditor.objects.for_region(plan.regeling.region)
        self.fields["confirm_high_amount"] = self._confirm_field()

    def clean(self):
        data = super().clean()
        self.check_amount(self.plan.regeling, data.get("category"))
        return data


class ChangeAmountForm(AmountCheckMixin, ConfirmableForm):
    amount = euro_field(_("Nieuw bedrag per maand (€)"))
    valid_from = forms.DateField(
        label=_("Geldt vanaf"),
        widget=DateInput(),
        help_text=_("Eerdere maanden houden hun bedrag."),
    )
    note = forms.CharField(
        label=_("Toelichting"), max_length=200, required=False, help_text=_("Bijv. huurverhoging.")
    )

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["confirm_high_amount"] = self._confirm_field()

    def clean(self):
        data = super().clean()
        self.check_amount(self.line.plan.regeling, self.line.category)
        return data


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


class PayeeForm(forms.Form):
    """New account data of a payee, checked as the proposal will be (``plans.payees``)."""

    account_holder_name = forms.CharField(
        label=_("Naam rekeninghouder"),
        max_length=140,
        help_text=_(
            "Zoals de bank de naam kent, in Latijnse letters: a-z A-Z 0-9 / - ? : ( ) . , ' + "
            "en spatie. Accenten worden weggelaten."
        ),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=15,
        required=False,
        help_text=_("Alleen bij een buitenlandse bank."),
    )

    def __init__(self, *args, payee, **kwargs):
        super().__init__(*args, **kwargs)
        self.payee = payee
        if payees.kind_of(payee) == payees.PARTICIPANT:
            del self.fields["bic"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        account = payees.tidy(self.payee, data)
        for name, messages in payees.problems(self.payee, account).items():
            for message in messages:
                if name == "account_holder_name":
                    suggestion = sepa.suggest_name(account[name])
                    if suggestion and suggestion != account[name]:
                        message = _("%(problem)s Voorstel: %(suggestion)s.") % {
                            "problem": message,
                            "suggestion": suggestion,
                        }
                self.add_error(name, message)
        return account


# --- savings pots and one-off payments ----------------------------------------------------------


def month_choices(first) -> list[tuple[str, str]]:
    """The month a payment is made in: the first month whose run may still take it, and
    the five after it."""
    months, period = [], first
    for _i in range(6):
        months.append((period.isoformat(), date_format(period, "F Y")))
        period = next_month(period)
    return months


class MonthField(forms.ChoiceField):
    """A month from `month_choices`; the cleaned value is its first day as ISO text (so the
    confirmation page shows the month's name), read with ``date.fromisoformat``."""


class PotForm(ConfirmableForm):
    name = forms.CharField(
        label=_("Naam van de spaarpot"),
        max_length=60,
        help_text=_("Bijvoorbeeld: Buffer, Wasmachine, Jaarafrekening energie."),
    )
    goal = euro_field(
        _("Spaardoel (€)"),
        required=False,
        help_text=_("Het bedrag waarvoor gespaard wordt. Leeg als er geen doel is."),
    )
    monthly = euro_field(_("Per maand opzij zetten (€)"))
    starts_on = forms.DateField(
        label=_("Vanaf"),
        widget=DateInput(),
        help_text=_("In een maand waarvoor nog geen betaalrun is gemaakt."),
    )
    ends_on = forms.DateField(
        label=_("Tot en met"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg: tot de spaarpot wordt opgeheven of het plan eindigt."),
    )


class _PaymentForm(ConfirmableForm):
    """Amount, month and payee of a payment out of money held for the participant."""

    amount = euro_field(_("Bedrag (€)"))
    period = MonthField(label=_("Betalen in de betaalrun van"))
    creditor = forms.ModelChoiceField(
        label=_("Aan"),
        queryset=Creditor.objects.none(),
        required=False,
        empty_label=_("de deelnemer zelf (eigen rekening)"),
    )
    reference = forms.CharField(
        label=_("Betalingskenmerk"),
        max_length=35,
        required=False,
        help_text=_("Verplicht bij een schuldeiser: het factuur- of klantnummer."),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarvoor is de betaling? Minstens tien tekens."),
    )

    def __init__(self, *args, region, first_month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = Creditor.objects.for_region(region)
        self.fields["period"].choices = month_choices(first_month)

    def clean(self):
        data = super().clean()
        if data.get("creditor") and not (data.get("reference") or "").strip():
            self.add_error("reference", _("Vul het betalingskenmerk in."))
        return data


class PotPayoutForm(_PaymentForm):
    pass


class EndPotForm(ConfirmableForm):
    period = MonthField(
        label=_("Opheffen per"),
        help_text=_(
            "Vanaf deze maand wordt er niet meer gespaard; het restant gaat in de betaalrun "
            "van deze maand naar de deelnemer."
        ),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Minstens tien tekens."),
    )

    def __init__(self, *args, first_month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = month_choices(first_month)


class OneOffForm(_PaymentForm):
    advance_reason = forms.CharField(
        label=_("Reden voor een voorschot"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Alleen nodig als het bedrag hoger is dan het eigen geld van de deelnemer; het "
            "verschil is dan een voorschot. Minstens tien tekens."
        ),
    )
