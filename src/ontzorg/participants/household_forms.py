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
        label=_("Eigen inkomen per maand (netto)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_("Alleen bij een partner of huisgenoot met eigen inkomen. Leeg: geen."),
    )


# A partner who takes part is registered as a participant (regelingen where both do).
PARTNER_TAKES_PART = "partner_participant"


class MemberForm(ConfirmableForm):
    kind = forms.ChoiceField(
        label=_("Wie komt er wonen?"), choices=MemberKind.choices, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=80)
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=120,
        required=False,
        help_text=_("Alleen voor een partner die meedoet."),
    )
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=9,
        required=False,
        validators=[validate_bsn],
        help_text=_("Alleen voor een partner die meedoet."),
    )
    gender = forms.ChoiceField(
        label=_("Geslacht"),
        choices=[("", "—"), *Gender.choices],
        required=False,
        help_text=_("Alleen voor een partner die meedoet."),
    )
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DateInput())
    starts_on = forms.DateField(
        label=_("Woont in huis vanaf"),
        widget=DateInput(),
        help_text=_("De dag waarop deze persoon in huis kwam wonen."),
    )
    is_student = forms.BooleanField(label=_("Volgt een voltijdopleiding (student)"), required=False)
    income = _income_field()

    def __init__(self, *args, household, regeling=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_takes_part = bool(regeling and regeling.both_partners)
        if self.partner_takes_part:
            self.fields["kind"].choices = [
                (PARTNER_TAKES_PART, _("partner (doet ook mee)")),
                *MemberKind.choices,
            ]
        else:
            for name in ("last_name", "bsn", "gender"):
                del self.fields[name]
        first = households.first_changeable_day(household)
        field = self.fields["starts_on"]
        if first is None:
            field.required = False
            field.help_text = _("Leeg: woonde er al bij de intake.")
        else:
            field.help_text = _(
                "Op %(day)s of later. Eerdere maanden zijn al berekend en blijven zoals ze zijn."
            ) % {"day": f"{first:%d-%m-%Y}"}

    def clean(self):
        data = super().clean()
        if data.get("kind") == PARTNER_TAKES_PART:
            for name in ("last_name", "bsn", "gender"):
                if not data.get(name):
                    self.add_error(name, _("Vul dit in voor een partner die meedoet."))
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
    first_name = forms.CharField(label=_("Voornaam"), max_length=80)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DateInput())
    is_student = forms.BooleanField(label=_("Volgt een voltijdopleiding (student)"), required=False)
    income = _income_field()
    on = forms.DateField(
        label=_("De wijziging geldt vanaf"),
        widget=DateInput(),
        help_text=_("Voor de dagen daarvoor blijven de oude gegevens gelden."),
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
        label=_("Woont niet meer in huis vanaf"),
        widget=DateInput(),
        help_text=_("De eerste dag dat deze persoon er niet meer woont."),
    )


class MoveForm(ConfirmableForm):
    street = forms.CharField(label=_("Straat"), max_length=120)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=12)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, help_text=_("Bijvoorbeeld 2711 AB.")
    )
    city = forms.CharField(label=_("Plaats"), max_length=80)
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=None)
    moves_on = forms.DateField(label=_("Verhuisd op"), widget=DateInput())

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = households.municipalities_for_move(participant)
        self.initial.setdefault("municipality", participant.household.municipality_id)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].upper().strip()
        match = POSTCODE.match(value)
        if not match:
            raise forms.ValidationError(_("Een postcode is vier cijfers en twee letters: 2711 AB."))
        return f"{match.group(1)} {match.group(2)}"
