"""Admin: the questions of checklist instruments and the assignments of a test are
configuration; measurements are read-only here (they are recorded through the service).
Every change made here is audited (`AuditedModelAdmin`)."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Assignment, ChecklistItem, Measurement


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedModelAdmin):
    list_display = ["instrument", "order", "text"]
    list_filter = ["instrument"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedModelAdmin):
    list_display = ["instrument", "order", "text", "max_score"]
    list_filter = ["instrument"]


@admin.register(Measurement)
class MeasurementAdmin(AuditedModelAdmin):
    list_display = ["participant", "instrument", "moment", "measured_on", "level", "perspective"]
    list_filter = ["instrument", "moment", "perspective"]
    list_select_related = ["participant", "instrument", "level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
