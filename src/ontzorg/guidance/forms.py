"""Forms of the guidance pages. Choices are limited to the user's scope; the services check
again, so a forged POST gains nothing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Training

from . import services
from .constants import ConditionKind, ContactKind, LevelGroup, ReferralOrganisation, ReferralStatus
from .models import MAX_MINUTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _minutes(label):
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_MINUTES)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contact kind"), choices=ContactKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = _minutes(_("Duration in minutes"))
    with_interpreter = forms.BooleanField(label=_("With interpreter"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Personal: only visible to those who may see this participant."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A contact cannot be in the future."))
        return day


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Condition kind"), choices=ConditionKind.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
    provided_on = forms.DateField(label=_("Date"), widget=DateInput)
    cost_euros = forms.DecimalField(
        label=_("Cost in euros"), min_value=0, max_digits=9, decimal_places=2
    )

    def cost_cents(self) -> int:
        return int(self.cleaned_data["cost_euros"] * 100)


class ActivityForm(forms.Form):
    training = forms.ModelChoiceField(label=_("Training"), queryset=None)
    name = forms.CharField(
        label=_("Group name"),
        required=False,
        max_length=160,
        help_text=_("Empty: the name of the training."),
    )
    level_group = forms.ChoiceField(label=_("Level group"), choices=LevelGroup.choices)
    organisation = forms.ModelChoiceField(
        label=_("Delivering organisation"), queryset=None, required=False
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=160)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regelingen = services.regelingen_for(user)
        self.fields["training"].queryset = Training.objects.filter(
            regeling__in=regelingen
        ).select_related("regeling")
        self.fields["training"].label_from_instance = lambda t: f"{t.name} ({t.regeling})"
        self.fields["organisation"].queryset = Organisation.objects.filter(
            region__in=regelingen.values("region")
        )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = _minutes(_("Duration in minutes"))
    topic = forms.CharField(label=_("Topic"), required=False, max_length=160)


class EnrollForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            Participant.objects.visible_to(user)
            .filter(regeling=activity.regeling_id)
            .exclude(enrollments__activity=activity)
        )


def _not_future(day, message):
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Referred to"), choices=ReferralOrganisation.choices)
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        required=False,
        max_length=160,
        help_text=_("Required for another organisation."),
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label=_("Referral status"),
        choices=ReferralStatus.choices,
        initial=ReferralStatus.REFERRED,
    )

    def __init__(self, *args, **kwargs):
        # The contact and condition forms on the same page have a "kind" too.
        kwargs.setdefault("auto_id", "verwijzing_%s")
        super().__init__(*args, **kwargs)
        self.fields["referred_on"].initial = timezone.localdate()

    def clean_referred_on(self):
        return _not_future(
            self.cleaned_data["referred_on"], _("The referral date cannot be in the future.")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReferralOrganisation.OTHER and not data.get("organisation_name"):
            self.add_error(
                "organisation_name", _("Name the organisation the participant is referred to.")
            )
        return data


class ReferralStatusForm(forms.Form):
    referral = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    status_on = forms.DateField(label=_("Status since"), widget=DateInput)

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = participant.referrals.all()
        self.fields["status_on"].initial = timezone.localdate()

    def clean_status_on(self):
        return _not_future(
            self.cleaned_data["status_on"], _("The date of the status cannot be in the future.")
        )
