"""Forms of the caseworker pages. Choices are limited to what the user's scope allows;
the services check again, so a forged POST gains nothing."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.models import Organisation, User
from ontzorg.core import access, privacy
from ontzorg.payments import sepa

from . import services
from .constants import DecisionKind, DecisionOutcome, Phase
from .models import Decision, Participant
from .validators import (
    normalise_bsn,
    normalise_iban,
    validate_account_holder_name,
    validate_bsn,
    validate_iban,
)

POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(value: date) -> str:
    return f"{value:%d-%m-%Y}"


class ParticipantFilterForm(forms.Form):
    """Search and filters of the participant list; every choice comes from the user's scope."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    fase = forms.ChoiceField(label=_("Phase"), required=False)
    regeling = forms.ModelChoiceField(
        label=_("Regeling"), required=False, queryset=None, empty_label=_("All regelingen")
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=None, empty_label=_("All municipalities")
    )
    klantmanager = forms.ModelChoiceField(
        label=_("Case worker"), required=False, queryset=None, empty_label=_("Everyone")
    )
    organisatie = forms.ModelChoiceField(
        label=_("Guiding organisation"),
        required=False,
        queryset=None,
        empty_label=_("All organisations"),
    )
    mijn = forms.BooleanField(label=_("Only my participants"), required=False)
    aandacht = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["q"].help_text = (
            _("By name or BSN (at least 4 digits).")
            if access.may(user, "sees_bsn")
            else _("By name.")
        )
        self.fields["q"].widget.input_type = "search"
        self.fields["fase"].choices = [("", _("All phases")), *Phase.choices]
        self.fields["regeling"].queryset = services.regelingen_for(user).filter(
            pk__in=visible.values("regeling_id")
        )
        self.fields["gemeente"].queryset = services.municipalities_for(user).filter(
            pk__in=visible.values("household__municipality_id")
        )
        self.fields["klantmanager"].queryset = User.objects.filter(
            pk__in=visible.values("case_worker_id")
        ).order_by("first_name", "last_name")
        self.fields["organisatie"].queryset = Organisation.objects.filter(
            pk__in=visible.values("guidance_organisation_id")
        )

    def apply(self, participants):
        """`participants` narrowed by the valid filters; invalid ones are ignored."""
        from . import attention

        data = self.cleaned_data if self.is_valid() else {}
        text = data.get("q", "")
        if text:
            by_name = participants.search(text)
            if access.may(self.user, "sees_bsn") and privacy.looks_like_bsn(text):
                participants = by_name | participants.search_bsn(text)
            else:
                participants = by_name
        if data.get("mijn"):
            participants = participants.caseload(self.user)
        if data.get("fase"):
            participants = participants.filter(phase=data["fase"])
        if data.get("regeling"):
            participants = participants.filter(regeling=data["regeling"])
        if data.get("gemeente"):
            participants = participants.filter(household__municipality=data["gemeente"])
        if data.get("klantmanager"):
            participants = participants.filter(case_worker=data["klantmanager"])
        if data.get("organisatie"):
            participants = participants.filter(guidance_organisation=data["organisatie"])
        check = attention.get(data.get("aandacht", ""), self.user)
        if check:
            participants = check.filter(participants, self.user)
        return participants

    @property
    def attention_label(self) -> str:
        from . import attention

        data = self.cleaned_data if self.is_valid() else {}
        check = attention.get(data.get("aandacht", ""), self.user)
        return check.label if check else ""


PERSON_FIELDS = [
    "first_name",
    "last_name",
    "bsn",
    "date_of_birth",
    "gender",
    "country_of_origin",
    "languages",
    "needs_interpreter",
    "preferred_language",
    "literacy",
    "is_fulltime_student",
    "is_unaccompanied_minor",
    "arrival_on",
    "bijstand_start_on",
    "lease_signed_on",
    "iban",
    "account_holder_name",
    "case_worker",
    "guidance_organisation",
    "coach",
]


class ParticipantForm(forms.ModelForm):
    """The participant's main fields, with date checks a case worker can act on."""

    class Meta:
        model = Participant
        fields = PERSON_FIELDS
        widgets = {
            "date_of_birth": DateInput(),
            "arrival_on": DateInput(),
            "bijstand_start_on": DateInput(),
            "lease_signed_on": DateInput(),
            "gender": forms.RadioSelect,
        }
        help_texts = {
            "bsn": _("9 digits; the eleven test is checked."),
            "iban": _("For example NL91 ABNA 0417 1643 00. May be added later."),
            "languages": _("For example: Arabic, Tigrinya."),
            "arrival_on": _("The date the participant came to live in the municipality."),
            "lease_signed_on": _("Only needed when the plan starts at the lease."),
        }
        error_messages = {
            "bsn": {"unique": _("There is already a participant with this BSN.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not access.may(user, "sees_bsn"):
            del self.fields["bsn"]
        if not access.may(user, "sees_bank") or self.instance.pk:
            # After the intake, where the money goes changes only through a four-eyes
            # proposal ("Rekeninggegevens begunstigde", plans.payees).
            for name in services.PAYEE_FIELDS:
                self.fields.pop(name, None)
        if "account_holder_name" in self.fields:
            # Checked after tidying, in clean_account_holder_name.
            self.fields["account_holder_name"].validators = []
        # Typed with spaces or dots, a valid number is longer than it is stored.
        for name, length in (("bsn", 15), ("iban", 42)):
            if name in self.fields:
                self.fields[name].max_length = length
                self.fields[name].validators = []
                self.fields[name].widget.attrs["maxlength"] = str(length)
        regions = services.regelingen_for(user).values("region_id")
        self.fields["case_worker"].queryset = User.objects.filter(
            role__code=RoleCode.KLANTMANAGER, organisation__region_id__in=regions, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["guidance_organisation"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.PARTNER, region_id__in=regions
        )
        self.fields["coach"].queryset = User.objects.filter(
            role__code=RoleCode.BUDGETCOACH, organisation__region_id__in=regions, is_active=True
        ).order_by("first_name", "last_name")
        for name in ("case_worker", "guidance_organisation", "coach"):
            self.fields[name].empty_label = _("Not yet assigned")
        # Left open, the language stays what it was (Dutch for a new participant).
        self.fields["preferred_language"].required = False

    # Validated here so a wrong number gets one clear message, not also a length error.
    def clean_bsn(self):
        value = normalise_bsn(self.cleaned_data["bsn"])
        validate_bsn(value)
        return value

    def clean_preferred_language(self):
        return self.cleaned_data["preferred_language"] or self.instance.preferred_language

    def clean_iban(self):
        value = normalise_iban(self.cleaned_data["iban"])
        if value:
            validate_iban(value)
        return value

    def clean_account_holder_name(self):
        # Accents and the like become what the bank writes anyway (é -> e); another script
        # is refused with a suggestion, never cut off.
        value = " ".join(self.cleaned_data["account_holder_name"].split())
        if not value:
            return value
        value = sepa.latin_form(value) or value
        try:
            validate_account_holder_name(value)
        except forms.ValidationError as error:
            suggestion = sepa.suggest_name(value)
            if suggestion and suggestion != value:
                hint = _("Suggestion: %(suggestion)s.") % {"suggestion": suggestion}
                raise forms.ValidationError(" ".join([*error.messages, hint])) from None
            raise
        return value

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        born = cleaned.get("date_of_birth")
        arrived = cleaned.get("arrival_on")
        started = cleaned.get("bijstand_start_on")
        lease = cleaned.get("lease_signed_on")
        if born and born > today:
            self.add_error("date_of_birth", _("The date of birth is in the future."))
            born = None
        elif born and born.year < 1900:
            self.add_error("date_of_birth", _("Check the year: the date of birth is before 1900."))
            born = None
        if born and arrived and arrived < born:
            self.add_error(
                "arrival_on",
                _("The settlement (%(arrived)s) is before the date of birth (%(born)s).")
                % {"arrived": _date(arrived), "born": _date(born)},
            )
            arrived = None
        if arrived and started and started < arrived:
            self.add_error(
                "bijstand_start_on",
                _(
                    "The right to bijstand (%(started)s) cannot start before the "
                    "settlement in the municipality (%(arrived)s)."
                )
                % {"started": _date(started), "arrived": _date(arrived)},
            )
        if born and lease and lease < born:
            self.add_error(
                "lease_signed_on",
                _("The lease (%(lease)s) is before the date of birth (%(born)s).")
                % {"lease": _date(lease), "born": _date(born)},
            )
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class IntakeForm(ParticipantForm):
    """A new household with its applicant. The household fields are plain fields, so the
    whole intake is one form with one set of errors."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, empty_label=_("Choose a municipality")
    )
    street = forms.CharField(label=_("Street"), max_length=120, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=12, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, required=False, help_text=_("For example 2711 AB.")
    )
    city = forms.CharField(label=_("Town"), max_length=80, required=False)

    HOUSEHOLD_FIELDS = ["municipality", "street", "house_number", "postcode", "city"]

    class Meta(ParticipantForm.Meta):
        fields = ["regeling", *PERSON_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["municipality"].queryset = services.municipalities_for(user)
        self.fields["regeling"].queryset = services.regelingen_for(user)
        self.fields["regeling"].empty_label = _("Choose a regeling")
        # The usual case: the user's own (only) regeling, with the user as case worker.
        regelingen = list(self.fields["regeling"].queryset[:2])
        if len(regelingen) == 1:
            self.initial.setdefault("regeling", regelingen[0].pk)
        if self.fields["case_worker"].queryset.filter(pk=user.pk).exists():
            self.initial.setdefault("case_worker", user.pk)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].upper().strip()
        if not value:
            return value
        match = POSTCODE.match(value)
        if not match:
            raise forms.ValidationError(_("A postcode is four digits and two letters: 2711 AB."))
        return f"{match.group(1)} {match.group(2)}"

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        regeling = cleaned.get("regeling")
        if municipality and regeling and municipality.region_id != regeling.region_id:
            self.add_error(
                "municipality",
                _("%(municipality)s is not part of the region of %(regeling)s.")
                % {"municipality": municipality, "regeling": regeling},
            )
        self._ask_account_holder_name(cleaned)
        return cleaned

    def _ask_account_holder_name(self, cleaned) -> None:
        """A name without a Latin form: show a suggestion for the name the bank knows, once.
        The intake goes on when it is sent again, also with the field left empty."""
        if "account_holder_name" not in self.fields or cleaned.get("account_holder_name"):
            return
        if self.data.get(self.ASKED) or "account_holder_name" in self.errors:
            return
        full_name = f"{cleaned.get('first_name', '')} {cleaned.get('last_name', '')}".strip()
        if not full_name or sepa.latin_form(full_name):
            return
        suggestion = sepa.suggest_name(full_name)
        self.data = self.data.copy()
        self.data["account_holder_name"] = suggestion[: sepa.MAX_NAME_LENGTH]
        self.data[self.ASKED] = "1"
        self.add_error(
            "account_holder_name",
            _(
                "The name is (partly) not in Latin letters; the bank cannot read it. "
                "We suggest: %(suggestion)s. Check the spelling with the participant, "
                "for example on the bank card, and change it if needed. You may also "
                "leave the field empty; the back office then fills in the name later, "
                "and until then no living allowance is paid."
            )
            % {"suggestion": suggestion},
        )

    # Sent along once the suggestion has been shown, so the intake does not stop twice.
    ASKED = "naam_bank_gevraagd"

    @property
    def account_holder_name_asked(self) -> bool:
        return bool(self.data.get(self.ASKED))

    def household_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.HOUSEHOLD_FIELDS}
        if not data["city"]:
            data["city"] = data["municipality"].name
        return data

    def participant_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["kind", "outcome", "reason", "decided_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 4}),
            "decided_on": DateInput(),
        }
        labels = {"kind": _("Kind of decision"), "outcome": _("Outcome"), "decided_on": _("Date")}
        help_texts = {
            "reason": _(
                "Required. Explain why; the reason goes into the file and the audit trail."
            ),
            "decided_on": _("Leave empty for today."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].required = False
        self.fields["kind"].choices = DecisionKind.choices
        self.fields["outcome"].choices = DecisionOutcome.choices

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(
                _("Give a reason of at least ten characters; it is required.")
            )
        return reason

    def clean_decided_on(self):
        day = self.cleaned_data.get("decided_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("A decision cannot have been taken in the future."))
        return day


class SelectionForm(forms.Form):
    """What to draw. The seed is never asked: the server draws it (services.draw_selection),
    so nobody can steer who is chosen; a posted seed is not a field and so is ignored."""

    regeling = forms.ModelChoiceField(label=_("Regeling"), queryset=None, empty_label=None)
    size = forms.IntegerField(
        label=_("Number of participants"),
        min_value=1,
        error_messages={"min_value": _("Choose at least one participant.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regeling"].queryset = services.random_regelingen_for(user)

    def hide_inputs(self):
        """For the confirmation step: the choices travel along unchanged."""
        for field in self.fields.values():
            field.widget = forms.HiddenInput()
