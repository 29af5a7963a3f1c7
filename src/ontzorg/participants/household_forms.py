"""Forms of the household pages: add, change and end a member, and record a move.

Each is shown again as a summary to confirm before the service acts (the pattern of the plan
pages). Amounts are typed in euros and handed to the services in cents; the services check
dates and rights again, so a forged POST gains nothing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ontzorg.core.confirm import ConfirmableForm
from ontzorg.core.money import to_cents

from . import households
from .constants import Gender, MemberKind
from .forms import POSTCODE, DateInput
from .validators import validate_bsn


def _income_field():
    return forms.DecimalField(
        label=_("Own income per month (net)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_("Only for a partner or housemate with an income of their own. Empty: none."),
    )


# A partner who takes part is registered as a participant (regelingen where both do).
PARTNER_TAKES_PART = "partner_participant"


class MemberForm(ConfirmableForm):
    kind = forms.ChoiceField(
        label=_("Who comes to live there?"), choices=MemberKind.choices, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=120,
        required=False,
        help_text=_("Only for a partner who takes part."),
    )
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=9,
        required=False,
        validators=[validate_bsn],
        help_text=_("Only for a partner who takes part."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—"), *Gender.choices],
        required=False,
        help_text=_("Only for a partner who takes part."),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    starts_on = forms.DateField(
        label=_("Lives in the home from"),
        widget=DateInput(),
        help_text=_("The day this person came to live in the home."),
    )
    is_student = forms.BooleanField(label=_("Follows a full-time course (student)"), required=False)
    income = _income_field()

    def __init__(self, *args, household, regeling=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_takes_part = bool(regeling and regeling.both_partners)
        if self.partner_takes_part:
            self.fields["kind"].choices = [
                (PARTNER_TAKES_PART, _("partner (also takes part)")),
                *MemberKind.choices,
            ]
        else:
            for name in ("last_name", "bsn", "gender"):
                del self.fields[name]
        first = households.first_changeable_day(household)
        field = self.fields["starts_on"]
        if first is None:
            field.required = False
            field.help_text = _("Empty: already lived there at the intake.")
        else:
            field.help_text = _(
                "On %(day)s or later. Earlier months have been calculated already and "
                "stay as they are."
            ) % {"day": f"{first:%d-%m-%Y}"}

    def clean(self):
        data = super().clean()
        if data.get("kind") == PARTNER_TAKES_PART:
            for name in ("last_name", "bsn", "gender"):
                if not data.get(name):
                    self.add_error(name, _("Fill this in for a partner who takes part."))
        return data

    @property
    def adds_participant(self) -> bool:
        return self.cleaned_data.get("kind") == PARTNER_TAKES_PART

    def partner_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("first_name", "last_name", "bsn", "date_of_birth", "gender")
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "first_name": data["first_name"],
            "date_of_birth": data["date_of_birth"],
            "starts_on": data["starts_on"],
            "is_student": data["is_student"],
            "income_cents": to_cents(data["income"]),
        }


class ChangeMemberForm(ConfirmableForm):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    is_student = forms.BooleanField(label=_("Follows a full-time course (student)"), required=False)
    income = _income_field()
    on = forms.DateField(
        label=_("The change applies from"),
        widget=DateInput(),
        help_text=_("For the days before, the old details keep applying."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            first_name=member.first_name,
            date_of_birth=member.date_of_birth,
            is_student=member.is_student,
            income=Decimal(member.income_cents) / 100 if member.income_cents else None,
        )

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "date_of_birth": data["date_of_birth"],
            "is_student": data["is_student"],
            "income_cents": to_cents(data["income"]),
        }


class EndMemberForm(ConfirmableForm):
    on = forms.DateField(
        label=_("No longer lives in the home from"),
        widget=DateInput(),
        help_text=_("The first day this person no longer lives there."),
    )


class MoveForm(ConfirmableForm):
    street = forms.CharField(label=_("Street"), max_length=120)
    house_number = forms.CharField(label=_("House number"), max_length=12)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, help_text=_("For example 2711 AB.")
    )
    city = forms.CharField(label=_("Town"), max_length=80)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    moves_on = forms.DateField(label=_("Moved on"), widget=DateInput())

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = households.municipalities_for_move(participant)
        self.initial.setdefault("municipality", participant.household.municipality_id)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].upper().strip()
        match = POSTCODE.match(value)
        if not match:
            raise forms.ValidationError(_("A postcode is four digits and two letters: 2711 AB."))
        return f"{match.group(1)} {match.group(2)}"
