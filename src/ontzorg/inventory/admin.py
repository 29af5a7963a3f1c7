"""Admin: read-only overviews of the inventory (it is recorded through the services, audited,
and its amounts are a history that is never changed) and the asset limits as configuration."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Asset, AssetLimit, Debt, IntegrationRecord


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Debt)
class DebtAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "creditor_name", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["participant"]
    exclude = ["note"]


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["participant"]
    exclude = ["description"]


@admin.register(IntegrationRecord)
class IntegrationRecordAdmin(ReadOnlyAdmin):
    list_display = ["participant", "recorded_on", "route", "pip_on", "language_level"]
    list_filter = ["route", "language_level"]
    list_select_related = ["participant"]


@admin.register(AssetLimit)
class AssetLimitAdmin(AuditedModelAdmin):
    list_display = ["valid_from", "household", "amount_cents"]
    list_filter = ["valid_from", "household"]
