"""Admin for the creditor register and the norm table (audited: a changed norm is in the audit
trail; a creditor's account changes only by four eyes, ``plans.payees``); plans are changed
through services, so their admin is read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ontzorg.audit.admin import AuditedModelAdmin

from . import payees
from .models import BenefitNorm, Creditor, LineAmount, Plan, PlanLine


@admin.register(Creditor)
class CreditorAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "iban", "kvk_number", "town", "region", "is_active"]
    list_filter = ["category", "region", "is_active"]
    search_fields = ["name", "iban", "kvk_number"]

    def get_readonly_fields(self, request, obj=None):
        # Where a creditor's money goes is set and changed only through a four-eyes proposal
        # (plans.payees), never in one step here: a creditor added here has no account yet.
        fields = [*super().get_readonly_fields(request, obj), *payees.FIELDS[payees.CREDITOR]]
        return [*fields, "payee_page"] if obj is not None else fields

    @admin.display(description=_("change account details"))
    def payee_page(self, creditor):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("plans:creditor_payee", args=[creditor.pk]),
            _("Via Payee account details (a colleague approves)"),
        )


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
