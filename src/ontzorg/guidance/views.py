"""Pages of the guidance app: a participant's contacts and conditions, group activities with
sessions and attendance, and the guidance hours per participant and per organisation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ontzorg.exceptions import Refused
from ontzorg.participants import services as participant_services
from ontzorg.participants.models import Participant

from . import dashboard, services
from .forms import ActivityForm, ConditionForm, ContactForm, EnrollForm, SessionForm
from .models import Activity, Session


def _participant_or_404(request, pk) -> Participant:
    try:
        return participant_services.view_participant(
            request.user, pk, request=request, what="begeleiding"
        )
    except Participant.DoesNotExist:
        raise Http404("Deelnemer niet gevonden") from None


def _activity_or_404(user, pk) -> Activity:
    try:
        return Activity.objects.visible_to(user).select_related("training", "regeling").get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404("Activiteit niet gevonden") from None


def _require_record(user):
    if not services.may_record(user):
        raise PermissionDenied


def _participant_page(request, participant, contact_form=None, condition_form=None):
    may_record = services.may_record(request.user)
    return render(
        request,
        "guidance/participant.html",
        {
            "participant": participant,
            "contacts": participant.contacts.select_related("recorded_by", "organisation"),
            "attendances": participant.attendances.select_related("session__activity").order_by(
                "-session__held_on"
            ),
            "conditions": participant.practical_conditions.select_related("activity"),
            "minutes": services.participant_minutes(participant),
            "contact_form": (contact_form or ContactForm()) if may_record else None,
            "condition_form": (condition_form or ConditionForm()) if may_record else None,
        },
    )


@require_http_methods(["GET", "POST"])
def participant_guidance(request, pk):
    participant = _participant_or_404(request, pk)
    if request.method == "GET":
        return _participant_page(request, participant)
    _require_record(request.user)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.record_contact(request.user, participant, **form.cleaned_data, request=request)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Het contact is vastgelegd.")
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, contact_form=form)


@require_POST
def participant_condition(request, pk):
    _require_record(request.user)
    participant = _participant_or_404(request, pk)
    form = ConditionForm(request.POST)
    if form.is_valid():
        try:
            services.record_condition(
                request.user,
                participant,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                provided_on=form.cleaned_data["provided_on"],
                cost_cents=form.cost_cents(),
                request=request,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "De voorziening is vastgelegd.")
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, condition_form=form)


@require_http_methods(["GET", "POST"])
def activities(request):
    user = request.user
    may_record = services.may_record(user)
    form = ActivityForm(request.POST or None, user=user)
    if request.method == "POST":
        _require_record(user)
        if form.is_valid():
            try:
                activity = services.plan_activity(user, **form.cleaned_data, request=request)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "De activiteit is gepland.")
                return redirect("guidance:activity", pk=activity.pk)
    listed = (
        Activity.objects.visible_to(user)
        .select_related("training", "regeling__region", "organisation")
        .annotate(
            session_count=Count("sessions", distinct=True),
            next_on=Min("sessions__held_on", filter=Q(sessions__held_on__gte=timezone.localdate())),
        )
        .order_by("regeling__region__name", "name")
    )
    return render(
        request,
        "guidance/activities.html",
        {"activities": listed, "form": form if may_record else None},
    )


def _activity_page(request, activity, session_form=None, enroll_form=None):
    user = request.user
    visible = Participant.objects.visible_to(user)
    members = list(visible.filter(enrollments__activity=activity).order_by("last_name"))
    sessions = list(activity.sessions.prefetch_related("attendances"))
    rows = []
    for session in sessions:
        present = {a.participant_id: a.attended for a in session.attendances.all()}
        rows.append((session, [(m, present.get(m.pk)) for m in members]))
    may_record = services.may_record(user)
    return render(
        request,
        "guidance/activity.html",
        {
            "activity": activity,
            "members": members,
            "sessions": rows,
            "session_form": (session_form or SessionForm()) if may_record else None,
            "enroll_form": (enroll_form or EnrollForm(user=user, activity=activity))
            if may_record
            else None,
            "missing": set(
                dashboard.sessions_missing_attendance(user)
                .filter(activity=activity)
                .values_list("pk", flat=True)
            ),
        },
    )


@require_GET
def activity_detail(request, pk):
    return _activity_page(request, _activity_or_404(request.user, pk))


@require_POST
def session_add(request, pk):
    _require_record(request.user)
    activity = _activity_or_404(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(request.user, activity, **form.cleaned_data, request=request)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "De bijeenkomst is gepland.")
            return redirect("guidance:activity", pk=activity.pk)
    return _activity_page(request, activity, session_form=form)


@require_POST
def enroll(request, pk):
    _require_record(request.user)
    activity = _activity_or_404(request.user, pk)
    form = EnrollForm(request.POST, user=request.user, activity=activity)
    if form.is_valid():
        try:
            services.enroll(
                request.user, activity, form.cleaned_data["participant"], request=request
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "De deelnemer is aangemeld.")
            return redirect("guidance:activity", pk=activity.pk)
    return _activity_page(request, activity, enroll_form=form)


@require_POST
def attendance(request, pk):
    _require_record(request.user)
    try:
        session = Session.objects.get(pk=pk, activity__in=Activity.objects.visible_to(request.user))
    except Session.DoesNotExist:
        raise Http404("Bijeenkomst niet gevonden") from None
    listed = [int(v) for v in request.POST.getlist("deelnemer") if v.isdigit()]
    present = {int(v) for v in request.POST.getlist("aanwezig") if v.isdigit()}
    try:
        changed = services.record_attendance(
            request.user, session, {pk: pk in present for pk in listed}, request=request
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Aanwezigheid opgeslagen ({changed} gewijzigd).")
    return redirect("guidance:activity", pk=session.activity_id)


@require_GET
def hours(request):
    user = request.user
    participants = services.hours_per_participant(user).select_related(
        "household__municipality", "guidance_organisation", "regeling"
    )
    quiet_only = request.GET.get("zonder_contact") == "1"
    if quiet_only:
        participants = participants.filter(pk__in=dashboard.without_recent_contact(user))
    participants = participants.order_by("-guidance_minutes", "last_name", "pk")
    per_organisation = services.hours_per_organisation(user)
    return render(
        request,
        "guidance/hours.html",
        {
            "participants": participants,
            "per_organisation": per_organisation,
            "quiet_only": quiet_only,
            "quiet_weeks": dashboard.QUIET_DAYS // 7,
            "total_minutes": sum(r.total_minutes for r in per_organisation),
        },
    )
