"""Read-only admin for the ledger: rows are inspected here, never changed."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import Account, Entry, Transaction


class ReadOnlyAdmin(AuditedModelAdmin):
    """Audited like all money data, though nothing can be changed here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(admin.TabularInline):
    model = Entry
    fields = ["account", "amount_cents"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "participant", "region"]
    list_filter = ["kind", "region"]
    raw_id_fields = ["participant"]


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["key", "booked_on", "period", "description", "source", "run"]
    list_filter = ["source", "period"]
    search_fields = ["key", "description"]
    inlines = [EntryInline]
