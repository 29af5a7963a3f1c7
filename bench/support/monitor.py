"""The work of bench/monitor.py: N participants in one region with plans, measurements,
contacts, ledger bookings, shortfalls and signals, then a snapshot and the region dashboard,
timed with their query counts next to a baseline measured in the same run.

Since issue 12 about a fifth of the N are comparison groups (candidates of whom half were
in a draw's pool, not eligible, opted out): registered, without a plan, in the snapshot.

    from bench.support.monitor import run
    figures = run(100_000)   # Django set up; creates and drops a test database

Not part of the application: it lives under bench/, and the production package never
imports it (src/ontzorg/core/tests/test_boundaries.py)."""

import random
import tempfile
import time
from datetime import date, datetime

from django.db import connection, transaction
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_databases,
    teardown_databases,
)
from django.utils import timezone

AS_OF = date(2026, 6, 30)
MONTHS = (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))


def _defaults(model, fields) -> tuple[tuple, tuple]:
    """The fields and the values to add so that every required column has a value: COPY
    does not fill in Django's defaults, and apps add required columns with defaults."""
    extra = {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if f.attname not in fields and not f.null and not f.primary_key
    }
    return (*fields, *extra), tuple(extra.values())


def insert_rows(model, fields, rows):
    from ontzorg import bulk

    fields, extra = _defaults(model, fields)
    bulk.insert_rows(model, fields, ((*row, *extra) for row in rows))


def insert_rows_returning_ids(model, fields, rows):
    from ontzorg import bulk

    fields, extra = _defaults(model, fields)
    return bulk.insert_rows_returning_ids(model, fields, [(*row, *extra) for row in rows])


def build(n: int, seed: int = 2026) -> dict:
    """A region with one regeling, an instrument, staff, and n participants with facts."""
    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.models import Organisation, Role, User
    from ontzorg.guidance.models import Contact
    from ontzorg.ledger.constants import AccountKind, Source
    from ontzorg.ledger.models import Account, Entry, Transaction
    from ontzorg.measurements.models import Measurement
    from ontzorg.participants.models import Household, Participant, SelectionDraw
    from ontzorg.payments.models import PaymentRun, ShortfallCase
    from ontzorg.plans.models import Plan
    from ontzorg.regelingen.models import (
        Instrument,
        InstrumentLevel,
        Municipality,
        Regeling,
        Region,
    )
    from ontzorg.signals.models import Signal
    from ontzorg_demo.testdata import fake_bsn

    rng = random.Random(seed)
    region = Region.objects.create(name="Benchmark", slug="benchmark")
    regeling = Regeling.objects.create(region=region, name="Bench", valid_from=date(2025, 1, 1))
    municipality = Municipality.objects.create(region=region, name="Benchstad", is_lead=True)
    org = Organisation.objects.create(name="Gemeente Benchstad", kind="municipality", region=region)
    guides = [
        Organisation.objects.create(name=f"Begeleiding {name}", kind="partner", region=region).pk
        for name in ("Noord", "Zuid", "West")
    ]
    staff = User.objects.create(
        username="bench-km", organisation=org, role=Role.objects.get(code=RoleCode.KLANTMANAGER)
    )
    leader = User.objects.create(
        username="bench-pl", organisation=org, role=Role.objects.get(code=RoleCode.PROJECTLEIDER)
    )
    instrument = Instrument.objects.create(name="Driedelige schaal (bench)")
    levels = [
        InstrumentLevel.objects.create(
            instrument=instrument,
            rank=rank,
            label=f"niveau {rank}",
            category=rank,
            is_exit=rank == 3,
        )
        for rank in (1, 2, 3)
    ]
    regeling.instruments.add(instrument)

    household_ids = insert_rows_returning_ids(
        Household,
        ("municipality_id", "street", "house_number", "postcode", "city"),
        [(municipality.pk, "Laan", str(i), "1234 AB", "Benchstad") for i in range(n)],
    )
    phases = ["active"] * 6 + ["extended", "phase_out", "nazorg", "ended", "intake"]
    phases += ["candidate", "not_eligible", "opted_out"]  # comparison groups, about a fifth
    countries = ["Syrië", "Eritrea", "Afghanistan", "Turkije", "Jemen", "Somalië", "Iran"]
    now = timezone.now()
    participant_ids = insert_rows_returning_ids(
        Participant,
        (
            "household_id",
            "household_role",
            "regeling_id",
            "phase",
            "bsn",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "country_of_origin",
            "languages",
            "needs_interpreter",
            "literacy",
            "is_fulltime_student",
            "is_unaccompanied_minor",
            "arrival_on",
            "bijstand_start_on",
            "iban",
            "created_at",
            "updated_at",
            "guidance_organisation_id",
        ),
        [
            (
                household,
                "applicant",
                regeling.pk,
                rng.choice(phases),
                fake_bsn(i),
                f"Deelnemer{i}",
                "Bench",
                date(1950 + rng.randrange(55), 1 + i % 12, 1),
                rng.choice("vmx"),
                rng.choice(countries),
                "",
                False,
                rng.choice(("literate", "literate", "low", "illiterate")),
                False,
                False,
                date(2025, 9, 1),
                date(2025, 10, 1),
                "",
                now,
                now,
                rng.choice(guides),
            )
            for i, household in enumerate(household_ids)
        ],
    )
    phase_of = dict(Participant.objects.filter(pk__in=participant_ids).values_list("pk", "phase"))
    started = [p for p in participant_ids if phase_of[p] not in ("candidate", "not_eligible")]
    plan_ids = insert_rows_returning_ids(
        Plan,
        ("participant_id", "regeling_id", "start_on", "planned_end_on", "status", "created_at"),
        [(p, regeling.pk, date(2025, 10, 1), date(2026, 3, 31), "active", now) for p in started],
    )
    candidates = [p for p in participant_ids if phase_of[p] == "candidate"]
    pool = candidates[: len(candidates) // 2]
    SelectionDraw.objects.create(
        regeling=regeling,
        seed=seed,
        size=0,
        candidate_ids=pool,
        selected_ids=[],
        drawn_by=staff,
    )
    insert_rows(
        Measurement,
        (
            "participant_id",
            "instrument_id",
            "moment",
            "measured_on",
            "level_id",
            "perspective",
            "assessed_by_id",
            "notes",
            "created_at",
        ),
        (
            (
                p,
                instrument.pk,
                moment,
                day,
                levels[min(2, level)].pk,
                "case_worker",
                staff.pk,
                "",
                now,
            )
            for p in participant_ids
            for base in (rng.randrange(2),)
            for moment, day, level in (
                ("nulmeting", date(2025, 10, 5), base),
                ("tussenmeting", date(2026, 1, 5), base + rng.randrange(2)),
                ("eindmeting", date(2026, 3, 20), base + rng.randrange(3)),
            )
        ),
    )
    insert_rows(
        Contact,
        (
            "participant_id",
            "kind",
            "occurred_on",
            "duration_minutes",
            "with_interpreter",
            "recorded_by_id",
            "organisation_id",
            "notes",
            "created_at",
        ),
        (
            (
                p,
                "phone",
                date(2026, 1 + k, 10),
                rng.choice((15, 30, 45, 60)),
                False,
                staff.pk,
                org.pk,
                "",
                now,
            )
            for p in participant_ids
            for k in range(3)
        ),
    )
    # Ledger: per participant an income and a withheld account, three months of withholding.
    specs = [(kind, p) for p in participant_ids for kind in ("income_received", "withheld")]
    insert_rows(Account, ("kind", "participant_id", "pot"), [(k, p, "") for k, p in specs])
    bank = Account.objects.create(kind=AccountKind.BANK, region=region)
    accounts = {
        (kind, p): pk
        for kind, p, pk in Account.objects.filter(participant_id__in=participant_ids).values_list(
            "kind", "participant_id", "pk"
        )
    }
    postings = [(p, month) for p in participant_ids for month in MONTHS]
    transaction_ids = insert_rows_returning_ids(
        Transaction,
        ("key", "posted_at", "booked_on", "period", "description", "source"),
        [(f"bench:{p}:{m:%Y%m}", now, m, m, "bench", Source.RUN) for p, m in postings],
    )
    insert_rows(
        Entry,
        ("transaction_id", "account_id", "amount_cents"),
        (
            (tx, account, amount)
            for tx, (p, _month) in zip(transaction_ids, postings, strict=True)
            for cents in (rng.randint(60_000, 110_000),)
            for account, amount in (
                (bank.pk, cents),
                (accounts[("income_received", p)], -cents),
                (accounts[("income_received", p)], cents),
                (accounts[("withheld", p)], -cents),
            )
        ),
    )
    runs = [
        PaymentRun.objects.create(region=region, period=m, prepared_by=staff, status="booked")
        for m in MONTHS
    ]
    insert_rows(
        ShortfallCase,
        ("run_id", "participant_id", "plan_id", "income_cents", "costs_cents", "shortfall_cents"),
        (
            (rng.choice(runs).pk, p, plan, 100_000, 120_000, 20_000)
            for p, plan in zip(started, plan_ids, strict=True)
            if rng.random() < 0.05
        ),
    )
    received = timezone.make_aware(datetime(2026, 5, 12, 9))
    insert_rows(
        Signal,
        (
            "source",
            "creditor_name",
            "creditor_kind",
            "region_id",
            "kind",
            "amount_cents",
            "reported_on",
            "reference",
            "note",
            "content_hash",
            "bsn",
            "postcode",
            "house_number",
            "name",
            "participant_id",
            "after_end",
            "status",
            "due_on",
            "received_at",
            "updated_at",
        ),
        (
            (
                "internal",
                "",
                "",
                region.pk,
                rng.choice(("betalingsachterstand", "negatief_saldo")),
                rng.randint(5_000, 90_000),
                date(2026, 5, 10),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                p,
                rng.random() < 0.3,
                "new",
                date(2026, 5, 20),
                received,
                now,
            )
            for p in participant_ids
            if rng.random() < 0.1
        ),
    )
    return {"region": region, "leader": leader}


def _timed(function) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
    return seconds, len(queries), result


def measure(region, leader) -> dict:
    from ontzorg.accounts.tests.factories import pass_second_factor
    from ontzorg.monitor import services
    from ontzorg.monitor.models import MeasurementMoment
    from ontzorg.participants.models import Participant

    figures = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live site
    figures["count"] = _timed(lambda: Participant.objects.filter(regeling__region=region).count())
    figures["scan"] = _timed(
        lambda: sum(1 for _ in Participant.objects.values_list("pk", "phase").iterator(10_000))
    )
    moment = MeasurementMoment.objects.create(region=region, name="Bench", on=AS_OF)
    figures["snapshot"] = _timed(
        lambda: services.build_snapshot(leader, moment, today=AS_OF).row_count
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(leader)
    pass_second_factor(client, leader)  # force_login leaves out the second factor
    url = f"/monitor/regio/{region.slug}/"
    client.get(url)  # warm: templates compiled, connection settled
    figures["dashboard"] = _timed(lambda: client.get(url).status_code)
    return figures


def run(n: int) -> dict:
    """Build n participants in a fresh test database, time snapshot and dashboard, drop it."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        MEDIA_ROOT=tempfile.mkdtemp(prefix="ontzorg-bench-"),
        ALLOWED_HOSTS=["localhost"],
        DEBUG=False,
    ):
        old = setup_databases(verbosity=0, interactive=False)
        try:
            start = time.perf_counter()
            with transaction.atomic():  # the ledger's balance check is deferred to commit
                built = build(n)
            figures = {"vendor": connection.vendor, "n": n, "build_s": time.perf_counter() - start}
            figures |= measure(built["region"], built["leader"])
        finally:
            teardown_databases(old, verbosity=0)
    return figures
