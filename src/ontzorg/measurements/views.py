"""Pages of the measurements app: a participant's measurements (chart, table, schedule and
the form to add one) and a case worker's agenda of what is due this week."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.participants.models import Participant

from . import chart, dashboard, services
from .forms import MeasurementForm


def _charts(participant, measurements):
    result = []
    for instrument in services.instruments_for(participant):
        own = [m for m in measurements if m.instrument_id == instrument.pk]
        if not own:
            continue
        if instrument.is_count:
            drawn = chart.count_chart([(m.measured_on, m.count) for m in own])
        else:
            levels = [(lv.rank, lv.label, lv.is_exit) for lv in instrument.levels.all()]
            drawn = chart.level_chart(levels, [(m.measured_on, m.level.rank) for m in own])
        result.append((instrument, drawn))
    return result


# Everyone who sees the participant sees the page; recording (POST) needs the right.
@access.view(
    methods=("GET", "POST"),
    write_rights=(services.RECORDS,),
    objects={"pk": Participant},
    audit="metingen",
)
def participant_measurements(request, participant):
    may_record = services.may_record(request.user)
    instruments = services.instruments_for(participant)
    form = MeasurementForm(request.POST or None, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_measurement(
                request.user,
                participant,
                instrument=data["instrument"],
                moment=data["moment"],
                measured_on=data["measured_on"],
                level=data["level"],
                count=data.get("count"),
                perspective=data["perspective"],
                notes=data["notes"],
                answers=form.answers(),
                scores=form.scores(),
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The measurement has been recorded."))
            return redirect("measurements:participant", pk=participant.pk)
    measurements = list(
        participant.measurements.select_related("instrument", "level", "assessed_by")
        .prefetch_related("answers__item", "scores__assignment")
        .order_by("measured_on", "created_at")
    )
    start, end = services.trajectory_dates(participant)
    return render(
        request,
        "measurements/participant.html",
        {
            "participant": participant,
            "measurements": measurements,
            "charts": _charts(participant, measurements),
            "schedule": services.schedule_for(participant),
            "outcome_schedules": services.outcome_schedules_for(participant),
            "start_on": start,
            "end_on": end,
            "readiness": services.is_ready_to_end(participant),
            "form": form if may_record else None,
        },
    )


@access.view()
def agenda(request):
    today = timezone.localdate()
    until = dashboard.end_of_week(today)
    return render(
        request,
        "measurements/agenda.html",
        {
            "today": today,
            "until": until,
            "items": services.due_measurements(request.user, today, until=until),
            "ready": services.ready_to_end(request.user),
        },
    )
