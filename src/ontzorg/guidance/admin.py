"""Admin: read-only overviews; guidance is recorded through the services (audited). What the
admin may still do (delete) is audited too (`AuditedModelAdmin`)."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Activity, Contact, PracticalCondition, Referral


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "occurred_on", "duration_minutes", "organisation"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["participant", "organisation"]
    exclude = ["notes"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["name", "training", "level_group", "regeling", "organisation"]
    list_filter = ["regeling", "level_group"]


@admin.register(PracticalCondition)
class PracticalConditionAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "provided_on", "cost_cents"]
    list_filter = ["kind"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "organisation_name", "referred_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["participant"]
    exclude = ["reason"]
