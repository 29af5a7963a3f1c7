"""The form to record a measurement. Choices come from the participant's regeling; the
service checks again (instrument, level), so a forged POST gains nothing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.regelingen.models import InstrumentLevel

from .constants import Moment, Perspective


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.instrument}: {obj.rank}. {obj.label}"


class MeasurementForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=None, empty_label=None)
    moment = forms.ChoiceField(label=_("Moment"), choices=Moment.choices)
    measured_on = forms.DateField(label=_("Date of the measurement"), widget=DateInput)
    level = LevelChoiceField(label=_("Level"), queryset=None, required=False)
    count = forms.IntegerField(
        label=_("Number (for an instrument that counts)"),
        required=False,
        min_value=0,
        help_text=_("For example the number of agencies approached since the last measurement."),
    )
    perspective = forms.ChoiceField(
        label=_("Assessed by"), choices=Perspective.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = list(instruments)
        self.fields["instrument"].queryset = instruments
        self.fields["level"].queryset = InstrumentLevel.objects.filter(
            instrument__in=self.instruments
        ).select_related("instrument")
        self.fields["measured_on"].initial = timezone.localdate()
        if not any(instrument.is_count for instrument in self.instruments):
            # Only levels to choose from: the level is required, as it always was.
            del self.fields["count"]
            self.fields["level"].required = True
        self.item_fields, self.score_fields = [], []
        for instrument in self.instruments:
            for item in instrument.checklist_items.all():
                name = f"item_{item.pk}"
                self.fields[name] = forms.BooleanField(
                    label=item.text, required=False, help_text=_("Can do it alone.")
                )
                self.item_fields.append((instrument, item, name))
            for assignment in instrument.assignments.all():
                name = f"score_{assignment.pk}"
                self.fields[name] = forms.IntegerField(
                    label=_("%(text)s (0 up to and including %(max)s)")
                    % {"text": assignment.text, "max": assignment.max_score},
                    required=False,
                    min_value=0,
                    max_value=assignment.max_score,
                )
                self.score_fields.append((instrument, assignment, name))

    def clean(self):
        data = super().clean()
        instrument, level = data.get("instrument"), data.get("level")
        count = data.get("count")
        if instrument and instrument.is_count:
            if level is not None:
                self.add_error("level", _("This instrument records a number, not a level."))
            if count is None:
                self.add_error("count", _("Fill in the number."))
            elif count > instrument.max_count:
                self.add_error(
                    "count",
                    _("At most %(max)s for %(instrument)s.")
                    % {"max": instrument.max_count, "instrument": instrument},
                )
        elif instrument:
            if level is None:
                self.add_error("level", _("Choose a level of this instrument."))
            elif level.instrument_id != instrument.pk:
                self.add_error("level", _("This level does not belong to the chosen instrument."))
            if count is not None:
                self.add_error("count", _("Only an instrument that counts records a number."))
        day = data.get("measured_on")
        if day and day > timezone.localdate():
            self.add_error("measured_on", _("A measurement cannot be in the future."))
        return data

    def answers(self) -> dict[int, bool]:
        instrument = self.cleaned_data["instrument"]
        return {
            item.pk: self.cleaned_data[name]
            for owner, item, name in self.item_fields
            if owner.pk == instrument.pk
        }

    def scores(self) -> dict[int, int]:
        instrument = self.cleaned_data["instrument"]
        return {
            assignment.pk: self.cleaned_data[name]
            for owner, assignment, name in self.score_fields
            if owner.pk == instrument.pk and self.cleaned_data[name] is not None
        }

    def checklist_bound_fields(self):
        return [(instrument, self[name]) for instrument, _item, name in self.item_fields]

    def score_bound_fields(self):
        return [(instrument, self[name]) for instrument, _a, name in self.score_fields]
