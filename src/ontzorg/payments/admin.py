"""Admin (Beheer → Betaalrekeningen) for the accounts payments are made from: each region's,
and a municipality's own where it pays its participants itself; audited. An account is set
up here; once it exists, its name, IBAN and BIC change only by a four-eyes proposal
(``payments.debtor_accounts``), never in one step here, and whose account it is not at all."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ontzorg.audit.admin import AuditedModelAdmin

from . import debtor_accounts
from .models import DebtorAccount


@admin.register(DebtorAccount)
class DebtorAccountAdmin(AuditedModelAdmin):
    list_display = ["region", "municipality", "name", "iban", "bic"]
    list_filter = ["region"]
    search_fields = ["name", "iban", "municipality__name"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["region", "municipality", *debtor_accounts.FIELDS, "change_page"]
        return fields

    @admin.display(description=_("change account"))
    def change_page(self, account):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("payments:debtor_account", args=[account.pk]),
            _("Through Payment runs → Paying account (a colleague approves)"),
        )

    def has_delete_permission(self, request, obj=None):
        return False
