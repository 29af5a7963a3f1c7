"""Forms of the proposal pages: the list filters and the reason for turning one down."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import ProposalStatus


class FilterForm(forms.Form):
    soort = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Awaiting approval")), ("besloten", _("Decided or withdrawn"))],
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("All kinds")), *kinds]

    def statuses(self) -> list[str]:
        if self.is_valid() and self.cleaned_data.get("status") == "besloten":
            return [s for s in ProposalStatus.values if s != ProposalStatus.PENDING]
        return [ProposalStatus.PENDING]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The colleague who made the proposal sees this reason."),
    )
