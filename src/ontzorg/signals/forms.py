"""Forms for the signal pages: filters, upload, follow-up and matching by hand."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ontzorg.participants.validators import normalise_bsn

from .constants import TRANSITIONS, CreditorKind, SignalKind, Status


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle open")), ("alle", _("Alle")), *Status.choices],
    )
    soort = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle")), *SignalKind.choices]
    )
    te_laat = forms.BooleanField(label=_("Alleen over de termijn"), required=False)
    na_afloop = forms.BooleanField(label=_("Alleen na afloop ontzorgen"), required=False)
    wachtrij = forms.BooleanField(label=_("Alleen zonder deelnemer"), required=False)


class UploadForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Regio"), queryset=None, empty_label=None)
    creditor_name = forms.CharField(
        label=_("Schuldeiser"),
        max_length=160,
        help_text=_("Bijvoorbeeld de woningcorporatie of het energiebedrijf dat de lijst stuurde."),
    )
    creditor_kind = forms.ChoiceField(label=_("Soort schuldeiser"), choices=CreditorKind.choices)
    file = forms.FileField(label=_("CSV-bestand"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        limit = settings.ONTZORG_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = _("Puntkomma als scheidingsteken, UTF-8; maximaal %s.") % (
            filesizeformat(limit)
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ONTZORG_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %s.")
                % filesizeformat(settings.ONTZORG_MAX_UPLOAD_BYTES)
            )
        return upload


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Volgende stap"))
    note = forms.CharField(
        label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, signal, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[signal.status]
        if signal.participant_id is None:
            allowed = [s for s in allowed if s == Status.CLOSED]
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class MatchForm(forms.Form):
    bsn = forms.CharField(label=_("BSN van de deelnemer"), max_length=11)
    note = forms.CharField(label=_("Waarom deze deelnemer?"), max_length=200, required=False)

    def clean_bsn(self):
        return normalise_bsn(self.cleaned_data["bsn"])
