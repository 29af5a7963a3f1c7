"""Forms of the bank screens: upload, and the decisions of the work queue."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

NOTE_HELP = _("Waarom deze keuze? Dit komt in het auditlog.")


class UploadForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Regio"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Bankafschrift (camt.053 of camt.054, XML)"),
        help_text=_("Zoals de bank het levert. Een bestand opnieuw inlezen boekt niets dubbel."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["file"].widget.attrs["accept"] = ".xml,application/xml,text/xml"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ONTZORG_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB."), params={"mb": limit // (1024 * 1024)}
            )
        return upload


class ParticipantForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Deelnemer"), queryset=None)
    note = forms.CharField(label=_("Toelichting"), max_length=255, help_text=NOTE_HELP)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.full_name} (geboren {p.date_of_birth:%d-%m-%Y})"
        )


class InstructionForm(forms.Form):
    end_to_end_id = forms.CharField(
        label=_("Kenmerk van de betaling (EndToEndId)"),
        max_length=35,
        help_text=_("Staat in het betaalbestand en op de betaalrun, bijvoorbeeld OZ-12-345-C6."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=255, help_text=NOTE_HELP)


class IgnoreForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=255,
        help_text=_("Bijvoorbeeld: bankkosten of rente. Dit komt in het auditlog."),
    )
