"""Admin (/beheer/) for participants and what belongs to them.

Personal data stays behind the same rules as in the caseworker UI: lists go through
`core.access`, every opened page is written to the audit trail, changes go through the
participant services (which audit them), and new participants come in through the intake
(which checks eligibility), never through the admin."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.audit import services as audit
from ontzorg.audit.admin import AuditedModelAdmin
from ontzorg.core import access
from ontzorg.core.search import FoldedAdminSearch

from . import services
from .models import (
    Decision,
    Household,
    HouseholdMember,
    HouseholdMove,
    Participant,
    SelectionDraw,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedViewMixin:
    """Records who opened an object's page, for each participant it shows."""

    what = ""

    def participants_of(self, request, obj) -> list[Participant]:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            for participant in self.participants_of(request, obj) if obj else []:
                audit.record_view(request.user, participant, what=self.what)
        return super().change_view(request, object_id, form_url, extra_context)


class DecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = Decision
    fields = ["decided_on", "kind", "outcome", "reason", "decided_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(FoldedAdminSearch, AuditedViewMixin, AuditedModelAdmin):
    what = "deelnemer in beheer"
    list_display = [
        "last_name",
        "first_name",
        "region",
        "municipality",
        "phase",
        "case_worker",
        "guidance_organisation",
    ]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["phase", "regeling__region", "gender", "literacy", "needs_interpreter"]
    search_fields = ["search_name"]
    list_select_related = [
        "regeling__region",
        "household__municipality",
        "case_worker",
        "guidance_organisation",
    ]
    # The phase changes only through the lifecycle (decisions, the draw, the plan).
    readonly_fields = ["household", "regeling", "phase", "created_at", "updated_at"]
    inlines = [DecisionInline]

    def get_queryset(self, request):
        return Participant.objects.visible_to(request.user)

    def get_exclude(self, request, obj=None):
        # Where the money goes changes only through a four-eyes proposal
        # ("Rekeninggegevens begunstigde"); those who see bank data see it read-only.
        hidden = list(services.PAYEE_FIELDS)
        if not access.may(request.user, "sees_bsn"):
            hidden.append("bsn")
        return hidden

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if access.may(request.user, "sees_bank"):
            fields += sorted(services.PAYEE_FIELDS)
        return fields

    def participants_of(self, request, obj):
        return [obj]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The service audits the change, so the base class's audit entry is not wanted here.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_participant(request.user, obj, changes)

    @admin.display(description=_("region"), ordering="regeling__region__name")
    def region(self, participant):
        return participant.regeling.region

    @admin.display(description=_("municipality"), ordering="household__municipality__name")
    def municipality(self, participant):
        return participant.household.municipality


class HouseholdMemberInline(ReadOnlyMixin, admin.TabularInline):
    model = HouseholdMember
    fields = [
        "kind",
        "first_name",
        "date_of_birth",
        "is_student",
        "starts_on",
        "ends_on",
        "income_cents",
    ]
    readonly_fields = fields
    extra = 0


class HouseholdMoveInline(ReadOnlyMixin, admin.TabularInline):
    model = HouseholdMove
    fk_name = "household"
    fields = ["moves_on", "from_address", "to_address", "recorded_by"]
    readonly_fields = fields
    extra = 0


class HouseholdParticipantInline(ReadOnlyMixin, admin.TabularInline):
    model = Participant
    fields = ["first_name", "last_name", "household_role", "phase"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(Household)
class HouseholdAdmin(FoldedAdminSearch, ReadOnlyMixin, AuditedViewMixin, AuditedModelAdmin):
    """Read-only: addresses change through the caseworker UI, which audits the change."""

    what = "huishouden in beheer"
    list_display = ["__str__", "postcode", "municipality", "size"]
    list_filter = ["municipality__region"]
    search_fields = ["participants__search_name", "street"]
    inlines = [HouseholdParticipantInline, HouseholdMemberInline, HouseholdMoveInline]

    def get_queryset(self, request):
        visible = Participant.objects.visible_to(request.user).values("household_id")
        return (
            Household.objects.filter(pk__in=visible)
            .select_related("municipality")
            .prefetch_related("participants", "members")
        )

    def participants_of(self, request, obj):
        return list(Participant.objects.visible_to(request.user).filter(household=obj))

    @admin.display(description=_("people"))
    def size(self, household):
        today = timezone.localdate()
        members = [m for m in household.members.all() if m.lives_there_on(today)]
        return len(household.participants.all()) + len(members)


@admin.register(Decision)
class DecisionAdmin(FoldedAdminSearch, ReadOnlyMixin, AuditedViewMixin, AuditedModelAdmin):
    """Read-only: decisions are recorded with their reason through the caseworker UI."""

    what = "besluit in beheer"
    list_display = ["participant", "kind", "outcome", "decided_on", "decided_by"]
    list_filter = ["kind", "outcome", "participant__regeling__region"]
    search_fields = ["participant__search_name", "reason"]
    list_select_related = ["participant", "decided_by"]

    def get_queryset(self, request):
        return access.restrict(super().get_queryset(request), request.user)

    def participants_of(self, request, obj):
        return [obj.participant]


@admin.register(SelectionDraw)
class SelectionDrawAdmin(ReadOnlyMixin, AuditedModelAdmin):
    """Read-only: a draw must stay reproducible from its seed and pool."""

    list_display = ["regeling", "size", "pool_size", "seed", "drawn_by", "drawn_at", "replays"]
    list_filter = ["regeling__region"]
    search_fields = ["regeling__name", "regeling__region__name"]
    list_select_related = ["regeling", "drawn_by"]

    def get_queryset(self, request):
        return access.restrict(super().get_queryset(request), request.user)

    @admin.display(description=_("candidates"))
    def pool_size(self, draw):
        return len(draw.candidate_ids)

    @admin.display(description=_("can be drawn again"), boolean=True)
    def replays(self, draw):
        return services.replay(draw) == draw.selected_ids
