"""Admin of the evaluation studies: a beheerder names a new study, which gets its own secret
key (and so pseudonyms that cannot be linked to another study's). The key is never shown."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Study


@admin.register(Study)
class StudyAdmin(AuditedModelAdmin):
    list_display = ["name", "created_at"]
    fields = ["name", "created_at"]
    readonly_fields = ["created_at"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a study would throw its key away; its pseudonyms could not be made again.
        return False
