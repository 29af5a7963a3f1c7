"""The municipality level in the demo: Edam-Volendam limits staff to their municipality, the
Waterland case worker shown by demo_logins sees Waterland's residents only, and the region's
last booked run paid Waterland's residents from Waterland's own account, in its own file."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from ontzorg.accounts.models import User
from ontzorg.core import access
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import PAID_KINDS, RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg_demo import municipalities


def test_waterland_case_worker_sees_only_waterland(demo, db, client):
    user = User.objects.get(username="km.waterland.edam")
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "km.waterland.edam" in out.getvalue()

    residents = Participant.objects.filter(regeling__region__slug=municipalities.REGION)
    waterland = residents.filter(household__municipality__name=municipalities.TOWN)
    elsewhere = residents.exclude(household__municipality__name=municipalities.TOWN)
    assert waterland.exists() and elsewhere.exists()
    assert set(Participant.objects.visible_to(user)) == set(waterland)

    client.force_login(user)
    assert (
        client.get(reverse("participants:detail", args=[waterland.first().pk])).status_code == 200
    )
    assert (
        client.get(reverse("participants:detail", args=[elsewhere.first().pk])).status_code == 404
    )
    # The region-wide case worker still sees everyone of the region.
    km = User.objects.get(username="km.edam")
    assert access.restrict(residents, km).count() == residents.count()


def test_waterland_is_paid_from_its_own_account(demo, db):
    run = (
        PaymentRun.objects.filter(region__slug=municipalities.REGION, status=RunStatus.BOOKED)
        .order_by("-period")
        .first()
    )
    assert run is not None
    files = {
        f.debtor_account.municipality_id: f for f in run.files.select_related("debtor_account")
    }
    assert len(files) == 2
    for municipality_id, payment_file in files.items():
        paid = run.instructions.filter(
            kind__in=PAID_KINDS, debtor_account=payment_file.debtor_account
        )
        assert payment_file.count == paid.count() > 0
        at_waterland = paid.filter(participant__household__municipality__name=municipalities.TOWN)
        assert at_waterland.count() == (paid.count() if municipality_id else 0)
