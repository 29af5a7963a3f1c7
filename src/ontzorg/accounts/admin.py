"""Admin (/beheer/) for organisations, roles, users and their second factor (django-otp's
TOTP devices and recovery codes); every change is audited, a device's key and recovery codes
only as "changed"."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.audit.admin import AuditedMixin, AuditedModelAdmin, AuditedUserAdmin

from .models import Organisation, Role, User

RIGHTS = [
    "sees_bsn",
    "sees_bank",
    "edits_participants",
    "prepares_payments",
    "approves_payments",
    "exports_pseudonymised",
    "views_audit",
    "records_guidance",
]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "region", "municipality", "audience"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "audience"]


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    """The six roles ship as data and code refers to their codes: rights are editable, the
    roles themselves cannot be added or removed."""

    list_display = ["name", "code", "scope", *RIGHTS]
    readonly_fields = ["code"]
    fields = ["code", "name", "scope", *RIGHTS]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation__region", "organisation", "is_active", "is_staff"]
    list_select_related = ["role", "organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:2],
        (_("Organisation and role"), {"fields": ["organisation", "role"]}),
        *DjangoUserAdmin.fieldsets[2:],
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Organisation and role"), {"fields": ["organisation", "role"]}),
    ]


# django-otp registers its own, unaudited admins; ours are the same with the audit added
# (OTP_ADMIN_HIDE_SENSITIVE_DATA still hides the key and the codes of an existing device).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedMixin, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class AuditedStaticDeviceAdmin(AuditedMixin, StaticDeviceAdmin):
    pass
