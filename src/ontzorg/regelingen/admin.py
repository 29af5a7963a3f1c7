"""Admin (/beheer/) for the configuration: regions, regelingen and instruments. Every change,
inlines included, is audited with its before and after values."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ontzorg.audit.admin import AuditedModelAdmin
from ontzorg.core.money import euro

from . import local
from .forms import (
    InstrumentLevelFormSet,
    PackageItemFormSet,
    RegelingForm,
    missing_legal_categories,
)
from .models import (
    CostCeiling,
    Instrument,
    InstrumentLevel,
    Municipality,
    PackageItem,
    Regeling,
    Region,
    Training,
)


class MunicipalityInline(admin.TabularInline):
    """The region's municipalities, each with the few settings it may set for itself
    (``regelingen.local``; empty: the regeling's)."""

    model = Municipality
    fields = ["name", "is_lead", *local.OVERRIDABLE]
    extra = 0


class CostCeilingInline(admin.TabularInline):
    """Ceilings of the region (on the region) or of one regeling (on the regeling)."""

    model = CostCeiling
    fields = ["category", "warn_above_cents", "refuse_above_cents"]
    extra = 0
    verbose_name_plural = _(
        "cost ceilings per cost category (empty: those of the region, national or the default)"
    )


class RegionCostCeilingInline(CostCeilingInline):
    fk_name = "region"


class RegelingCostCeilingInline(CostCeilingInline):
    fk_name = "regeling"


@admin.register(CostCeiling)
class CostCeilingAdmin(AuditedModelAdmin):
    """All ceilings; a row without region and regeling is the national one."""

    list_display = ["category", "where", "warn_above", "refuse_above"]
    list_filter = ["category", "region", "regeling"]
    fields = ["category", "region", "regeling", "warn_above_cents", "refuse_above_cents"]

    @admin.display(description=_("applies to"))
    def where(self, ceiling):
        return ceiling.regeling or ceiling.region or _("national")

    @admin.display(description=_("warn above"))
    def warn_above(self, ceiling):
        return euro(ceiling.warn_above_cents) if ceiling.warn_above_cents is not None else "-"

    @admin.display(description=_("refuse above"))
    def refuse_above(self, ceiling):
        return euro(ceiling.refuse_above_cents) if ceiling.refuse_above_cents is not None else "-"


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "municipality_count", "staff_limited_to_municipality"]
    search_fields = ["name", "municipalities__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MunicipalityInline, RegionCostCeilingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_total=Count("municipalities"))

    @admin.display(description=_("municipalities"), ordering="municipality_total")
    def municipality_count(self, region):
        return region.municipality_total


class PackageItemInline(admin.TabularInline):
    model = PackageItem
    formset = PackageItemFormSet
    extra = 0


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Regeling)
class RegelingAdmin(AuditedModelAdmin):
    form = RegelingForm
    list_display = [
        "name",
        "region",
        "mode",
        "valid_from",
        "min_duration_months",
        "selection_method",
    ]
    list_filter = ["region", "mode"]
    search_fields = ["name", "region__name"]
    date_hierarchy = "valid_from"
    filter_horizontal = ["instruments"]
    inlines = [PackageItemInline, TrainingInline, RegelingCostCeilingInline]
    fieldsets = [
        (None, {"fields": ["region", "name", "valid_from", "notes"]}),
        (
            _("Package and mode"),
            {
                "fields": [
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
                ],
                "description": _(
                    "Which cost categories are withheld as standard or on request is set "
                    "at the bottom under 'Package'."
                ),
            },
        ),
        (
            _("Plausibility"),
            {
                "fields": ["low_allowance_share"],
                "description": _(
                    "Cost ceilings per cost category are at the bottom; without amounts of "
                    "its own, those of the region, the national ones or the default ones "
                    "apply."
                ),
            },
        ),
        (
            _("Duration of ontzorgen"),
            {
                "fields": [
                    "min_duration_months",
                    "extension_allowed",
                    "max_extension_months",
                    "ends_all_at_once",
                    "plan_start",
                    "nazorg_months",
                ]
            },
        ),
        (
            _("Selection and eligibility"),
            {
                "fields": [
                    "newcomers_since",
                    "include_old_arrivals",
                    "exclude_seniors",
                    "senior_age",
                    "exclude_fulltime_students",
                    "exclude_illiterate",
                    "both_partners",
                    "selection_method",
                    "target_participants",
                ]
            },
        ),
        (
            _("Measurements"),
            {
                "fields": [
                    "instruments",
                    "endmeasurement_months_before_end",
                    "followup_months_after_end",
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        missing = missing_legal_categories(form.instance)
        if missing:
            # Allowed (pilots predate the law), but a beheerder should notice it.
            messages.warning(
                request,
                ngettext(
                    "Note: %(categories)s is not in the standard package, while the law "
                    "(art. 56a Participatiewet) names rent, energy, water and health "
                    "insurance.",
                    "Note: %(categories)s are not in the standard package, while the law "
                    "(art. 56a Participatiewet) names rent, energy, water and health "
                    "insurance.",
                    len(missing),
                )
                % {"categories": ", ".join(missing)},
            )


class InstrumentLevelInline(admin.TabularInline):
    model = InstrumentLevel
    formset = InstrumentLevelFormSet
    extra = 0
    min_num = 2


@admin.register(Instrument)
class InstrumentAdmin(AuditedModelAdmin):
    list_display = ["name", "purpose", "scale", "level_count", "exit_from"]
    list_filter = ["purpose", "scale"]
    search_fields = ["name"]
    fields = ["name", "description", "purpose", "scale", "max_count"]
    inlines = [InstrumentLevelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description=_("levels"))
    def level_count(self, instrument):
        return len(instrument.levels.all())

    @admin.display(description=_("may stop from"))
    def exit_from(self, instrument):
        exits = [level for level in instrument.levels.all() if level.is_exit]
        return str(min(exits, key=lambda level: level.rank)) if exits else "-"
