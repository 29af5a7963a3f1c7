"""Proposals in the admin: to read only. A proposal is decided on its page (/voorstellen/),
never changed here, so the admin is no way around the second pair of eyes."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(AuditedModelAdmin):
    list_display = ["proposed_at", "kind", "summary", "region", "status", "proposed_by"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["summary", "kind"]
    date_hierarchy = "proposed_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
