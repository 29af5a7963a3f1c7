"""Comparison groups: everyone who entered intake is in the snapshot exactly once, in the
group their way through intake, the draw and the decisions put them in (issue 12).

The people are registered, drawn, refused, opted out and started the way staff do it: through
the intake, selection, decision and plan services, on a frozen clock."""

import csv
import io
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from ontzorg.bulk import insert_rows
from ontzorg.guidance import services as guidance
from ontzorg.guidance.constants import ReferralOrganisation
from ontzorg.inventory import services as inventory
from ontzorg.inventory.constants import DebtKind
from ontzorg.monitor import dashboard, export, facts, services
from ontzorg.monitor.constants import ComparisonGroup
from ontzorg.monitor.models import Snapshot, SnapshotRow
from ontzorg.monitor.tests.factories import MomentFactory
from ontzorg.participants import services as intake
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, Phase
from ontzorg.participants.models import Participant
from ontzorg.plans import services as plans
from ontzorg.plans.constants import IncomeKind
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegelingFactory
from ontzorg_demo.testdata import fake_bsn

PEILDATUM = date(2026, 3, 16)  # the frozen clock's day


def register(user, regeling, number: int, **fields) -> Participant:
    person = dict(
        regeling=regeling,
        bsn=fake_bsn(90_000 + number),
        first_name=f"Hamid{number}",
        last_name="Rahimi",
        date_of_birth=date(1990, 1, 1),
        gender="m",
        country_of_origin="Afghanistan",
        arrival_on=date(2025, 8, 1),
        bijstand_start_on=date(2025, 9, 1),
    )
    return intake.register_intake(
        user,
        household={"municipality": MunicipalityFactory(region=regeling.region)},
        participant=person | fields,
    )


def opt_out(user, participant):
    intake.record_decision(
        user,
        participant,
        kind=DecisionKind.OPT_OUT,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason="Wil de vaste lasten zelf blijven betalen.",
    )


@pytest.fixture
def world(region, klantmanager, partner_org, frozen_clock):
    """A lottery regeling: 12 eligible and 2 too old registered on 1 October, 6 of the 12
    drawn on 1 November, 2 more registered on 1 February (after the draw)."""
    lottery = RegelingFactory(
        region=region,
        selection_method=SelectionMethod.RANDOM,
        exclude_seniors=True,
        target_participants=6,
    )
    frozen_clock.move_to("2025-10-01 10:00:00+02:00")
    eligible = [
        register(klantmanager, lottery, n, guidance_organisation=partner_org) for n in range(12)
    ]
    too_old = [
        register(klantmanager, lottery, 20 + n, date_of_birth=date(1950, 1, 1)) for n in (0, 1)
    ]
    frozen_clock.move_to("2025-11-01 10:00:00+01:00")
    draw = intake.draw_selection(klantmanager, lottery, 6)
    frozen_clock.move_to("2026-02-01 10:00:00+01:00")
    late = [register(klantmanager, lottery, 30 + n) for n in (0, 1)]
    frozen_clock.move_to("2026-03-16 10:00:00+01:00")

    drawn = [p for p in eligible if p.pk in draw.selected_ids]
    not_drawn = [p for p in eligible if p.pk not in draw.selected_ids]
    for participant in drawn[:4]:
        plans.create_plan(klantmanager, participant, start_on=date(2025, 12, 1))
    # One drawn participant says no before a plan; one who was not drawn says no as well.
    opt_out(klantmanager, drawn[4])
    opt_out(klantmanager, not_drawn[0])
    # Work: a participant (the plan ends, nazorg) and someone who was not drawn.
    for participant in (drawn[0], not_drawn[1]):
        plans.record_income(
            klantmanager,
            participant,
            kind=IncomeKind.BIJSTAND,
            amount_cents=120_000,
            valid_from=date(2025, 9, 1),
        )
        plans.record_outflow(
            klantmanager, participant, date(2026, 3, 1), "Werk gevonden", wages_cents=180_000
        )
    return {
        "regeling": lottery,
        "participant": [*drawn[:4], drawn[5]],
        "not_drawn": not_drawn[1:],
        "opted_out": [drawn[4], not_drawn[0]],
        "not_eligible": too_old,
        "waiting": late,
    }


def _phases(people):
    return {p.phase for p in Participant.objects.filter(pk__in=[p.pk for p in people])}


def test_everyone_who_entered_intake_is_counted_once_in_the_right_group(db, world, projectleider):
    # The services put everyone where the groups say.
    assert _phases(world["participant"]) == {Phase.ACTIVE, Phase.NAZORG, Phase.INTAKE}
    assert _phases(world["not_drawn"]) == {Phase.CANDIDATE}
    assert _phases(world["opted_out"]) == {Phase.OPTED_OUT}
    assert _phases(world["not_eligible"]) == {Phase.NOT_ELIGIBLE}
    assert _phases(world["waiting"]) == {Phase.CANDIDATE}

    moment = MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    snapshot = services.build_snapshot(projectleider, moment)

    registered = Participant.objects.filter(regeling__region=world["regeling"].region)
    rows = SnapshotRow.objects.filter(snapshot=snapshot)
    assert snapshot.row_count == rows.count() == registered.count() == 16
    assert sorted(rows.values_list("participant_id", flat=True)) == sorted(
        registered.values_list("pk", flat=True)
    )
    groups = dict(rows.values_list("participant_id", "comparison_group"))
    for group in ComparisonGroup.values:
        assert {pk for pk, g in groups.items() if g == group} == {p.pk for p in world[group]}
    assert [len(world[g]) for g in ComparisonGroup.values] == [5, 5, 2, 2, 2]
    assert snapshot.version == facts.VERSION
    assert services.verify_snapshot(snapshot) == {"intact": True, "reproduced": True}


def test_outcomes_and_time_since_start_per_group(db, world, projectleider):
    snapshot = services.build_snapshot(
        projectleider, MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    )
    row = {r.participant_id: r for r in SnapshotRow.objects.filter(snapshot=snapshot)}
    worker, started = world["participant"][0], world["participant"][1]
    assert row[worker.pk].outflow_to_work and row[worker.pk].benefit_ended
    assert row[started.pk].benefit_ended is None  # no bijstand recorded: not known
    assert not row[started.pk].outflow_to_work
    # Since the plan's start (1 December), the draw (1 November) or intake (1 October, 1 Feb).
    assert row[started.pk].months_since_start == 3
    assert row[world["participant"][4].pk].months_since_start == 4  # drawn, no plan yet
    comparison = world["not_drawn"][0]
    assert row[comparison.pk].outflow_to_work and row[comparison.pk].benefit_ended
    assert {row[p.pk].months_since_start for p in world["not_drawn"]} == {4}
    assert {row[p.pk].months_since_start for p in world["not_eligible"]} == {5}
    assert {row[p.pk].months_since_start for p in world["waiting"]} == {1}


def test_a_snapshot_of_before_the_comparison_groups_still_verifies(db, world, projectleider):
    """Version 1 held the participants alone and fewer columns; it is checked on those."""
    moment = MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    old = facts.as_version(facts.rows(moment.region_id, moment.on), None)
    snapshot = Snapshot.objects.create(
        moment=moment,
        region_id=moment.region_id,
        as_of=moment.on,
        built_at=moment.created_at,
        row_count=len(old),
        rows_sha256=facts.digest(old),
    )
    insert_rows(SnapshotRow, ("snapshot_id", *facts.BASE_FIELDS), [(snapshot.pk, *r) for r in old])
    assert len(old) == 5
    assert SnapshotRow.objects.filter(snapshot=snapshot).participants().count() == 5
    assert services.verify_snapshot(snapshot) == {"intact": True, "reproduced": True}


@pytest.fixture
def snapshot(world, projectleider):
    moment = MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    return services.build_snapshot(projectleider, moment)


def test_the_dashboard_counts_participants_and_compares_groups_and_organisations(
    db, world, snapshot
):
    shown = dashboard.figures([snapshot.region_id], today=PEILDATUM, suppress=False)
    assert shown.totals["n"] == 5 and shown.totals["outflow"] == 1
    tables = {key: outcomes for _t, outcomes, _c, key in shown.by_group}
    groups = {o.label: o for o in tables["comparison_group"]}
    assert {label: o.n for label, o in groups.items()} == {
        "deelnemer": 5,
        "niet ingeloot": 5,
        "niet geschikt": 2,
        "afgezien": 2,
        "wacht op loting of plan": 2,
    }
    assert groups["niet ingeloot"].outflow == 1
    organisations = {o.label: o.n for o in tables["guidance_organisation"]}
    assert organisations == {"VluchtelingenWerk": 5}

    hidden = dashboard.figures([snapshot.region_id], today=PEILDATUM, suppress=True)
    tables = {key: outcomes for _t, outcomes, _c, key in hidden.by_group}
    small = [o for o in tables["comparison_group"] if o.too_small]
    assert len(small) == 3 and all(o.n is None for o in small)


def test_what_works_compares_the_groups_over_time(db, client, world, snapshot, projectleider):
    client.force_login(projectleider)
    region = world["regeling"].region
    page = client.get(reverse("monitor:what_works"))
    assert page.status_code == 302
    assert page.url == reverse("monitor:region_what_works", args=[region.slug])
    page = client.get(page.url, {"outcome": "outflow", "breakdown": "household_type"})
    assert page.status_code == 200
    text = page.text
    assert "Wat werkt voor wie: Zoetermeer" in text
    assert "Aandeel met uitstroom naar werk, naar tijd sinds de start" in text
    assert "<svg" in text and "grafiek-tijd" in text and "grafiek-kenmerk" in text
    comparison = page.context["comparison"]
    over_time = dict(comparison.over_time)
    bands = [label for _v, label in comparison.bands]
    # Participants since December (3 months) and the drawn one since the draw (4 months):
    # 0 to 5 months; the one who found work is one of the 5.
    first = over_time["deelnemer"][bands.index("0 tot en met 5 maanden")]
    assert (first.n, first.count) == (5, 1)
    assert over_time["niet ingeloot"][0].n == 5


def test_what_works_hides_small_groups_from_who_may_not_see_them(
    db, client, world, snapshot, evaluator
):
    client.force_login(evaluator)
    region = world["regeling"].region
    page = client.get(reverse("monitor:region_what_works", args=[region.slug]))
    assert page.status_code == 200
    comparison = page.context["comparison"]
    assert comparison.suppress
    for _label, cells in comparison.over_time + comparison.per_value:
        for c in cells:
            assert c.too_small or c.n in (0, None) or c.n >= 5
            assert c.count is None or c.count == 0 or c.count >= 5
    overall = {label: people for label, people, _o in comparison.overall}
    assert overall["niet geschikt"].too_small and overall["niet geschikt"].n is None


def test_what_works_says_what_to_do_without_a_snapshot(db, client, regeling, projectleider):
    client.force_login(projectleider)
    page = client.get(reverse("monitor:region_what_works", args=[regeling.region.slug]))
    assert page.status_code == 200
    assert "nog geen momentopname" in page.text and "Meetmomenten" in page.text


def _csv(download) -> list[list[str]]:
    text = download.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_holds_every_group_pseudonymised(db, world, snapshot, projectleider):
    rows = _csv(services.export(projectleider, "deelnemers"))
    header, body = rows[0], rows[1:]
    groups = Counter(row[header.index("vergelijkingsgroep")] for row in body)
    meta = dict(_csv(services.export(projectleider, "toelichting"))[1:])
    assert sum(groups.values()) + int(meta["rijen weggelaten (groep kleiner dan k)"]) == 16
    assert set(groups) <= set(ComparisonGroup.values)
    ids = {str(p.pk) for p in Participant.objects.all()}
    assert not {row[0] for row in body} & ids
    bsns = set(Participant.objects.values_list("bsn", flat=True))
    assert not {value for row in body for value in row} & bsns

    aggregates = _csv(services.export(projectleider, "aggregaten"))
    header, body = aggregates[0], aggregates[1:]
    totals = {
        row[header.index("vergelijkingsgroep")]: row[header.index("aantal")]
        for row in body
        if row[header.index("indeling")] == "totaal"
    }
    assert set(totals) == set(groups)
    for row in body:
        for value in row[header.index("aantal") :]:
            assert value in ("<5", "0") or int(value) >= 5
    assert {row[header.index("indeling")] for row in body} >= {
        "tijd_sinds_start",
        "begeleidingsorganisatie",
    }


# --- debts at the start vs now, and referrals (recorded through the inventory and guidance
# services, read as of the peildatum) -----------------------------------------------------------


def _debt(user, participant, kind, cents, on):
    return inventory.record_debt(user, participant, kind=kind, amount_cents=cents, known_on=on)


def test_debts_and_referrals_are_taken_as_of_the_peildatum(db, world, klantmanager, projectleider):
    first, second, third = world["participant"][:3]
    loan = _debt(klantmanager, first, DebtKind.FURNISHING_LOAN, 150_000, date(2025, 12, 1))
    _debt(klantmanager, first, DebtKind.BELASTINGDIENST, 40_000, date(2025, 12, 1))
    # Paid off part of the loan by February; a debt found after the peildatum does not count.
    inventory.update_amounts(klantmanager, first, on=date(2026, 2, 1), debts={loan.pk: 100_000})
    _debt(klantmanager, second, DebtKind.CJIB, 30_000, date(2026, 1, 10))
    guidance.record_referral(
        klantmanager,
        first,
        kind=ReferralOrganisation.DEBT_COUNSELLING,
        referred_on=date(2026, 1, 5),
        reason="Schuld bij de Belastingdienst",
    )
    guidance.record_referral(
        klantmanager,
        first,
        kind=ReferralOrganisation.WIJKTEAM,
        referred_on=date(2026, 2, 5),
        reason="Opvoedvragen",
    )

    moment = MomentFactory(region=world["regeling"].region, on=date(2026, 1, 31))
    snapshot = services.build_snapshot(projectleider, moment)
    rows = {row.participant_id: row for row in SnapshotRow.objects.filter(snapshot=snapshot)}
    # On 31 January: the loan still at 1,500, the February payment-off not yet known.
    assert (rows[first.pk].debt_start_cents, rows[first.pk].debt_now_cents) == (190_000, 190_000)
    assert rows[first.pk].referrals == 1
    assert (rows[second.pk].debt_start_cents, rows[second.pk].debt_now_cents) == (30_000, 30_000)
    # Nothing recorded is unknown, not zero.
    assert rows[third.pk].debt_start_cents is None and rows[third.pk].debt_now_cents is None
    assert rows[third.pk].referrals == 0

    later = services.build_snapshot(
        projectleider, MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    )
    rows = {row.participant_id: row for row in SnapshotRow.objects.filter(snapshot=later)}
    assert (rows[first.pk].debt_start_cents, rows[first.pk].debt_now_cents) == (190_000, 140_000)
    assert rows[first.pk].referrals == 2
    assert services.verify_snapshot(later) == {"intact": True, "reproduced": True}

    figures = dashboard.figures([later.region_id], today=PEILDATUM, suppress=False)
    assert figures.totals["debt_start_cents"] == 220_000
    assert figures.totals["debt_now_cents"] == 170_000
    assert figures.totals["with_debt_known"] == 2
    assert figures.totals["referred"] == 1


def test_the_export_carries_debt_classes_and_referrals(db, world, klantmanager, projectleider):
    first = world["participant"][0]
    _debt(klantmanager, first, DebtKind.DUO, 600_000, date(2025, 12, 1))
    guidance.record_referral(
        klantmanager,
        first,
        kind=ReferralOrganisation.WIJKTEAM,
        referred_on=date(2026, 1, 5),
        reason="Opvoedvragen",
    )
    snapshot = services.build_snapshot(
        projectleider, MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    )
    table = export.participant_rows(export.source_rows([snapshot]), b"key")
    columns = export.COLUMN_NAMES
    debts = sorted(
        (
            row[columns.index("schuld_start_klasse")],
            row[columns.index("schuld_nu_klasse")],
            row[columns.index("verwijzingen")],
        )
        for row in table
    )
    assert debts[-1] == ("5000 tot 10000", "5000 tot 10000", 1)
    assert debts[:-1] == [("", "", 0)] * (len(table) - 1)

    aggregates = export.aggregate_rows(export.source_rows([snapshot]))
    names = [c.name for c in export.AGGREGATE_COLUMNS]
    total = next(
        row
        for row in aggregates
        if row[names.index("indeling")] == "totaal"
        and row[names.index("vergelijkingsgroep")] == "participant"
    )
    # One person with debts and one referred: fewer than five, so shown as "<5".
    assert total[names.index("met_schuld")] == total[names.index("met_verwijzing")] == "<5"


def test_stress_language_and_agencies_are_in_the_snapshot_and_export(
    db, world, klantmanager, projectleider
):
    from ontzorg.measurements import services as measurements
    from ontzorg.measurements.constants import Moment, Perspective
    from ontzorg.regelingen.models import Instrument

    stress = Instrument.objects.get(name="Ervaren geldstress")
    agencies = Instrument.objects.get(name="Aantal benaderde instanties")
    world["regeling"].instruments.add(stress, agencies)
    first, second = world["participant"][:2]
    for moment, day, rank, count in (
        (Moment.NULMETING, date(2025, 12, 5), 2, 1),
        (Moment.TUSSENMETING, date(2026, 3, 2), 4, 5),
    ):
        measurements.record_measurement(
            klantmanager,
            first,
            instrument=stress,
            moment=moment,
            measured_on=day,
            level=stress.levels.get(rank=rank),
            perspective=Perspective.PARTICIPANT,
        )
        measurements.record_measurement(
            klantmanager,
            first,
            instrument=agencies,
            moment=moment,
            measured_on=day,
            count=count,
            perspective=Perspective.CASE_WORKER,
        )
    snapshot = services.build_snapshot(
        projectleider, MomentFactory(region=world["regeling"].region, on=PEILDATUM)
    )
    rows = {row.participant_id: row for row in SnapshotRow.objects.filter(snapshot=snapshot)}
    got = rows[first.pk]
    assert (got.stress_first, got.stress_latest) == (2, 4)
    assert (got.agencies_first, got.agencies_latest) == (1, 5)
    assert got.language_first is None and got.language_latest is None
    # Stress and agencies never become the self-reliance measurement.
    assert got.first_rank is None and got.latest_rank is None
    assert rows[second.pk].stress_first is None

    table = export.participant_rows(export.source_rows([snapshot]), b"key")
    columns = export.COLUMN_NAMES
    values = [
        tuple(row[columns.index(name)] for name in ("geldstress_eerste", "geldstress_laatste"))
        for row in table
    ]
    assert (2, 4) in values
    assert values.count(("", "")) == len(values) - 1
