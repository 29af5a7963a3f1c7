"""Staff pages of the participant's letters: the monthly overview to print and as PDF, the
end-of-trajectory letter of fixed costs, and the decision letters (start, extension, end),
each as a page to print and as PDF. Every one is audited as seen, like the participant's page.
The region batch of PDFs is in ``batch_views``."""

from datetime import date

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.participants.models import Participant
from ontzorg.plans.models import PlanDecision
from ontzorg.trajectory.services import current_plan

from . import documents, pdf, services

PARTICIPANT = {"pk": Participant.objects.select_related("regeling__region", "household")}
DECISIONS = PlanDecision.objects.select_related("plan__regeling", "plan__participant__regeling")


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _overview(participant, month: date) -> dict:
    overview = services.overview_for(participant, month)
    if overview is None:
        raise Http404("Nothing was booked for this month.")
    return pdf.overview_document(participant, overview, month)


@access.view(objects=PARTICIPANT, audit="maandoverzicht (afdrukken)")
def overview_print(request, participant, month: date):
    context = _overview(participant, month)
    context.update(
        back_url=reverse("letters:overview", args=[participant.pk, month]),
        back_label=pdf.TITLES["overview"],
        pdf_url=reverse("letters:overview_pdf", args=[participant.pk, month]),
    )
    return HttpResponse(pdf.html(context))


@access.view(objects=PARTICIPANT, audit="maandoverzicht (pdf)")
def overview_pdf(request, participant, month: date):
    content = pdf.pdf(_overview(participant, month))
    return _pdf_response(content, pdf.filename(participant, "maandoverzicht", month))


def fixed_costs_page(request, participant):
    """The end-of-trajectory letter as a page, at trajectory's URL (``trajectory:fixed_costs``,
    which checks access and audits)."""
    context = pdf.document(
        participant,
        pdf.FIXED_COSTS_BODY,
        pdf.TITLES["fixed_costs"],
        **documents.fixed_costs(participant),
    )
    context.update(
        back_url=reverse("trajectory:participant", args=[participant.pk]),
        back_label=_("Back to the trajectory"),
        pdf_url=reverse("letters:fixed_costs_pdf", args=[participant.pk]),
    )
    response = HttpResponse(pdf.html(context))
    # The old view's tests read the rows from the context, as render() keeps it.
    response.context = context
    return response


@access.view(objects=PARTICIPANT, audit="overzicht vaste lasten (pdf)")
def fixed_costs_pdf(request, participant):
    context = pdf.document(
        participant,
        pdf.FIXED_COSTS_BODY,
        pdf.TITLES["fixed_costs"],
        **documents.fixed_costs(participant),
    )
    return _pdf_response(pdf.pdf(context), pdf.filename(participant, "vaste-lasten"))


def _start(participant) -> dict:
    plan = current_plan(participant)
    if plan is None:
        raise Http404("No plan.")
    return pdf.document(
        participant,
        pdf.DECISION_BODIES["start"],
        pdf.TITLES["start"],
        **documents.start_decision(plan),
    )


def _decision(decision) -> dict:
    data = documents.plan_decision(decision)
    kind = data["kind"]
    return pdf.document(data["participant"], pdf.DECISION_BODIES[kind], pdf.TITLES[kind], **data)


def _print(context: dict, pdf_url: str) -> HttpResponse:
    context.update(
        back_url=reverse("trajectory:participant", args=[context["participant"].pk]),
        back_label=_("Back to the trajectory"),
        pdf_url=pdf_url,
    )
    return HttpResponse(pdf.html(context))


@access.view(objects=PARTICIPANT, audit="besluitbrief start (afdrukken)")
def start_print(request, participant):
    return _print(_start(participant), reverse("letters:start_pdf", args=[participant.pk]))


@access.view(objects=PARTICIPANT, audit="besluitbrief start (pdf)")
def start_pdf(request, participant):
    return _pdf_response(pdf.pdf(_start(participant)), pdf.filename(participant, "besluit-start"))


@access.view(objects={"decision": ("decision", DECISIONS)}, audit="besluitbrief (afdrukken)")
def decision_print(request, decision):
    return _print(_decision(decision), reverse("letters:decision_pdf", args=[decision.pk]))


@access.view(objects={"decision": ("decision", DECISIONS)}, audit="besluitbrief (pdf)")
def decision_pdf(request, decision):
    context = _decision(decision)
    name = pdf.filename(context["participant"], f"besluit-{context['kind']}")
    return _pdf_response(pdf.pdf(context), name)
