"""Admin for creditor API clients (the token is shown once, on creation), the routes of
signals per region and kind of creditor, and signals.

Both are audited admins: a new client and a new token are audited by the services that make
them, every other change by ``AuditedModelAdmin``."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.audit.admin import AuditedModelAdmin

from . import services
from .models import ApiClient, Signal, SignalRoute, StatusChange


@admin.register(ApiClient)
class ApiClientAdmin(AuditedModelAdmin):
    list_display = ["name", "creditor_kind", "is_active", "last_used_at", "token_prefix"]
    list_filter = ["creditor_kind", "is_active", "regions"]
    search_fields = ["name"]
    filter_horizontal = ["regions"]
    readonly_fields = ["token_prefix", "created_at", "last_used_at"]
    actions = ["new_token"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, token = services.create_api_client(
            request.user,
            name=obj.name,
            creditor_kind=obj.creditor_kind,
            regions=form.cleaned_data["regions"],
        )
        obj.pk = client.pk
        obj._state.adding = False
        # Rendered straight into the response by response_add, never into a message or the
        # session, so the only copy is on the screen of the person who created it.
        request._new_token = token

    def save_related(self, request, form, formsets, change):
        if change:  # on add, create_api_client has set the regions already
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_token(request, obj, request._new_token)

    @admin.action(description=gettext_lazy("Make a new token (the old one stops working at once)"))
    def new_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one API client."), level="warning")
            return None
        client = queryset.get()
        return self._show_token(request, client, services.rotate_token(request.user, client))

    def _show_token(self, request, client, token):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "client": client,
            "token": token,
            "title": _("Token for %(client)s") % {"client": client},
        }
        return TemplateResponse(request, "admin/signals/apiclient/token.html", context)


@admin.register(SignalRoute)
class SignalRouteAdmin(AuditedModelAdmin):
    """Where a region's signals of one kind of creditor go; without a row, to the case
    worker and the guidance organisation. Applies to signals matched from then on."""

    list_display = ["region", "creditor_kind", "target", "debt_counsellor"]
    list_filter = ["region", "creditor_kind", "target"]
    list_select_related = ["region", "debt_counsellor"]
    fields = ["region", "creditor_kind", "target", "debt_counsellor"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note", "due_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Signal)
class SignalAdmin(AuditedModelAdmin):
    """Read only: signals change through their workflow in the application, which audits."""

    list_display = [
        "pk",
        "kind",
        "creditor_name",
        "region",
        "status",
        "due_on",
        "route",
        "after_end",
    ]
    list_filter = ["status", "kind", "source", "route", "after_end", "region"]
    date_hierarchy = "received_at"
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
