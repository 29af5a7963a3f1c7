"""Staff pages of the monthly overview: the months of a participant, and one month as the
participant reads it, in their language beside Dutch. Seeing them is audited like the
participant's own page (``core.access.view``)."""

from datetime import date

from django.http import Http404
from django.shortcuts import render

from ontzorg.core import access
from ontzorg.participants.models import Participant

from . import services

PARTICIPANT = Participant.objects.select_related("regeling__region")


@access.view(objects={"pk": PARTICIPANT}, audit="maandoverzichten")
def month_list(request, participant):
    return render(
        request,
        "letters/months.html",
        {"participant": participant, "months": services.booked_months(participant)},
    )


@access.view(objects={"pk": PARTICIPANT}, audit="maandoverzicht")
def month_overview(request, participant, month: date):
    overview = services.overview_for(participant, month)
    if overview is None:
        raise Http404("Nothing was booked for this month.")
    return render(
        request,
        "letters/overview.html",
        {"participant": participant, "overview": overview, "month": month},
    )
