"""Demo step: creditor API clients and early-warning signals in every region.

Per region: a housing corporation's API client (its token is thrown away: a working token
comes from `manage.py signals_create_token --rotate`), arrears reported through the API for
two participants, one report about someone who is no participant (it waits in the queue),
one internal signal, and, in Dongemond and Edam-Volendam, where creditors keep reporting
after the ontzorg period, a signal about a participant in nazorg or already ended. One signal
per region is already past its due date, one is in progress. Edam-Volendam routes energy
arrears to its debt counsellor (Schuldhulpverlening Waterland, login coach.schuldhulp.edam):
an energy supplier reports one there. Keyed on the creditor's reference, so loading twice
adds nothing."""

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from ontzorg.accounts.models import Organisation
from ontzorg.participants.constants import OPEN_PHASES, Phase
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Region
from ontzorg.signals import services
from ontzorg.signals.constants import CreditorKind, RouteTarget, SignalKind, Status
from ontzorg.signals.models import ApiClient, Signal, SignalRoute, StatusChange
from ontzorg.signals.report import Report
from ontzorg.signals.workdays import add_working_days
from ontzorg_demo.testdata import fake_bsn

AFTER_END_REGIONS = ("dongemond", "edam-volendam")
# Per region slug: (kind of creditor, debt counsellor organisation) routed to the latter.
DEBT_COUNSELLOR_ROUTES = {
    "edam-volendam": (CreditorKind.ENERGY, "Schuldhulpverlening Waterland"),
}
# Far beyond the BSNs the demo gives participants, so these people are unknown.
UNKNOWN_BSN_FROM = 200_000


def load(stdout) -> None:
    today = timezone.localdate()
    before = Signal.objects.count()
    for number, region in enumerate(Region.objects.order_by("slug")):
        _route(region)
        client = _client(region)
        people = Participant.objects.filter(regeling__region=region).order_by("bsn")
        current = list(people.filter(phase__in=OPEN_PHASES)[:3])
        reports = [
            (person, _arrears(person.bsn, f"DEMO-{region.slug}-{n}", today, n))
            for n, person in enumerate(current[:2])
        ]
        reports.append(
            (
                None,
                Report(
                    kind=SignalKind.ARREARS,
                    reported_on=today - timedelta(days=3),
                    bsn=fake_bsn(UNKNOWN_BSN_FROM + number),
                    name="R. Onbekend",
                    amount_cents=61250,
                    months_in_arrears=1,
                    reference=f"DEMO-{region.slug}-onbekend",
                    note="Huurder niet gevonden in ons bestand van statushouders.",
                ),
            )
        )
        if region.slug in AFTER_END_REGIONS:
            ended = people.filter(phase__in=(Phase.NAZORG, Phase.ENDED)).first()
            if ended is not None:
                reports.append(
                    (ended, _arrears(ended.bsn, f"DEMO-{region.slug}-na-afloop", today, 2))
                )
        for n, (person, report) in enumerate(reports):
            signal, created = services.receive_from_api(client, report, region)
            if created and n == 0:
                _backdate(signal, days=12)
            if created and n == 1 and person and person.case_worker:
                services.change_status(
                    person.case_worker, signal, Status.CONTACTED, "Gebeld; afspraak volgt."
                )
        if region.slug in DEBT_COUNSELLOR_ROUTES and current:
            energy = _client(region, CreditorKind.ENERGY)
            report = replace(
                _arrears(current[-1].bsn, f"DEMO-{region.slug}-energie", today, 0),
                note="Termijnbedrag energie twee maanden niet ontvangen.",
            )
            services.receive_from_api(energy, report, region)
        if len(current) > 2:
            services.raise_internal(
                SignalKind.UNCONFIRMED_PAYMENT,
                current[2],
                "Huurbetaling niet binnen 5 dagen door de bank bevestigd.",
                amount_cents=72500,
                reference=f"DEMO-{region.slug}-onbevestigd",
            )
    stdout.write(
        f"signalen: {Signal.objects.count() - before} nieuw, {Signal.objects.count()} totaal, "
        f"{Signal.objects.unmatched().count()} in de wachtrij, "
        f"{Signal.objects.filter(after_end=True).count()} na afloop; "
        f"API-koppelingen: {ApiClient.objects.count()}."
    )


def _route(region) -> None:
    route = DEBT_COUNSELLOR_ROUTES.get(region.slug)
    counsellor = route and Organisation.objects.filter(name=route[1], region=region).first()
    if counsellor:
        SignalRoute.objects.get_or_create(
            region=region,
            creditor_kind=route[0],
            defaults={"target": RouteTarget.DEBT_COUNSELLOR, "debt_counsellor": counsellor},
        )


def _client(region, kind=CreditorKind.HOUSING) -> ApiClient:
    prefix = "Energieleverancier" if kind == CreditorKind.ENERGY else "Woningcorporatie"
    name = f"{prefix} {region.name} (demo)"
    client = ApiClient.objects.filter(name=name).first()
    if client is None:
        client, _token = services.create_api_client(
            None, name=name, creditor_kind=kind, regions=[region]
        )
    return client


def _arrears(bsn, reference, today, n) -> Report:
    return Report(
        kind=SignalKind.ARREARS,
        reported_on=today - timedelta(days=14 + n),
        bsn=bsn,
        amount_cents=(2 + n) * 41250,
        months_in_arrears=2 + n,
        reference=reference,
        note="Huur van de afgelopen maanden niet (volledig) ontvangen.",
    )


def _backdate(signal, *, days) -> None:
    """Demo only: make the signal arrive `days` ago, so the list shows one past its due date."""
    received_at = signal.received_at - timedelta(days=days)
    due_on = add_working_days(timezone.localdate(received_at), 5)
    Signal.objects.filter(pk=signal.pk).update(received_at=received_at, due_on=due_on)
    StatusChange.objects.filter(signal=signal).update(changed_at=received_at, due_on=due_on)
