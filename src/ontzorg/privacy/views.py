"""The inzage pages (AVG art. 15): a participant's data as a printable page and as JSON.
Only users with every right in `inzage.RIGHTS` produce one; each is audited (the page view,
and the production with its form)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ontzorg.audit.services import record
from ontzorg.core import access
from ontzorg.participants.models import Participant

from . import events, inzage

PARTICIPANT = {"pk": Participant.objects.select_related("household__municipality", "regeling")}


def _produced(request, participant, form: str):
    record(request.user, events.INZAGE_PRODUCED, participant, participant=participant, form=form)
    return inzage.sections(participant)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@access.view(
    rights=inzage.RIGHTS[:1], check=inzage.may_produce, objects=PARTICIPANT, audit="inzage"
)
def inzage_page(request, participant):
    found = _produced(request, participant, "pagina")
    context = {
        "participant": participant,
        "sections": [(s, s.display_rows()) for s in found],
        "made_at": timezone.now(),
    }
    return _no_store(render(request, "privacy/inzage.html", context))


@access.view(
    rights=inzage.RIGHTS[:1], check=inzage.may_produce, objects=PARTICIPANT, audit="inzage"
)
def inzage_json(request, participant):
    found = _produced(request, participant, "JSON")
    data = inzage.as_json(participant, found, made_by=request.user, made_at=timezone.now())
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="inzage-deelnemer-{participant.pk}-{stamp}.json"'
    )
    return _no_store(response)
