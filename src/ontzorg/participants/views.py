"""Pages for case workers: dashboard, participant list and detail, intake, decisions, selection.

Views hold no business rules: access is declared with `core.access.view`, lists read through
`Participant.objects.visible_to(user)`, and actions go through `services`, which check rights
and write the audit trail."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.accounts.constants import RoleCode, Scope
from ontzorg.core import access, privacy
from ontzorg.core.spreadsheet import safe_cell
from ontzorg.exceptions import Refused
from ontzorg.plans import payees

from . import attention, backoffice, services
from .constants import Phase
from .forms import DecisionForm, IntakeForm, ParticipantFilterForm, ParticipantForm, SelectionForm
from .models import Participant, SelectionDraw

PAGE_SIZE = 25
# Roles with a personal caseload see "their" participants first; others see their scope.
PERSONAL_ROLES = (RoleCode.KLANTMANAGER, RoleCode.BUDGETCOACH)
EDITS = ("edits_participants",)
# A participant's page shows the household, the regeling and who guides them.
PARTICIPANT = Participant.objects.select_related(
    "household__municipality",
    "regeling__region",
    "case_worker",
    "guidance_organisation",
    "coach",
)


def _is_personal(user) -> bool:
    return not user.is_superuser and user.role_code in PERSONAL_ROLES


def _may_edit(user) -> bool:
    return access.may(user, *EDITS)


@access.view()
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
            "no_scope": access.scope_of(user) == Scope.NONE,
            "phases": phases,
            "total": sum(counts.values()),
            "attention_items": attention.links_for(
                user, scope, reverse("participants:list"), "mijn=1&" if personal else ""
            ),
            "recent": scope.select_related("household__municipality").order_by("-updated_at")[:8],
            "mine_query": "mijn=1&" if personal else "",
            "may_edit": _may_edit(user),
            "backoffice": backoffice.work_for(user),
        },
    )


def _filter_data(request):
    """The list's filters: from the POST body (the search form posts, so a BSN never ends
    up in a URL) or, for links such as the dashboard's, from the query string."""
    return request.POST if request.method == "POST" else request.GET


def _bsn_in_url(request):
    """A BSN-like search in a URL is refused: back to the list without it, with a message."""
    if request.method == "GET" and privacy.looks_like_bsn(request.GET.get("q", "")):
        messages.error(
            request,
            _(
                "Searching by BSN is only possible with the search field on the page: "
                "a BSN does not belong in a web address."
            ),
        )
        kept = request.GET.copy()
        del kept["q"]
        url = reverse("participants:list")
        return redirect(f"{url}?{kept.urlencode()}" if kept else url)
    return None


def _filtered(request):
    visible = Participant.objects.visible_to(request.user)
    data = _filter_data(request)
    form = ParticipantFilterForm(data or None, user=request.user, visible=visible)
    participants = form.apply(visible) if form.is_bound else visible
    return form, participants


CARRIED_EXCLUDED = ("csrfmiddlewaretoken", "page")


@access.view(methods=("GET", "POST"))
def participant_list(request):
    refused = _bsn_in_url(request)
    if refused:
        return refused
    form, participants = _filtered(request)
    participants = participants.select_related(
        "household__municipality", "regeling", "case_worker", "guidance_organisation"
    ).order_by("last_name", "first_name", "pk")
    data = _filter_data(request)
    page = Paginator(participants, PAGE_SIZE).get_page(data.get("page"))
    # The search as applied: an invalid form filters nothing, and its text is not written.
    search = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    services.record_list_view(request.user, page.object_list, search)
    context = {
        "form": form,
        "page": page,
        # The filters travel on in the POST bodies of the page and download buttons.
        "carried": [
            (key, value)
            for key, values in data.lists()
            if key not in CARRIED_EXCLUDED
            for value in values
            if value
        ],
        "filtered": any(v for k, v in data.items() if k not in CARRIED_EXCLUDED),
        "may_edit": _may_edit(request.user),
        "sees_bsn": access.may(request.user, "sees_bsn"),
        "show_regeling": form.fields["regeling"].queryset.count() > 1,
    }
    # htmx live search swaps only the results; a boosted or full request gets the page.
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, "participants/_results.html", {**context, "oob": True})
    return render(request, "participants/list.html", context)


@access.view(methods=("GET", "POST"))
def participant_export(request):
    refused = _bsn_in_url(request)
    if refused:
        return refused
    _, participants = _filtered(request)
    header, rows = services.export_participants(
        request.user, participants.order_by("last_name", "first_name", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{stamp}.csv"'
    # The BOM and the semicolon are what Dutch Excel expects.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
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
        "sees_bsn": access.may(user, "sees_bsn"),
        "sees_bank": access.may(user, "sees_bank"),
        "may_edit": _may_edit(user),
        "views_audit": access.may(user, "views_audit"),
        "plan_url": plan_url,
        "eligibility": services.check_eligibility(participant),
        "provisional_end_on": participant.provisional_end_on,
        "age": participant.age_on(timezone.localdate()),
        "housemates": Participant.objects.visible_to(user)
        .filter(household=household)
        .exclude(pk=participant.pk),
        "members": household.members.current(timezone.localdate()).order_by("date_of_birth"),
        "decisions": participant.decisions.select_related("decided_by"),
        "decision_form": decision_form or DecisionForm(),
        "may_change_payee": access.may(user, "prepares_payments"),
        "payee_pending": _payee_change_pending(participant),
    }


def _payee_change_pending(participant) -> bool:
    return payees.pending_for(participant).exists()


@access.view(objects={"pk": PARTICIPANT}, audit="deelnemerspagina")
def participant_detail(request, participant):
    return render(request, "participants/detail.html", _detail_context(request, participant))


@access.view(methods=("POST",), rights=EDITS, objects={"pk": PARTICIPANT}, audit="deelnemerspagina")
def participant_decision(request, participant):
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
            )
        except Refused as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("participants:detail", pk=participant.pk)
    participant.refresh_from_db()
    context = _detail_context(request, participant, decision_form=form)
    return render(request, "participants/detail.html", context, status=400)


@access.view(methods=("GET", "POST"), rights=EDITS)
def participant_create(request):
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        participant = services.register_intake(
            request.user,
            household=form.household_data(),
            participant=form.participant_data(),
        )
        messages.success(
            request,
            _("The intake of %(name)s has been recorded.") % {"name": participant.full_name},
        )
        return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/form.html",
        {"form": form, "title": _("New participant"), "intake": True},
        status=400 if form.is_bound else 200,
    )


@access.view(
    methods=("GET", "POST"), rights=EDITS, objects={"pk": PARTICIPANT}, audit="wijzigformulier"
)
def participant_edit(request, participant):
    form = ParticipantForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if changes:
            services.update_participant(request.user, participant, changes)
            messages.success(request, _("The changes have been saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Change %(name)s") % {"name": participant.full_name},
            "sees_bank": access.may(request.user, "sees_bank"),
            "may_change_payee": access.may(request.user, "prepares_payments"),
        },
        status=400 if form.is_bound else 200,
    )


@access.view(methods=("GET", "POST"), rights=EDITS)
def selection(request):
    user = request.user
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
        size = form.cleaned_data["size"]
        pool = services.selection_pool(user, regeling)
        if size > len(pool):
            form.add_error(
                "size",
                _("There are only %(n)d eligible candidates; you ask for %(size)d.")
                % {"n": len(pool), "size": size},
            )
        elif not form.cleaned_data["confirmed"]:
            form.hide_inputs()
            return render(
                request,
                "participants/selection_confirm.html",
                {"form": form, "regeling": regeling, "size": size, "pool": pool},
            )
        else:
            try:
                draw = services.draw_selection(user, regeling, size)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("The selection draw is done: %(size)s out of %(pool)s.")
                    % {"size": size, "pool": len(pool)},
                )
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


@access.view(
    rights=EDITS,
    objects={"pk": ("draw", SelectionDraw.objects.select_related("regeling", "drawn_by"))},
)
def selection_result(request, draw):
    user = request.user
    selected = Participant.objects.visible_to(user).filter(pk__in=draw.selected_ids)
    context = {"draw": draw, "selected": selected, "pool_size": len(draw.candidate_ids)}
    if request.GET.get("controleer"):
        replayed = services.replay(draw)
        context["replayed"] = replayed
        context["matches"] = replayed == sorted(draw.selected_ids)
    return render(request, "participants/selection_result.html", context)
