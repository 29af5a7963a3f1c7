"""Forms of the trajectory pages. Amounts are typed in euros and handed on in cents; the
services check the business rules, the forms only the shape of the input."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.plans.forms import DateInput
from ontzorg.plans.models import PlanLine

from .constants import Outcome, OutflowKind


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    participant_view = forms.CharField(
        label=_("What does the participant say?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it is going with money, mail and bills, in the participant's own words."),
    )
    coach_view = forms.CharField(
        label=_("What does the coach say?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    case_worker_view = forms.CharField(
        label=_("What does the case worker say?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    new_end_on = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "When extending: the new last day. When stopping early: the last day. "
            "When ending or switching, leave empty for the planned end date."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When stopping early on request: the reason for the tailored decision."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class HandBackForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("Which fixed cost will the participant pay themselves from now on?"),
        queryset=PlanLine.objects.none(),
        help_text=_("The participant chooses the order."),
    )
    from_on = forms.DateField(
        label=_("Pays themselves from"),
        widget=DateInput(),
        help_text=_("From this day the municipality no longer pays this cost."),
    )
    note = forms.CharField(label=_("Explanation"), max_length=200, required=False)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines if lines is not None else PlanLine.objects.none()
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.get_category_display()} · {line.creditor}"
        )


class AllowanceForm(forms.Form):
    from_on = forms.DateField(
        label=_("Monthly allowance from"),
        widget=DateInput(),
        help_text=_("The first day of a coming month."),
    )


class OutflowForm(forms.Form):
    starts_on = forms.DateField(label=_("Working from"), widget=DateInput())
    employer = forms.CharField(label=_("Employer"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind of work"), choices=OutflowKind.choices)
    hours_per_week = forms.IntegerField(
        label=_("Hours per week"), min_value=1, max_value=80, required=False
    )
    wages = forms.DecimalField(
        label=_("Net wages per month (euros)"),
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
        label=_("New plan from"),
        widget=DateInput(),
        help_text=_("After the end of the previous plan."),
    )
    reason = forms.CharField(
        label=_("Why ontzorgen again?"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()


class HandoverCheckForm(forms.Form):
    """One handover check: choose which (cost and moment) and what was found."""

    check = forms.ChoiceField(label=_("Which check"))
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    contract_in_own_name = forms.BooleanField(
        label=_("The contract is in the participant's own name"), required=False
    )
    contract_since_on = forms.DateField(
        label=_("Contract in own name since"), widget=DateInput(), required=False
    )
    direct_debit_running = forms.BooleanField(
        label=_("The participant's direct debit is running"), required=False
    )
    direct_debit_since_on = forms.DateField(
        label=_("Direct debit running since"), widget=DateInput(), required=False
    )
    note = forms.CharField(label=_("Explanation of the check"), max_length=300, required=False)

    def __init__(self, *args, due=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = [
            (d.key, str(d)) for d in due if d.check is None or not d.check.passed
        ]
        self.fields["checked_on"].initial = timezone.localdate()
