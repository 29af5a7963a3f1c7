"""Admin: read-only overviews; guidance is recorded through the services (audited)."""

from django.contrib import admin

from .models import Activity, Contact, PracticalCondition


class ReadOnlyAdmin(admin.ModelAdmin):
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
