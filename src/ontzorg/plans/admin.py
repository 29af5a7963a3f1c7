"""Admin for the creditor register and the norm table (audited: a changed IBAN or norm is in
the audit trail); plans are changed through services, so their admin is read-only."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import BenefitNorm, Creditor, LineAmount, Plan, PlanLine


@admin.register(Creditor)
class CreditorAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "iban", "kvk_number", "town", "region", "is_active"]
    list_filter = ["category", "region", "is_active"]
    search_fields = ["name", "iban", "kvk_number"]


@admin.register(BenefitNorm)
class BenefitNormAdmin(AuditedModelAdmin):
    list_display = ["valid_from", "household_type", "age_band", "with_children", "amount_cents"]
    list_filter = ["valid_from", "household_type", "age_band"]


class LineAmountInline(admin.TabularInline):
    model = LineAmount
    extra = 0
    can_delete = False
    readonly_fields = ["amount_cents", "valid_from", "note", "created_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(AuditedModelAdmin):
    """Plans change through the plan pages (services with audit), not through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["participant", "regeling", "start_on", "planned_end_on", "ended_on", "status"]
    list_filter = ["status", "regeling"]


@admin.register(PlanLine)
class PlanLineAdmin(ReadOnlyAdmin):
    list_display = ["plan", "category", "creditor", "reference", "starts_on", "ends_on"]
    list_filter = ["category"]
    inlines = [LineAmountInline]
