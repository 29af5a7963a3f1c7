"""Admin forms for the configuration: checks across fields and inline rows, in plain Dutch."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import LEGAL_CATEGORIES, CostCategory, Inclusion, Mode
from .models import Regeling


def missing_legal_categories(regeling: Regeling) -> list[str]:
    """Labels of the legally required categories (art. 56a Pw) not in the standard package."""
    standard = set(regeling.categories(Inclusion.STANDARD))
    return [str(CostCategory(c).label) for c in LEGAL_CATEGORIES if c not in standard]


def _kept(formset) -> list[dict]:
    """Cleaned data of the rows that will be saved: filled in and not marked for deletion."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class RegelingForm(forms.ModelForm):
    class Meta:
        model = Regeling
        fields = [
            "region",
            "name",
            "valid_from",
            "notes",
            "mode",
            "allowance_frequency",
            "allowance_weekday",
            "has_savings_pots",
            "continues_on_wages",
            "benefit_payment_day",
            "counts_toeslagen",
            "first_month_rent_gift",
            "prepay_last_month",
            "prepay_from_bridging",
            "low_allowance_share",
            "min_duration_months",
            "extension_allowed",
            "max_extension_months",
            "ends_all_at_once",
            "plan_start",
            "nazorg_months",
            "newcomers_since",
            "include_old_arrivals",
            "exclude_seniors",
            "senior_age",
            "exclude_fulltime_students",
            "exclude_illiterate",
            "both_partners",
            "selection_method",
            "target_participants",
            "instruments",
            "endmeasurement_months_before_end",
            "followup_months_after_end",
        ]

    def clean(self):
        data = super().clean()
        end_before = data.get("endmeasurement_months_before_end") or 0
        duration = data.get("min_duration_months") or 0
        if duration and end_before >= duration:
            self.add_error(
                "endmeasurement_months_before_end",
                _("The final measurement must fall within the minimum duration of %(n)d months.")
                % {"n": duration},
            )
        if data.get("include_old_arrivals") and not data.get("newcomers_since"):
            self.add_error(
                "newcomers_since",
                _(
                    "Fill in from which date someone is a newcomer; without that date "
                    "'admit earlier arrivals' means nothing."
                ),
            )
        return data


class PackageItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = _kept(self)
        seen = {}
        for row in rows:
            category = row.get("category")
            if category in seen:
                raise ValidationError(
                    _(
                        "'%(category)s' is in the package twice. A cost category is either "
                        "standard or optional, not both."
                    )
                    % {"category": CostCategory(category).label}
                )
            seen[category] = row.get("inclusion")
        if not any(inclusion == Inclusion.STANDARD for inclusion in seen.values()):
            raise ValidationError(_("The standard package must have at least one cost category."))
        if self.instance.mode == Mode.DIFFERENTIATED and Inclusion.OPTIONAL not in seen.values():
            raise ValidationError(
                _(
                    "Differentiated packages need at least one optional cost category, "
                    "otherwise there is nothing to choose."
                )
            )
        super().clean()


class InstrumentLevelFormSet(forms.BaseInlineFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = sorted(_kept(self), key=lambda row: row.get("rank") or 0)
        if self.instance.is_count:
            if rows:
                raise ValidationError(_("An instrument that records a count has no levels."))
            return super().clean()
        if len(rows) < 2:
            raise ValidationError(_("A measuring instrument has at least two levels."))
        ranks = [row["rank"] for row in rows]
        if ranks != list(range(1, len(rows) + 1)):
            raise ValidationError(
                _(
                    "Number the levels 1 to %(n)d, without gaps or duplicate numbers (now: "
                    "%(ranks)s)."
                )
                % {"n": len(rows), "ranks": ", ".join(str(r) for r in ranks)}
            )
        if not self.instance.is_self_reliance:
            if any(row.get("is_exit") or row.get("category") for row in rows):
                raise ValidationError(
                    _(
                        "Only levels of financial self-reliance have a category and an exit "
                        "level; leave both empty for this outcome."
                    )
                )
            return super().clean()
        exits = [row["rank"] for row in rows if row.get("is_exit")]
        if not exits:
            raise ValidationError(_("Mark from which level ontzorgen may stop ('enough to stop')."))
        if exits != list(range(exits[0], len(rows) + 1)):
            raise ValidationError(
                _(
                    "All levels from level %(rank)d on must be 'enough to stop': a higher "
                    "level is never less self-reliant."
                )
                % {"rank": exits[0]}
            )
        if exits[0] == 1:
            raise ValidationError(_("The lowest level cannot be enough to stop ontzorgen."))
        categories = [row["category"] for row in rows]
        if None in categories:
            raise ValidationError(_("Give every level its category of self-reliance."))
        if categories != sorted(categories):
            raise ValidationError(
                _(
                    "A higher level cannot fall in a lower category of self-reliance; "
                    "check the categories."
                )
            )
        super().clean()
