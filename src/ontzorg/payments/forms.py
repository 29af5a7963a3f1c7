"""Forms of the payment run screens."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.nl.bsn import is_valid as is_bsn

from ontzorg.plans.constants import CreditorCategory, ShortfallChoice
from ontzorg.regelingen.models import Region

from .constants import InstructionKind, PainVersion
from .review import ORDER_CHOICES


class NewRunForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.none(), label=_("Region"), empty_label=None)
    month = forms.CharField(
        label=_("Month"),
        help_text=_("For example 2026-11."),
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    pain_version = forms.ChoiceField(
        label=_("File format"), choices=PainVersion.choices, initial=PainVersion.V09
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
            raise ValidationError(_("Give the month as year-month, for example 2026-11.")) from None


class ShortfallForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Decision"), choices=ShortfallChoice.choices, widget=forms.RadioSelect
    )
    extra_euros = forms.DecimalField(
        label=_("Extra income this month (euro)"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text=_("Only with 'count allowances or special assistance'."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required.")
    )

    @property
    def extra_cents(self) -> int:
        euros = self.cleaned_data.get("extra_euros") or 0
        return round(euros * 100)


class ExportForm(forms.Form):
    version = forms.ChoiceField(label=_("File format"), choices=PainVersion.choices)


class BookForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The payment file has been submitted to the bank; book this run in the ledger."),
        required=True,
    )


class InstructionFilterForm(forms.Form):
    """Filters of the approver's list of a run's payments (GET; every field optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name of the payee or the participant, or part of the IBAN."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *InstructionKind.choices],
    )
    category = forms.ChoiceField(
        label=_("Creditor category"),
        required=False,
        choices=[("", _("All creditors")), *CreditorCategory.choices],
    )
    min_euros = forms.DecimalField(
        label=_("Amount from (euro)"), required=False, min_value=0, decimal_places=2
    )
    max_euros = forms.DecimalField(
        label=_("Amount up to and including (euro)"), required=False, min_value=0, decimal_places=2
    )
    order = forms.ChoiceField(label=_("Sort by"), required=False, choices=ORDER_CHOICES)
    changes = forms.BooleanField(label=_("Only changes since last month"), required=False)

    def clean_q(self):
        text = self.cleaned_data["q"]
        # Only a whole number is a BSN: the last six digits of an IBAN may pass the 11-test too.
        if any(len(word) >= 8 and is_bsn(word) for word in text.split()):
            raise ValidationError(
                _(
                    "Search here by name or IBAN. Search by BSN in the participant list: a "
                    "BSN does not belong in a web address."
                )
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
            raise ValidationError(
                _("The amount 'up to and including' is lower than the amount 'from'.")
            )
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

    name = forms.CharField(label=_("Account holder name"), max_length=70)
    iban = forms.CharField(label="IBAN", max_length=34)
    bic = forms.CharField(label="BIC", max_length=11)
