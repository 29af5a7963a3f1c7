"""Pages for case workers: dashboard, participant list and detail, intake, decisions, selection.

Views hold no business rules: they read through `Participant.objects.visible_to(user)` and act
through `services`, which check rights and write the audit trail."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ontzorg.accounts.constants import RoleCode, Scope
from ontzorg.exceptions import Refused

from . import attention, services
from .constants import Phase
from .forms import DecisionForm, IntakeForm, ParticipantFilterForm, ParticipantForm, SelectionForm
from .models import Participant, SelectionDraw

PAGE_SIZE = 25
# Roles with a personal caseload see "their" participants first; others see their scope.
PERSONAL_ROLES = (RoleCode.KLANTMANAGER, RoleCode.BUDGETCOACH)


def _is_personal(user) -> bool:
    return not user.is_superuser and user.role_code in PERSONAL_ROLES


def _may_edit(user) -> bool:
    return user.is_superuser or user.has_right("edits_participants")


def _participant_or_404(request, pk, what: str = "deelnemerspagina") -> Participant:
    """The participant if in the user's scope (else 404, not 403: no hint it exists); the
    view is written to the audit trail."""
    try:
        return services.view_participant(request.user, pk, request=request, what=what)
    except Participant.DoesNotExist:
        raise Http404("Deelnemer niet gevonden") from None


@require_GET
def dashboard(request):
    user = request.user
    visible = Participant.objects.visible_to(user)
    personal = _is_personal(user)
    scope = visible.caseload(user) if personal else visible
    counts = dict(scope.values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    phases = [(phase, label, counts[phase]) for phase, label in Phase.choices if counts.get(phase)]
    return render(
        request,
        "participants/dashboard.html",
        {
            "personal": personal,
            "no_scope": not user.is_superuser
            and (user.role is None or user.role.scope == Scope.NONE),
            "phases": phases,
            "total": sum(counts.values()),
            "attention_items": attention.links_for(
                user, scope, reverse("participants:list"), "mijn=1&" if personal else ""
            ),
            "recent": scope.select_related("household__municipality").order_by("-updated_at")[:8],
            "mine_query": "mijn=1&" if personal else "",
            "may_edit": _may_edit(user),
        },
    )


def _filtered(request):
    visible = Participant.objects.visible_to(request.user)
    form = ParticipantFilterForm(request.GET or None, user=request.user, visible=visible)
    participants = form.apply(visible) if form.is_bound else visible
    return form, participants


@require_GET
def participant_list(request):
    form, participants = _filtered(request)
    participants = participants.select_related(
        "household__municipality", "regeling", "case_worker", "guidance_organisation"
    ).order_by("last_name", "first_name", "pk")
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "may_edit": _may_edit(request.user),
        "sees_bsn": request.user.sees_bsn or request.user.is_superuser,
        "show_regeling": form.fields["regeling"].queryset.count() > 1,
    }
    # htmx live search swaps only the results; a boosted or full request gets the page.
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, "participants/_results.html", {**context, "oob": True})
    return render(request, "participants/list.html", context)


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
def participant_export(request):
    _, participants = _filtered(request)
    header, rows = services.export_participants(
        request.user, participants.order_by("last_name", "first_name", "pk"), request=request
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{stamp}.csv"'
    # The BOM and the semicolon are what Dutch Excel expects.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


def _detail_context(request, participant, decision_form=None):
    user = request.user
    try:
        plan_url = reverse("plans:overview", args=[participant.pk])
    except NoReverseMatch:
        plan_url = None
    household = participant.household
    return {
        "participant": participant,
        "sees_bsn": user.sees_bsn or user.is_superuser,
        "sees_bank": user.sees_bank or user.is_superuser,
        "may_edit": _may_edit(user),
        "views_audit": user.is_superuser or user.has_right("views_audit"),
        "plan_url": plan_url,
        "eligibility": services.check_eligibility(participant),
        "provisional_end_on": services.provisional_end_on(participant),
        "age": participant.age_on(timezone.localdate()),
        "housemates": Participant.objects.visible_to(user)
        .filter(household=household)
        .exclude(pk=participant.pk),
        "members": household.members.order_by("date_of_birth"),
        "decisions": participant.decisions.select_related("decided_by"),
        "decision_form": decision_form or DecisionForm(),
    }


@require_GET
def participant_detail(request, pk):
    participant = _participant_or_404(request, pk)
    return render(request, "participants/detail.html", _detail_context(request, participant))


@require_POST
def participant_decision(request, pk):
    if not _may_edit(request.user):
        raise PermissionDenied
    participant = _participant_or_404(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_decision(
                request.user,
                participant,
                kind=form.cleaned_data["kind"],
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["decided_on"],
                request=request,
            )
        except Refused as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(request, "Het besluit is vastgelegd.")
            return redirect("participants:detail", pk=participant.pk)
    participant.refresh_from_db()
    context = _detail_context(request, participant, decision_form=form)
    return render(request, "participants/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def participant_create(request):
    if not _may_edit(request.user):
        raise PermissionDenied
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        participant = services.register_intake(
            request.user,
            household=form.household_data(),
            participant=form.participant_data(),
            request=request,
        )
        messages.success(request, f"De intake van {participant.full_name} is vastgelegd.")
        return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/form.html",
        {"form": form, "title": "Nieuwe deelnemer", "intake": True},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def participant_edit(request, pk):
    if not _may_edit(request.user):
        raise PermissionDenied
    participant = _participant_or_404(request, pk, what="wijzigformulier")
    form = ParticipantForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if changes:
            services.update_participant(
                request.user, Participant.objects.get(pk=pk), changes, request=request
            )
            messages.success(request, "De wijzigingen zijn opgeslagen.")
        else:
            messages.info(request, "Er was niets gewijzigd.")
        return redirect("participants:detail", pk=pk)
    return render(
        request,
        "participants/form.html",
        {"form": form, "participant": participant, "title": f"{participant.full_name} wijzigen"},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def selection(request):
    user = request.user
    if not _may_edit(user):
        raise PermissionDenied
    regelingen = list(services.random_regelingen_for(user))
    initial = (
        {"regeling": regelingen[0].pk, "size": regelingen[0].target_participants or None}
        if regelingen
        else {}
    )
    if request.GET.get("regeling"):
        initial["regeling"] = request.GET["regeling"]
    form = SelectionForm(request.POST or None, user=user, initial=initial)
    context = {"form": form, "regelingen": regelingen}
    if request.method == "POST" and form.is_valid():
        regeling = form.cleaned_data["regeling"]
        size, seed = form.cleaned_data["size"], form.cleaned_data["seed"]
        pool = services.selection_pool(user, regeling)
        if size > len(pool):
            form.add_error(
                "size",
                f"Er zijn maar {len(pool)} geschikte kandidaten; u vraagt er {size}.",
            )
        elif not form.cleaned_data["confirmed"]:
            form.hide_inputs()
            return render(
                request,
                "participants/selection_confirm.html",
                {"form": form, "regeling": regeling, "size": size, "seed": seed, "pool": pool},
            )
        else:
            try:
                draw = services.draw_selection(user, regeling, size, seed=seed, request=request)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"De loting is gedaan: {size} uit {len(pool)}.")
                return redirect("participants:selection_result", pk=draw.pk)
    context["pools"] = [
        (regeling, len(services.selection_pool(user, regeling))) for regeling in regelingen
    ]
    context["draws"] = (
        SelectionDraw.objects.filter(regeling__in=regelingen)
        .select_related("regeling", "drawn_by")
        .order_by("-drawn_at")[:10]
    )
    return render(
        request, "participants/selection.html", context, status=400 if form.errors else 200
    )


@require_GET
def selection_result(request, pk):
    user = request.user
    if not _may_edit(user):
        raise PermissionDenied
    draw = get_object_or_404(
        SelectionDraw.objects.select_related("regeling", "drawn_by"),
        pk=pk,
        regeling__in=services.random_regelingen_for(user),
    )
    selected = Participant.objects.visible_to(user).filter(pk__in=draw.selected_ids)
    context = {"draw": draw, "selected": selected, "pool_size": len(draw.candidate_ids)}
    if request.GET.get("controleer"):
        replayed = services.replay(draw)
        context["replayed"] = replayed
        context["matches"] = replayed == sorted(draw.selected_ids)
    return render(request, "participants/selection_result.html", context)
