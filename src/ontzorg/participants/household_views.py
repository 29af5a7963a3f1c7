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
        back_label=_("Terug naar het huishouden van %(name)s") % {"name": participant.full_name},
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
        title=_("Gezinslid toevoegen"),
        intro=_(
            "Een partner, kind of huisgenoot komt in huis wonen. De bijstandsnorm volgt "
            "vanaf die datum; eerdere maanden blijven zoals ze zijn."
        ),
        perform=lambda d: (
            households.add_partner_participant(request.user, participant, **form.partner_kwargs())
            if form.adds_participant
            else households.add_member(request.user, participant, **form.service_kwargs())
        ),
        done=_("Het gezinslid is toegevoegd."),
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
        title=_("Gegevens wijzigen van %(name)s") % {"name": member.first_name},
        intro=_(
            "Een nieuwe voornaam geldt altijd (correctie). Andere gegevens gelden vanaf de "
            "gekozen datum; voor de dagen daarvoor blijven de oude gegevens gelden."
        ),
        perform=lambda d: households.change_member(
            request.user, member, on=d["on"], **form.changes()
        ),
        done=_("De gegevens zijn gewijzigd."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": MEMBER}, audit="huishouden")
def end_member(request, member):
    participant = _participant_for(request.user, member)
    form = _form(EndMemberForm, request)
    return _confirmed(
        request,
        participant,
        form,
        title=_("%(name)s woont niet meer in huis") % {"name": member.first_name},
        intro=_(
            "Vanaf deze datum telt deze persoon niet meer mee voor de bijstandsnorm. "
            "Eerdere maanden blijven zoals ze zijn."
        ),
        perform=lambda d: households.end_member(request.user, member, on=d["on"]),
        done=_("Het vertrek is vastgelegd."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"pk": PARTICIPANT}, audit="huishouden")
def move(request, participant):
    form = _form(MoveForm, request, participant=participant)
    return _confirmed(
        request,
        participant,
        form,
        title=_("Verhuizing vastleggen"),
        intro=_(
            "Het hele huishouden verhuist naar het nieuwe adres. Verhuist iemand niet mee? "
            "Leg daarna vast dat die persoon niet meer in huis woont."
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
        done=_("De verhuizing is vastgelegd."),
    )
