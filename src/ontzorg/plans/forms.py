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
        label=_("Start of the plan"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Filled in: the start according to the regeling (start of bijstand or "
            "of the tenancy). You will see the date again on the confirmation page."
        ),
    )
    first_rent_gift = forms.BooleanField(
        label=_("First rent as a gift (special assistance)"),
        required=False,
        help_text=_(
            "Only if needed, for example because the first benefit comes later "
            "than the first rent. The gift pays the first month's rent to the "
            "landlord."
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
            field.label = _("I have checked the amount: it is correct")
            # The bound field was made while cleaning, with the label it had then.
            self["confirm_high_amount"].label = field.label
            if not self.cleaned_data.get("confirm_high_amount"):
                self.add_error("confirm_high_amount", warning)


class AddLineForm(AmountCheckMixin, ConfirmableForm):
    category = forms.ChoiceField(label=_("Cost category"))
    creditor = forms.ModelChoiceField(label=_("Creditor"), queryset=Creditor.objects.none())
    reference = forms.CharField(
        label=_("Payment reference"), max_length=35, help_text=_("Customer or contract number.")
    )
    amount = euro_field(_("Amount per month (€)"))
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    day_of_month = forms.IntegerField(
        label=_("Payment day of the month"), min_value=1, max_value=28, initial=1
    )
    supplier_discount = euro_field(
        _("Supplier discount per month (€)"),
        required=False,
        allow_zero=True,
        help_text=_("Only for a package with a discount, such as the Vaste Lasten Pakket."),
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
    amount = euro_field(_("New amount per month (€)"))
    valid_from = forms.DateField(
        label=_("Applies from"),
        widget=DateInput(),
        help_text=_("Earlier months keep their amount."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("E.g. a rent increase.")
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
        label=_("Stop paying from"),
        widget=DateInput(),
        help_text=_("From this date the participant pays this item themselves."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MachtigingForm(ConfirmableForm):
    on_confirm = ("document",)

    creditor = forms.ModelChoiceField(label=_("Creditor"), queryset=Creditor.objects.none())
    line = forms.ModelChoiceField(
        label=_("Only for this fixed cost"),
        queryset=PlanLine.objects.none(),
        required=False,
        help_text=_("Empty: the machtiging applies to all items of this creditor."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    document = forms.FileField(label=_("Scan of the machtiging (optional)"), required=False)

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
            self.add_error("line", _("This fixed cost belongs to another creditor."))
        return data


class IncomeForm(ConfirmableForm):
    kind = forms.ChoiceField(label=_("Kind of income"), choices=IncomeKind.choices)
    amount = euro_field(_("Amount per month (€)"))
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(label=_("Until"), widget=DateInput(), required=False)


class OutflowForm(ConfirmableForm):
    on = forms.DateField(label=_("Bijstand stops on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    wages = euro_field(
        _("Net wages per month (€)"),
        required=False,
        help_text=_("For budgetbeheer that continues on income from work."),
    )


class EndOrExtendForm(ConfirmableForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=PlanDecisionKind.choices, widget=forms.RadioSelect
    )
    new_end_on = forms.DateField(
        label=_("End date (last day)"),
        widget=DateInput(),
        required=False,
        help_text=_("Required when extending; when ending, empty for the planned end date."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RemoveLineForm(ConfirmableForm):
    reason = forms.CharField(
        label=_("Why remove it?"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: entered twice by mistake. At least ten characters."),
    )


class ModeDecisionForm(ConfirmableForm):
    mode = forms.ChoiceField(
        label=_("Mode of ontzorgen"), choices=Mode.choices, widget=forms.RadioSelect
    )
    continues_on_wages = forms.TypedChoiceField(
        label=_("Continues when the participant starts working?"),
        choices=[
            ("0", _("No: withholding stops when bijstand stops because of work")),
            ("1", _("Yes: budgetbeheer continues on the income from work")),
        ],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
        help_text=_("Only with full budgetbeheer."),
    )
    from_on = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("The first day of a month for which no payment run has been made yet."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this participant gets another mode. At least ten characters."),
    )

    def clean(self):
        data = super().clean()
        if data.get("continues_on_wages") and data.get("mode") != Mode.BUDGETBEHEER:
            self.add_error(
                "continues_on_wages",
                _("Continuing on income from work is only possible with full budgetbeheer."),
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
        label=_("Account holder name"),
        max_length=140,
        help_text=_(
            "As the bank knows the name, in Latin letters: a-z A-Z 0-9 / - ? : ( ) "
            ". , ' + and space. Accents are left out."
        ),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=15,
        required=False,
        help_text=_("Only for a foreign bank."),
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
                        message = _("%(problem)s Suggestion: %(suggestion)s.") % {
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
        label=_("Name of the savings pot"),
        max_length=60,
        help_text=_("For example: Buffer, Washing machine, Annual energy bill."),
    )
    goal = euro_field(
        _("Savings goal (€)"),
        required=False,
        help_text=_("The amount being saved for. Empty if there is no goal."),
    )
    monthly = euro_field(_("Set aside per month (€)"))
    starts_on = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("In a month for which no payment run has been made yet."),
    )
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: until the savings pot is closed or the plan ends."),
    )


class _PaymentForm(ConfirmableForm):
    """Amount, month and payee of a payment out of money held for the participant."""

    amount = euro_field(_("Amount (€)"))
    period = MonthField(label=_("Pay in the payment run of"))
    creditor = forms.ModelChoiceField(
        label=_("To"),
        queryset=Creditor.objects.none(),
        required=False,
        empty_label=_("the participant themselves (own account)"),
    )
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=35,
        required=False,
        help_text=_("Required for a creditor: the invoice or customer number."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is the payment for? At least ten characters."),
    )

    def __init__(self, *args, region, first_month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = Creditor.objects.for_region(region)
        self.fields["period"].choices = month_choices(first_month)

    def clean(self):
        data = super().clean()
        if data.get("creditor") and not (data.get("reference") or "").strip():
            self.add_error("reference", _("Fill in the payment reference."))
        return data


class PotPayoutForm(_PaymentForm):
    pass


class EndPotForm(ConfirmableForm):
    period = MonthField(
        label=_("Close on"),
        help_text=_(
            "From this month on nothing more is saved; the remainder goes to the "
            "participant in this month's payment run."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least ten characters."),
    )

    def __init__(self, *args, first_month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = month_choices(first_month)


class OneOffForm(_PaymentForm):
    advance_reason = forms.CharField(
        label=_("Reason for an advance"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Only needed if the amount is higher than the participant's own money; "
            "the difference is then an advance. At least ten characters."
        ),
    )


class BridgingForm(_PaymentForm):
    """A bridging payment while the first payment is awaited (``payouts.propose_bridging``)."""


class KeysReceivedForm(ConfirmableForm):
    received_on = forms.DateField(
        label=_("Keys received on"),
        widget=DateInput(),
        help_text=_("The day of the key handover of the home."),
    )
