"""Admin (Beheer → Betaalrekeningen) for the account each region pays from; audited, since
a changed IBAN changes where the money comes from."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import DebtorAccount


@admin.register(DebtorAccount)
class DebtorAccountAdmin(AuditedModelAdmin):
    list_display = ["region", "name", "iban", "bic"]
    search_fields = ["name", "iban"]
