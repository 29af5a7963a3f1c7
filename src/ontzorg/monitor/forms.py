"""Forms of the monitor pages. Region choices are limited to the user's regions; the
services check again, so a forged POST gains nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Study


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MomentForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Regio"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Naam"),
        max_length=80,
        help_text=_("Bijvoorbeeld 'Eerste meting evaluatie'."),
    )
    on = forms.DateField(
        label=_("Peildatum"),
        widget=DateInput,
        help_text=_("De gegevens worden vastgelegd zoals ze op deze dag waren."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = services.regions_for(user)


class ExportForm(forms.Form):
    PARTS = [
        ("xlsx", _("Excel-werkboek: deelnemers, codeboek en aggregaten")),
        ("deelnemers", _("CSV: deelnemers (gepseudonimiseerd)")),
        ("aggregaten", _("CSV: aggregaten (groepen kleiner dan 5 onderdrukt)")),
        ("toelichting", _("CSV: toelichting (wat is gegeneraliseerd en weggelaten)")),
    ]
    # Not required: the empty choice is "Alle regio's".
    region = forms.ChoiceField(label=_("Regio"), required=False)
    part = forms.ChoiceField(
        label=_("Bestand"), choices=PARTS, widget=forms.RadioSelect, initial="xlsx"
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.slug: r for r in services.regions_for(user)}
        choices = [(slug, region.name) for slug, region in self.regions.items()]
        if len(choices) > 1:
            choices.insert(0, ("", _("Alle regio's")))
        self.fields["region"].choices = choices
        if Study.objects.count() > 1:
            self.fields["study"] = forms.ModelChoiceField(
                label=_("Evaluatieonderzoek"),
                queryset=Study.objects.all(),
                empty_label=None,
                help_text=_("Elk onderzoek heeft eigen pseudoniemen."),
            )

    def clean_region(self):
        slug = self.cleaned_data["region"]
        return self.regions.get(slug) if slug else None
