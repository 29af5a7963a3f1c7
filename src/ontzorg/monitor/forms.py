"""Forms of the monitor pages. Region choices are limited to the user's regions; the
services check again, so a forged POST gains nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services, whatworks
from .models import Study


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MomentForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("For example 'First evaluation measurement'."),
    )
    on = forms.DateField(
        label=_("Reference date"),
        widget=DateInput,
        help_text=_("The data are recorded as they were on this day."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = services.regions_for(user)


class ExportForm(forms.Form):
    PARTS = [
        ("xlsx", _("Excel workbook: participants, codebook and aggregates")),
        ("deelnemers", _("CSV: participants (pseudonymised)")),
        ("aggregaten", _("CSV: aggregates (groups smaller than 5 suppressed)")),
        ("toelichting", _("CSV: explanation (what was generalised and left out)")),
    ]
    # Not required: the empty choice is "Alle regio's".
    region = forms.ChoiceField(label=_("Region"), required=False)
    part = forms.ChoiceField(
        label=_("File"), choices=PARTS, widget=forms.RadioSelect, initial="xlsx"
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.slug: r for r in services.regions_for(user)}
        choices = [(slug, region.name) for slug, region in self.regions.items()]
        if len(choices) > 1:
            choices.insert(0, ("", _("All regions")))
        self.fields["region"].choices = choices
        if Study.objects.count() > 1:
            self.fields["study"] = forms.ModelChoiceField(
                label=_("Evaluation study"),
                queryset=Study.objects.all(),
                empty_label=None,
                help_text=_("Every study has its own pseudonyms."),
            )

    def clean_region(self):
        slug = self.cleaned_data["region"]
        return self.regions.get(slug) if slug else None


class WhatWorksForm(forms.Form):
    """What the "what works for whom" page compares: read from the query string, so a
    comparison can be bookmarked and shared; anything unknown falls back to the first."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(name, label) for name, (label, _q) in whatworks.OUTCOMES.items()],
    )
    breakdown = forms.ChoiceField(
        label=_("Compare by"),
        choices=[(name, label) for name, (label, _c) in whatworks.BREAKDOWNS.items()],
    )

    def choice(self) -> tuple[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("outcome") or next(iter(whatworks.OUTCOMES)),
            data.get("breakdown") or next(iter(whatworks.BREAKDOWNS)),
        )
