"""Pages of the guidance app: a participant's contacts and conditions, group activities with
sessions and attendance, and the guidance hours per participant and per organisation."""

from django.contrib import messages
from django.db.models import Count, Min, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant

from . import dashboard, services
from .forms import (
    ActivityForm,
    ConditionForm,
    ContactForm,
    EnrollForm,
    ReferralForm,
    ReferralStatusForm,
    SessionForm,
)
from .models import Activity, Session

RECORDS = services.RECORDS


def _sessions(user):
    return Session.objects.filter(activity__in=Activity.objects.visible_to(user))


# A partner organisation also reaches the activities its participants take part in, the one
# extra of `ActivityQuerySet.scoped`; a session goes with its activity.
ACTIVITY = {"pk": ("activity", Activity.objects.select_related("training", "regeling"))}
SESSION = {"pk": ("session", access.Within(Session, _sessions))}


def _participant_page(
    request,
    participant,
    contact_form=None,
    condition_form=None,
    referral_form=None,
    status_form=None,
):
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
            "referrals": participant.referrals.select_related("recorded_by", "organisation"),
            "referral_form": (referral_form or ReferralForm()) if may_record else None,
            "status_form": (status_form or ReferralStatusForm(participant=participant))
            if may_record
            else None,
        },
    )


# Everyone who sees the participant sees the page; recording (POST) needs the right.
@access.view(
    methods=("GET", "POST"),
    write_rights=(RECORDS,),
    objects={"pk": Participant},
    audit="begeleiding",
)
def participant_guidance(request, participant):
    if request.method == "GET":
        return _participant_page(request, participant)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.record_contact(request.user, participant, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, contact_form=form)


@access.view(methods=("POST",), rights=(RECORDS,), objects={"pk": Participant}, audit="begeleiding")
def participant_condition(request, participant):
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
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The practical condition has been recorded."))
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, condition_form=form)


@access.view(methods=("POST",), rights=(RECORDS,), objects={"pk": Participant}, audit="begeleiding")
def participant_referral(request, participant):
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.record_referral(request.user, participant, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The referral has been recorded."))
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, referral_form=form)


@access.view(methods=("POST",), rights=(RECORDS,), objects={"pk": Participant}, audit="begeleiding")
def referral_status(request, participant):
    form = ReferralStatusForm(request.POST, participant=participant)
    if form.is_valid():
        try:
            services.change_referral_status(
                request.user,
                form.cleaned_data["referral"],
                status=form.cleaned_data["status"],
                on=form.cleaned_data["status_on"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The status of the referral has been changed."))
            return redirect("guidance:participant", pk=participant.pk)
    return _participant_page(request, participant, status_form=form)


# Everyone sees the activities in reach; planning one (POST) needs the right.
@access.view(methods=("GET", "POST"), write_rights=(RECORDS,))
def activities(request):
    user = request.user
    may_record = services.may_record(user)
    form = ActivityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.plan_activity(user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The activity has been planned."))
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
    visible = access.restrict(Participant, user)
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


@access.view(objects=ACTIVITY)
def activity_detail(request, activity):
    return _activity_page(request, activity)


@access.view(methods=("POST",), rights=(RECORDS,), objects=ACTIVITY)
def session_add(request, activity):
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(request.user, activity, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The session has been planned."))
            return redirect("guidance:activity", pk=activity.pk)
    return _activity_page(request, activity, session_form=form)


@access.view(methods=("POST",), rights=(RECORDS,), objects=ACTIVITY)
def enroll(request, activity):
    form = EnrollForm(request.POST, user=request.user, activity=activity)
    if form.is_valid():
        try:
            services.enroll(request.user, activity, form.cleaned_data["participant"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The participant has been enrolled."))
            return redirect("guidance:activity", pk=activity.pk)
    return _activity_page(request, activity, enroll_form=form)


@access.view(methods=("POST",), rights=(RECORDS,), objects=SESSION)
def attendance(request, session):
    listed = [int(v) for v in request.POST.getlist("deelnemer") if v.isdigit()]
    present = {int(v) for v in request.POST.getlist("aanwezig") if v.isdigit()}
    try:
        changed = services.record_attendance(
            request.user, session, {pk: pk in present for pk in listed}
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Attendance saved (%(changed)s changed).") % {"changed": changed}
        )
    return redirect("guidance:activity", pk=session.activity_id)


@access.view()
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
