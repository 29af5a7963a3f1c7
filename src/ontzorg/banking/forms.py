"""Forms of the bank screens: upload, and the decisions of the work queue."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

NOTE_HELP = _("Why this choice? This goes into the audit log.")


class UploadForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Bank statement (camt.053 or camt.054, XML)"),
        help_text=_("As the bank delivers it. Importing a file again books nothing twice."),
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
                _("The file is larger than %(mb)s MB."), params={"mb": limit // (1024 * 1024)}
            )
        return upload


class ParticipantForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    note = forms.CharField(label=_("Explanation"), max_length=255, help_text=NOTE_HELP)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: (
            _("%(name)s (born %(born)s)")
            % {"name": p.full_name, "born": f"{p.date_of_birth:%d-%m-%Y}"}
        )


class InstructionForm(forms.Form):
    end_to_end_id = forms.CharField(
        label=_("Reference of the payment (EndToEndId)"),
        max_length=35,
        help_text=_("In the payment file and on the payment run, for example OZ-12-345-C6."),
    )
    note = forms.CharField(label=_("Explanation"), max_length=255, help_text=NOTE_HELP)


class IgnoreForm(forms.Form):
    note = forms.CharField(
        label=_("Explanation"),
        max_length=255,
        help_text=_("For example: bank charges or interest. This goes into the audit log."),
    )
