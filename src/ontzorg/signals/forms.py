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
        choices=[("", _("All open")), ("alle", _("All")), *Status.choices],
    )
    soort = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *SignalKind.choices]
    )
    te_laat = forms.BooleanField(label=_("Only past the deadline"), required=False)
    na_afloop = forms.BooleanField(label=_("Only after ontzorgen ended"), required=False)
    wachtrij = forms.BooleanField(label=_("Only without a participant"), required=False)
    voor_mij = forms.BooleanField(
        label=_("Only those routed to me or my organisation"), required=False
    )


class UploadForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    creditor_name = forms.CharField(
        label=_("Creditor"),
        max_length=160,
        help_text=_(
            "For example the housing association or the energy company that sent the list."
        ),
    )
    creditor_kind = forms.ChoiceField(label=_("Kind of creditor"), choices=CreditorKind.choices)
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        limit = settings.ONTZORG_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = _("Semicolon as separator, UTF-8; at most %s.") % (
            filesizeformat(limit)
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ONTZORG_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %s.") % filesizeformat(settings.ONTZORG_MAX_UPLOAD_BYTES)
            )
        return upload


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Remark"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, signal, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[signal.status]
        if signal.participant_id is None:
            allowed = [s for s in allowed if s == Status.CLOSED]
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class MatchForm(forms.Form):
    bsn = forms.CharField(label=_("Participant's BSN"), max_length=11)
    note = forms.CharField(label=_("Why this participant?"), max_length=200, required=False)

    def clean_bsn(self):
        return normalise_bsn(self.cleaned_data["bsn"])


class MonthInput(forms.TextInput):
    input_type = "month"


class ArrearsForm(forms.Form):
    """Which creditor and which month the arrears list is for."""

    schuldeiser = forms.ChoiceField(label=_("Creditor"))
    maand = forms.CharField(
        label=_("Month reported"),
        widget=MonthInput,
        help_text=_("The month in which the creditor reported the arrears."),
    )

    def __init__(self, *args, creditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schuldeiser"].choices = [(name, name) for name in creditors]

    def clean_maand(self):
        from .arrears import parse_month

        month = parse_month(self.cleaned_data["maand"])
        if month is None:
            raise forms.ValidationError(_("Give the month as year and month, like 2026-03."))
        return month
