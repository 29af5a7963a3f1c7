"""Demo step: two measurement moments per region (today and in six months), today's
snapshot, and a few participants who found work, so every region's monitor has figures.

A participant whose plan has ended (nazorg, afgesloten) and who has no wages yet gets a job
through plans.services.record_outflow, one per region; a region that already has someone
with wages is left alone. Moments are keyed on region and name, and a moment that has a
snapshot keeps it, so loading twice changes nothing."""

from datetime import timedelta

from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.monitor import services
from ontzorg.monitor.models import MeasurementMoment, Snapshot
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.plans import services as plans
from ontzorg.plans.constants import IncomeKind
from ontzorg.plans.models import Income
from ontzorg.regelingen.models import Region

FIRST, SECOND = "Eerste meting evaluatie", "Tweede meting evaluatie"


def load(stdout) -> None:
    today = timezone.localdate()
    jobs = built = 0
    for region in Region.objects.order_by("pk"):
        jobs += _outflow(region, today)
        first, _ = MeasurementMoment.objects.get_or_create(
            region=region, name=FIRST, defaults={"on": today}
        )
        MeasurementMoment.objects.get_or_create(
            region=region, name=SECOND, defaults={"on": today + timedelta(days=182)}
        )
        if first.on <= today and not Snapshot.objects.filter(moment=first).exists():
            services.build_snapshot(None, first, today=today)
            built += 1
    stdout.write(f"Monitor: {built} momentopnamen gemaakt, {jobs} deelnemers aan het werk.")


def _outflow(region, today) -> int:
    people = Participant.objects.filter(regeling__region=region)
    if Income.objects.filter(participant__in=people, kind=IncomeKind.WAGES).exists():
        return 0
    worker = (
        User.objects.filter(
            role__code=RoleCode.KLANTMANAGER, organisation__region=region, is_active=True
        )
        .order_by("username")
        .first()
    )
    participant = people.filter(phase__in=(Phase.NAZORG, Phase.ENDED)).order_by("pk").first()
    if worker is None or participant is None:
        return 0
    plans.record_outflow(
        worker,
        participant,
        today - timedelta(days=20),
        "Demo: vaste baan gevonden via het duale traject.",
        wages_cents=185_000,
    )
    return 1
