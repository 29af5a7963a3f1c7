"""The audit trail in the admin (/beheer/), read-only; and `AuditedModelAdmin`, the base of
every admin that holds configuration or money data: each add, change and delete in the
admin writes an audit entry with the before and after values."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ontzorg.core import access, privacy

from . import events
from .models import AuditEntry
from .services import diff, record, snapshot

# Never written into the trail, not even as a hash: only that it changed.
SECRET_FIELDS = {"password", "secret_key"}
# The same for framework models whose secret has a plain name: the second factor's TOTP key
# and recovery codes (django-otp), the private key of a DigiD certificate signing request.
SECRET_FIELDS_OF = {
    "otp_totp.TOTPDevice": {"key"},
    "otp_static.StaticToken": {"token"},
    "simple_certmanager.SigningRequest": {"private_key"},
}


def _values(obj) -> dict:
    values = snapshot(obj)
    secret = SECRET_FIELDS | SECRET_FIELDS_OF.get(obj._meta.label, set())
    for name in secret & set(values):
        values[name] = "(gewijzigd)"
    return values


# A model with one of these fields shows a BSN or a bank account: reading it is audited.
PERSONAL_FIELDS = {"bsn", "iban", "account_iban", "counterparty_iban", "repay_iban"}


def _search(request) -> str:
    return privacy.mask_digits(request.GET.get("q", "")) or "-"


def _shown(response) -> list:
    changelist = getattr(response, "context_data", {}).get("cl")
    return list(changelist.result_list) if changelist is not None else []


class AuditedMixin:
    """Writes an audit entry for every add, change and delete done through this admin, and
    for every list or page of a model that shows a BSN or IBAN (what was listed or opened,
    and the search with its numbers masked)."""

    def _reads_personal_data(self) -> bool:
        return any(field.name in PERSONAL_FIELDS for field in self.model._meta.fields)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and self._reads_personal_data():
            shown = _shown(response)
            record(
                request.user,
                events.ADMIN_LIST_VIEWED,
                object_type=self.model._meta.label,
                changes={"getoond": [None, [str(obj.pk) for obj in shown]]},
                model=str(self.model._meta.verbose_name_plural),
                count=len(shown),
                search=_search(request),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Admins that audit their own page views per participant (participants_of) are left
        # to do so: one entry per page view.
        opened = request.method == "GET" and getattr(response, "status_code", 0) == 200
        if opened and self._reads_personal_data() and not hasattr(self, "participants_of"):
            obj = self.get_object(request, object_id)
            if obj is not None:
                record(
                    request.user,
                    events.ADMIN_VIEWED,
                    obj,
                    participant=self._participant(obj),
                    model=str(self.model._meta.verbose_name),
                )
        return response

    def _participant(self, obj):
        return access.participant_of(obj)

    def save_model(self, request, obj, form, change):
        before, stored = {}, None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = _values(stored) if stored is not None else {}
        old_password = getattr(stored, "password", None) if before else None
        super().save_model(request, obj, form, change)
        after = _values(obj)
        changes = diff(before, after) if change else {k: [None, v] for k, v in after.items()}
        if change and old_password is not None and old_password != obj.password:
            changes["password"] = ["(oud)", "(nieuw)"]
        if change and not changes:
            return
        record(
            request.user,
            events.ADMIN_CHANGED if change else events.ADMIN_ADDED,
            obj,
            participant=self._participant(obj),
            changes=changes,
            model=str(obj._meta.verbose_name),
        )

    def save_related(self, request, form, formsets, change):
        before = {
            field.name: sorted(
                str(pk) for pk in getattr(form.instance, field.name).values_list("pk", flat=True)
            )
            for field in form.instance._meta.many_to_many
            if change and field.name in form.cleaned_data
        }
        super().save_related(request, form, formsets, change)
        after = {
            name: sorted(
                str(pk) for pk in getattr(form.instance, name).values_list("pk", flat=True)
            )
            for name in before
        }
        changes = diff(before, after)
        if changes:
            record(
                request.user,
                events.ADMIN_CHANGED,
                form.instance,
                participant=self._participant(form.instance),
                changes=changes,
                model=str(form.instance._meta.verbose_name),
            )

    def save_formset(self, request, form, formset, change):
        """Inline rows (a regeling's package, an instrument's levels) are audited one by one,
        on the parent's trail."""
        before = {}
        for inline_form in formset.initial_forms:
            if inline_form.instance.pk is not None:
                stored = (
                    type(inline_form.instance)
                    ._default_manager.filter(pk=inline_form.instance.pk)
                    .first()
                )
                if stored is not None:
                    before[id(inline_form.instance)] = _values(stored)
        super().save_formset(request, form, formset, change)
        parent = form.instance
        for obj in formset.new_objects:
            self._record_inline(request, parent, obj, {}, _values(obj), events.ADMIN_ADDED)
        for obj, _fields in formset.changed_objects:
            self._record_inline(
                request, parent, obj, before.get(id(obj), {}), _values(obj), events.ADMIN_CHANGED
            )
        for obj in formset.deleted_objects:
            old = before.get(id(obj), {})
            self._record_inline(request, parent, obj, old, {}, events.ADMIN_DELETED)

    def _record_inline(self, request, parent, obj, before, after, event):
        changes = diff(before, after)
        if not changes:
            return
        record(
            request.user,
            event,
            obj,
            participant=self._participant(parent),
            changes=changes,
            model=str(obj._meta.verbose_name),
        )

    def delete_model(self, request, obj):
        self._record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _record_delete(self, request, obj):
        record(
            request.user,
            events.ADMIN_DELETED,
            obj,
            participant=self._participant(obj),
            changes={k: [v, None] for k, v in _values(obj).items()},
            model=str(obj._meta.verbose_name),
        )


class AuditedModelAdmin(AuditedMixin, admin.ModelAdmin):
    """The admin base for configuration and money data."""


class AuditedUserAdmin(AuditedMixin, UserAdmin):
    """Django's user admin, audited; a password change is recorded without its value."""

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            record(
                request.user,
                events.ADMIN_CHANGED,
                user,
                changes={"password": ["(oud)", "(nieuw)"]},
                model=str(user._meta.verbose_name),
            )
        return response


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "event", "object_type", "object_id", "text"]
    list_filter = ["action", "event", "object_type"]
    search_fields = ["summary", "actor_name", "object_id", "event"]
    date_hierarchy = "at"
    list_select_related = ["participant"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and request.GET.get("q"):
            record(
                request.user,
                events.TRAIL_SEARCHED,
                object_type=AuditEntry._meta.label,
                search=_search(request),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening an entry about a person, or one whose changes hold a BSN or IBAN, is a
        reading of personal data too: audited as such."""
        response = super().change_view(request, object_id, form_url, extra_context)
        opened = request.method == "GET" and getattr(response, "status_code", 0) == 200
        entry = self.get_object(request, object_id) if opened else None
        if entry is not None and (
            entry.participant_id or PERSONAL_FIELDS & set(entry.changes or {})
        ):
            record(
                request.user,
                events.ADMIN_VIEWED,
                entry,
                # getattr: the entry keeps its participant's id even if the row is gone.
                participant=getattr(entry, "participant", None),
                model=str(AuditEntry._meta.verbose_name),
            )
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
