"""The form that starts a region's PDF batch."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PdfBatchForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
