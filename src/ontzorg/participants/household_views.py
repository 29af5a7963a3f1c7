"""Household pages: who lives in the participant's home (with dates), and the forms to add,
change or end a member and to record a move. Every change is confirmed first and then done
by ``participants.households``, which checks rights and dates and writes the audit trail."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access, dates
from ontzorg.core.confirm import confirmed_action
from ontzorg.plans import reading

from . import households
from .household_forms import ChangeMemberForm, EndMemberForm, MemberForm, MoveForm
from .models import HouseholdMember, Participant
from .views import PARTICIPANT

EDITS = ("edits_participants",)
FORM_METHODS = ("GET", "POST")
MEMBER = ("member", HouseholdMember.objects.select_related("household"))


def _norm(participant, day):
    try:
        return reading.norm_for(participant, day)
    except LookupError:  # no norm table for that day
        return None


@access.view(objects={"pk": PARTICIPANT}, audit="huishouden")
def household(request, participant):
    today = timezone.localdate()
    home = participant.household
    members = list(home.members.order_by("ends_on", "date_of_birth", "pk"))
    this_month = dates.month_start(today)
    next_month = dates.next_month(today)
    return render(
        request,
        "participants/household/page.html",
        {
            "participant": participant,
            "household": home,
            "current": [m for m in members if m.ends_on is None or m.ends_on >= today],
            "past": [m for m in members if m.ends_on is not None and m.ends_on < today],
            "others": Participant.objects.visible_to(request.user)
            .filter(household=home)
            .exclude(pk=participant.pk),
            "moves": home.moves.select_related("from_municipality", "to_municipality"),
            "may_edit": access.may(request.user, *EDITS),
            "today": today,
            "first_changeable": households.first_changeable_day(home, today),
            "norms": [
                (this_month, _norm(participant, this_month)),
                (next_month, _norm(participant, next_month)),
            ],
        },
    )


def _confirmed(request, participant, form, **action):
    """Confirm-then-act (core.confirm) on a participant's household page."""
    return confirmed_action(
        request,
        form,
        participant=participant,
        back_url=reverse("participants:household", args=[participant.pk]),
        back_label=_("Back to the household of %(name)s") % {"name": participant.full_name},
        **action,
    )


def _form(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": PARTICIPANT}, audit="huishouden")
def add_member(request, participant):
    form = _form(
        MemberForm, request, household=participant.household, regeling=participant.regeling
    )
    return _confirmed(
        request,
        participant,
        form,
        title=_("Add a household member"),
        intro=_(
            "A partner, child or housemate comes to live in the home. The bijstand "
            "norm follows from that date; earlier months stay as they are."
        ),
        perform=lambda d: (
            households.add_partner_participant(request.user, participant, **form.partner_kwargs())
            if form.adds_participant
            else households.add_member(request.user, participant, **form.service_kwargs())
        ),
        done=_("The household member has been added."),
    )


def _participant_for(user, member) -> Participant:
    """The participant whose household page a member belongs to, as the user sees it."""
    participant = (
        Participant.objects.visible_to(user)
        .filter(household_id=member.household_id)
        .order_by("household_role", "pk")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": MEMBER}, audit="huishouden")
def change_member(request, member):
    participant = _participant_for(request.user, member)
    form = _form(ChangeMemberForm, request, member=member)
    return _confirmed(
        request,
        participant,
        form,
        title=_("Change the details of %(name)s") % {"name": member.first_name},
        intro=_(
            "A new first name always applies (correction). Other details apply "
            "from the chosen date; for the days before, the old details keep "
            "applying."
        ),
        perform=lambda d: households.change_member(
            request.user, member, on=d["on"], **form.changes()
        ),
        done=_("The details have been changed."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": MEMBER}, audit="huishouden")
def end_member(request, member):
    participant = _participant_for(request.user, member)
    form = _form(EndMemberForm, request)
    return _confirmed(
        request,
        participant,
        form,
        title=_("%(name)s no longer lives in the home") % {"name": member.first_name},
        intro=_(
            "From this date this person no longer counts for the bijstand norm. "
            "Earlier months stay as they are."
        ),
        perform=lambda d: households.end_member(request.user, member, on=d["on"]),
        done=_("The departure has been recorded."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": PARTICIPANT}, audit="huishouden")
def move(request, participant):
    form = _form(MoveForm, request, participant=participant)
    return _confirmed(
        request,
        participant,
        form,
        title=_("Record a move"),
        intro=_(
            "The whole household moves to the new address. Does someone not move "
            "along? Then record afterwards that this person no longer lives in the "
            "home."
        ),
        perform=lambda d: households.change_address(
            request.user,
            participant,
            moves_on=d["moves_on"],
            street=d["street"],
            house_number=d["house_number"],
            postcode=d["postcode"],
            city=d["city"],
            municipality=d["municipality"],
        ),
        done=_("The move has been recorded."),
    )
