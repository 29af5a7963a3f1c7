"""Admin (Beheer → Andere kenmerken van de betaalrekening): how a bank names a region's paying
account when its statements carry no IBAN. Audited: an identifier decides which region's
statements a file is taken for."""

from django.contrib import admin

from ontzorg.audit.admin import AuditedModelAdmin

from .models import AccountAlias


@admin.register(AccountAlias)
class AccountAliasAdmin(AuditedModelAdmin):
    list_display = ["identifier", "region", "note"]
    list_filter = ["region"]
    search_fields = ["identifier", "note"]
